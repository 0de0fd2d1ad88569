// Search over 100,000 synthetic captions (DESIGN.md §6: a query in under 10 ms).
//
//   search_bench [ARCHIVE_DIR] [CAPTIONS]
//
// Builds an archive of CAPTIONS (default 100,000) captions in articles of 20 photos, made of random
// Vietnamese syllables with planted phrases of known frequency (both tone-mark placements), indexes them
// with index_article, then times each query 200 times in fresh snapshots and prints p50/p99 and hits.
// Built by bench/web/search_bench.sh against a build directory.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/search.h"

using namespace kho;
using Clock = std::chrono::steady_clock;

namespace {

// This thread's CPU time: on a shared 2-core machine the wall time also counts waiting for a core.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Syllables of Vietnamese news captions (repeats kept: they weight the draw), split on spaces.
const std::vector<std::string> kSyllables = [] {
  const std::string text =
      "người dân đoàn công tác tỉnh thành phố huyện xã phường lãnh đạo đồng chí bí thư "
      "chủ tịch hội nghị làm việc thăm tặng quà trao đổi kinh nghiệm phát triển kinh tế văn "
      "hóa du lịch lễ khai mạc tuần năm ngày tháng sáng chiều tối mới cũ lớn nhỏ trường "
      "học sinh viên giáo bệnh viện bác sĩ nông nghiệp lúa gạo mùa vụ nước sông biển núi "
      "rừng đường cầu cống nhà máy xí nghiệp doanh chợ hàng hóa xuất khẩu đầu tư dự án "
      "khởi công hoàn thành bàn giao nhân dịp kỷ niệm truyền thống phòng bộ phận một cửa "
      "hành chính toàn cảnh buổi gặp mặt chúc mừng biểu diễn nghệ thuật quảng trường tranh "
      "ảnh sách báo chí phóng viên an ninh quốc phòng cán chiến sĩ thanh niên tình nguyện phụ "
      "nữ trẻ em gia đình hộ nghèo xây dựng nông thôn kiểu mẫu tiêu chí đạt chuẩn ban ngành "
      "đoàn thể";
  std::vector<std::string> out;
  for (std::size_t at = 0, end; at < text.size(); at = end + 1) {
    end = std::min(text.find(' ', at), text.size());
    out.push_back(text.substr(at, end - at));
  }
  return out;
}();

std::string random_caption(std::mt19937& rng, int i) {
  std::uniform_int_distribution<std::size_t> pick(0, kSyllables.size() - 1);
  std::uniform_int_distribution<int> len(10, 28);
  std::vector<std::string> words;
  int n = len(rng);
  for (int k = 0; k < n; ++k) words.push_back(kSyllables[pick(rng)]);
  // Planted phrases, by caption number, so their frequencies are exact.
  auto plant = [&](const std::string& phrase) {
    words.insert(words.begin() + static_cast<long>(rng() % words.size()), phrase);
  };
  if (i % 50 == 0) plant(i % 100 == 0 ? "Thanh Hóa" : "Thanh Hoá");  // 2%
  if (i % 100 == 7) plant(i % 200 == 7 ? "Ủy ban" : "Uỷ ban");        // 1%
  if (i % 2000 == 13) plant("Điện Biên");                               // 0.05%
  if (i % 10000 == 17) plant("cầu Long Biên");                          // 10 captions
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "kho-search-bench").string();
  const int captions = argc > 2 ? std::atoi(argv[2]) : 100000;
  const int per_article = 20;
  std::filesystem::remove_all(dir);
  auto cat = Catalog::open(dir);
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().to_string().c_str());
    return 2;
  }
  std::mt19937 rng(42);
  auto t0 = Clock::now();
  WriteBatch batch;
  int made = 0;
  for (int a = 0; made < captions; ++a) {
    Article art;
    char id[17];
    std::snprintf(id, sizeof id, "%016x", a * 2654435761u);
    art.id = id;
    art.event_id = id;
    art.title = random_caption(rng, a * 7 + 1).substr(0, 60);
    for (int k = 0; k < per_article && made < captions; ++k, ++made) {
      PhotoRef r;
      r.ref = std::to_string(k) + ".jpg";
      r.caption = random_caption(rng, made);
      art.refs.push_back(r);
    }
    if (Status st = index_article(nullptr, batch, art); !st.ok()) return 2;
    if (batch.size() > 200000) {
      if (Status st = (*cat)->write(batch); !st.ok()) return 2;
      batch.clear();
    }
  }
  if (Status st = (*cat)->write(batch); !st.ok()) return 2;
  double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("indexed %d captions in %.1f s\n", made, build_s);

  const std::vector<std::string> queries = {"thanh hoa", "Thanh Hóa", "uy ban", "dien bien", "cau long bien",
                                            "thanh ban", "nguoi dan", "kinh te", "khong co tu nay"};
  std::printf("%-16s %6s %5s %10s %10s %10s %10s\n", "query", "hits", "more", "wall p50", "wall p99", "cpu p50",
              "cpu p99");
  for (const std::string& q : queries) {
    std::vector<double> ms, cpu;
    std::size_t hits = 0;
    bool more = false;
    for (int rep = 0; rep < 200; ++rep) {
      auto t = Clock::now();
      double c = cpu_ms();
      auto snap = (*cat)->snapshot();
      Result<SearchResults> r = search(**snap, q, 50);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      cpu.push_back(cpu_ms() - c);
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", q.c_str(), r.status().to_string().c_str());
        return 2;
      }
      hits = r->hits.size();
      more = r->more;
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("%-16s %6zu %5s %10.3f %10.3f %10.3f %10.3f\n", q.c_str(), hits, more ? "yes" : "no",
                ms[ms.size() / 2], ms[ms.size() * 99 / 100], cpu[cpu.size() / 2], cpu[cpu.size() * 99 / 100]);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
