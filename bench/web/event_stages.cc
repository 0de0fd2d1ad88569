// kho-bench-event-stages: where the event page's server CPU goes, stage by stage, on an existing archive
// (e.g. the one kho-bench-gen-archive writes). White-box: it calls webui's private views, rendering and gzip
// through kho::internals, in one thread, and reports CPU time (this thread's), so the machine's load does not
// change the figures much.
//
//   kho-bench-event-stages ARCHIVE_DIR EVENT_ID [ITERATIONS=200] [PAGE=1] [SORT=time]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "webui/src/compress.h"
#include "webui/src/render.h"
#include "webui/src/templates.h"
#include "webui/src/views.h"

namespace {

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stage {
  const char* name;
  std::vector<double> ms;
};

void report(Stage& s) {
  std::sort(s.ms.begin(), s.ms.end());
  double sum = 0;
  for (double v : s.ms) sum += v;
  const auto at = [&](double q) {
    return s.ms[std::min(s.ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(s.ms.size())))];
  };
  std::printf("%-24s %9.3f %9.3f %9.3f\n", s.name, sum / static_cast<double>(s.ms.size()), at(0.5), at(0.99));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kho;
  if (argc < 3) {
    std::fprintf(stderr, "usage: kho-bench-event-stages ARCHIVE_DIR EVENT_ID [ITERATIONS=200] [PAGE=1] [SORT=time]\n");
    return 2;
  }
  const std::string event_id = argv[2];
  const int iterations = argc > 3 ? std::atoi(argv[3]) : 200;
  web::GridPage grid;
  grid.page = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;
  grid.page_size = web::kEventGridPageSize;
  grid.sort = web::grid_sort_from_name(argc > 5 ? argv[5] : "time").value_or(web::GridSort::kTime);
  web::GridOrders orders;  // as the server keeps them: the first page computes the grid's order
  grid.orders = &orders;
  CatalogOptions options;
  options.read_only = true;
  auto cat = Catalog::open(argv[1], options);
  if (!cat.ok()) {
    std::fprintf(stderr, "kho-bench-event-stages: %s\n", cat.status().to_string().c_str());
    return 1;
  }
  Stage snapshot{"snapshot", {}}, view{"event_view", {}}, render{"render_page", {}}, zip{"gzip level 1", {}},
      total{"total", {}};
  std::size_t html_bytes = 0, wire_bytes = 0;
  double first_view = 0, first_total = 0;
  for (int i = 0; i < iterations; ++i) {
    const double t0 = cpu_ms();
    auto snap = (*cat)->snapshot();
    if (!snap.ok()) return 1;
    const double t1 = cpu_ms();
    Result<web::Json> v = web::event_view(**snap, event_id, grid);
    snap->reset();
    if (!v.ok()) {
      std::fprintf(stderr, "kho-bench-event-stages: %s\n", v.status().to_string().c_str());
      return 1;
    }
    const double t2 = cpu_ms();
    const std::string html = web::render_page(web::kEventTemplate, *v, web::PageInfo{"bench", "event", "", "/api"});
    const double t3 = cpu_ms();
    const std::optional<std::string> packed = web::gzip(html, web::kDynamicGzipLevel);
    const double t4 = cpu_ms();
    html_bytes = html.size();
    wire_bytes = packed ? packed->size() : 0;
    if (i == 0) {  // the first computes the grid's order and parses the templates
      first_view = t2 - t1;
      first_total = t4 - t0;
      continue;
    }
    snapshot.ms.push_back(t1 - t0);
    view.ms.push_back(t2 - t1);
    render.ms.push_back(t3 - t2);
    zip.ms.push_back(t4 - t3);
    total.ms.push_back(t4 - t0);
  }
  if (total.ms.empty()) return 0;
  std::printf("event %s page %zu: %zu bytes of HTML, %zu gzipped; CPU ms per page over %zu pages\n", event_id.c_str(),
              grid.page, html_bytes, wire_bytes, total.ms.size());
  std::printf("%-24s %9s %9s %9s\n", "stage", "mean", "p50", "p99");
  for (Stage* s : {&snapshot, &view, &render, &zip, &total}) report(*s);
  std::printf("first page (computes the grid's order): event_view %.3f, total %.3f\n", first_view, first_total);
  return 0;
}
