// Private to webui: the team's templates (login, workbench, the editing sections of the photo and event
// pages) and /static/team.js (templates_team.cc). Same rules as templates.h: {{ }} escapes.
#pragma once

#include <string_view>

namespace kho::web {

extern const std::string_view kLoginTemplate;
extern const std::string_view kWorkbenchTemplate;
extern const std::string_view kPhotoTeamTemplate;  // rendered into the photo page's {{{team_html}}}
extern const std::string_view kEventTeamTemplate;  // rendered into the event page's {{{team_html}}}
extern const std::string_view kTeamScript;         // /static/team.js

}  // namespace kho::web
