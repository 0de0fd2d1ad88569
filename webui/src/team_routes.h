// Private to webui: the team's pages and write routes (issue 16): login and logout (views_auth.cc),
// corrections (views_edit.cc), the workbench (views_workbench.cc). Every write goes through
// Auth::allow_write (session, CSRF token, editor role), builds its corrections from one short Snapshot
// (kho/correct.h, shared with the CLI), closes it, then records them: one short write transaction each.
#pragma once

#include "http.h"
#include "kho/catalog.h"
#include "session.h"
#include "views.h"

namespace kho::web {

void add_auth_routes(http::Router& router, Auth& auth);
void add_edit_routes(http::Router& router, Catalog& catalog, Auth& auth);
void add_workbench_routes(http::Router& router, const Catalog& catalog);

// The editing/history section of the photo page and the event page, as HTML for {{{team_html}}} (empty for
// anonymous readers). `who` decides whether the forms show (editors) or only the history (viewers).
std::string photo_team_html(const Snapshot& snap, std::string_view digest_hex, const http::Request::Identity& who);
std::string event_team_html(const Snapshot& snap, std::string_view event_id, const http::Request::Identity& who);

// The workbench's view model (editors only; served at /workbench and /api/workbench).
Result<Json> workbench_view(const Snapshot& snap, const http::Request::Identity& who);

}  // namespace kho::web
