#include "kho/decisions.h"

namespace kho {

Result<DupOptions> with_decisions(const Snapshot& snap, DupOptions base) {
  Result<DuplicateDecisions> d = duplicate_decisions(snap);
  if (!d.ok()) return d.status();
  base.not_duplicates = std::move(d->not_duplicates);
  base.chosen_best = std::move(d->chosen_best);
  return base;
}

}  // namespace kho
