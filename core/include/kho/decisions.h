// Duplicate listings as people decided them: kho::dups reads the catalog only, kho::team keeps the journal,
// and this joins the two for the CLI and the gallery.
#pragma once

#include "kho/dups.h"
#include "kho/team.h"

namespace kho {

// `base` with the journal's duplicate decisions (pairs marked "not duplicates", chosen best copies) filled in.
// Errors: those of duplicate_decisions().
Result<DupOptions> with_decisions(const Snapshot& snap, DupOptions base = {});

}  // namespace kho
