// Crash safety of `kho ingest` (issue 5), made deterministic by named crash points (kho/crash_point.h):
// `kho ingest` is killed with SIGKILL at each point where a crash leaves a distinct state on disk (while the
// archive is created, before every commit, after the last one, between photo batches, before the articles
// phase, inside the duplicate update), and several times in a row on one archive. Every time the archive
// opens (or says it was never finished being created), `kho verify` passes, and a re-run ends with the
// summary and the per-database entry counts of a clean run. Also Ctrl-C (SIGINT) at a known moment: it stops
// after the batch in flight with exit code 2, and a re-run finishes the job.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::ingest_jpeg;
using kho::testing::read_file;
using kho::testing::run_kho;
using kho::testing::TempDir;
using kho::testing::write_file;
using nlohmann::json;

constexpr int kFolders = 4;
constexpr int kPerFolder = 10;
constexpr int kPhotos = kFolders * kPerFolder;
constexpr int kBatch = 8;  // 5 photo batches
const std::string kBatchArg = std::to_string(kBatch);

// A small uncompressed RGB TIFF of random coloured blocks, different for every `n`. Made here, without an
// image library, so the photos are all different to the eye too (copies that only differ in bytes would all
// be near-duplicates). `near_copy` changes one pixel a little: a near-duplicate of tiff(n), so the duplicate
// update has a pair to verify and a verdict to store.
std::string tiff(int n, bool near_copy = false) {
  const std::uint32_t w = 64, h = 48;
  std::string t;
  auto u16 = [&](std::uint32_t v) {
    t += static_cast<char>(v & 255);
    t += static_cast<char>((v >> 8) & 255);
  };
  auto u32 = [&](std::uint32_t v) { u16(v & 0xFFFF), u16(v >> 16); };
  auto entry = [&](std::uint32_t tag, std::uint32_t type, std::uint32_t count, std::uint32_t value) {
    u16(tag), u16(type), u32(count);
    if (type == 3 && count == 1) u16(value), u16(0);
    else u32(value);
  };
  t = "II*";
  t += '\0';
  u32(8);
  const std::uint32_t ifd_end = 8 + 2 + 10 * 12 + 4, bps_at = ifd_end, data_at = bps_at + 6;
  u16(10);
  entry(256, 3, 1, w);
  entry(257, 3, 1, h);
  entry(258, 3, 3, bps_at);
  entry(259, 3, 1, 1);        // no compression
  entry(262, 3, 1, 2);        // RGB
  entry(273, 4, 1, data_at);  // strip offset
  entry(277, 3, 1, 3);
  entry(278, 3, 1, h);
  entry(279, 4, 1, w * h * 3);
  entry(284, 3, 1, 1);
  u32(0);
  u16(8), u16(8), u16(8);
  std::uint32_t seed = 2654435761u * static_cast<std::uint32_t>(n + 1);
  unsigned char blocks[6][8][3];
  for (auto& row : blocks)
    for (auto& b : row)
      for (auto& c : b) c = static_cast<unsigned char>((seed = seed * 1664525u + 1013904223u) >> 24);
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) t += static_cast<char>(blocks[y / 8][x / 8][c]);
  if (near_copy) t[data_at] = static_cast<char>(static_cast<unsigned char>(t[data_at]) ^ 4);
  return t;
}

// 40 photos in 4 event folders (a few real JPEGs among the TIFFs, so the JPEG path is crashed too, and one
// near-duplicate); folders 0 and 2 carry an article naming five of their photos and one that is missing.
void make_corpus(const fs::path& root) {
  for (int f = 0; f < kFolders; ++f) {
    fs::path folder = root / ("2021-0" + std::to_string(f + 1) + "-01 sự kiện " + std::to_string(f));
    for (int i = 0; i < kPerFolder; ++i) {
      if (f == 0 && i < 4) write_file(folder / ("ảnh " + std::to_string(i) + ".jpg"), ingest_jpeg(i + 1));
      else if (f == kFolders - 1 && i == kPerFolder - 1)
        write_file(folder / ("ảnh " + std::to_string(i) + ".tif"), tiff(kPerFolder + 5, /*near_copy=*/true));
      else write_file(folder / ("ảnh " + std::to_string(i) + ".tif"), tiff(f * kPerFolder + i));
    }
    if (f % 2 == 0) {
      std::string text = "SỰ KIỆN SỐ " + std::to_string(f) + " CỦA THÀNH PHỐ\n\nNgày 0" + std::to_string(f + 1) +
                         "/01/2021 08:00:00\n\nĐoàn công tác đã đến thăm và làm việc tại nhiều đơn vị của thành "
                         "phố trong buổi sáng.\n\n";
      for (int i = 0; i < 5; ++i) {
        std::string n = std::to_string(i * 2);
        text += "ảnh " + n + (f == 0 && i < 2 ? ".jpg" : ".tif") + "\n\nChú thích của ảnh số " + n + ".\n\n";
      }
      text += "ảnh không có.jpg\n\nẢnh này không có trong thư mục.\n\nPV\n";
      write_file(folder / "bai.txt", text);
    }
  }
}

// Runs `kho ARGS` with KHO_CRASH_AT=`crash_at` (stdout thrown away, stderr into `err_file`) and returns its
// pid; the caller waits for it.
pid_t spawn_kho(const std::vector<std::string>& args, const std::string& crash_at, const std::string& err_file) {
  pid_t pid = fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open("/dev/null", O_WRONLY);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    setenv("KHO_CRASH_AT", crash_at.c_str(), 1);
    std::vector<std::string> argv{kho::testing::kho_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    execv(c[0], c.data());
    _exit(127);
  }
  return pid;
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFSTOPPED(status)) return "stopped by signal " + std::to_string(WSTOPSIG(status));
  return "status " + std::to_string(status);
}

// The entry count of every database but meta (per-archive bookkeeping), after checking in this process what
// `kho verify` checks (cheaper than starting kho once more).
std::map<std::string, std::uint64_t> db_entries(const std::string& archive) {
  auto cat = Catalog::open(archive, {.read_only = true});
  EXPECT_TRUE(cat.ok()) << "the archive opens: " << cat.status().to_string();
  std::map<std::string, std::uint64_t> out;
  if (!cat.ok()) return out;
  auto report = verify_catalog(**cat);
  EXPECT_TRUE(report.ok() && report->problems.empty())
      << (report.ok() ? ::testing::PrintToString(report->problems) : report.status().to_string());
  auto stats = (*cat)->stats();
  EXPECT_TRUE(stats.ok());
  if (stats.ok())
    for (const auto& db : stats->dbs)
      if (db.name != "meta") out[db.name] = db.entries;
  return out;
}

void expect_verify_passes(const std::string& archive) {
  auto verify = run_kho({"--archive", archive, "verify", "--json"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// A kill while the archive was being created: read-only opens and the read commands say so, exit code 2.
void expect_never_created(const std::string& archive) {
  ASSERT_TRUE(fs::exists(fs::path(archive) / "data.mdb")) << "LMDB creates data.mdb before the first commit";
  const std::string message = "archive " + archive + " was never finished being created; run kho ingest to create it";
  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_FALSE(cat.ok());
  EXPECT_TRUE(cat.status().is_not_found()) << cat.status().to_string();
  EXPECT_EQ(cat.status().message(), message);
  for (const char* command : {"verify", "events"}) {
    auto r = run_kho({"--archive", archive, command});
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_EQ(r.err, "kho: " + message + "\n") << command;
  }
}

json ingest_json(const std::string& archive, const fs::path& tree) {
  auto r = run_kho({"--archive", archive, "ingest", tree.string(), "--json", "--batch", kBatchArg});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

void expect_same_result(const json& clean, const json& rerun) {
  for (const char* k : {"files_seen", "articles", "links", "unresolved", "orphans", "errors", "events"})
    EXPECT_EQ(rerun[k], clean[k]) << k;
  EXPECT_EQ(rerun["photos_added"].get<int>() + rerun["photos_unchanged"].get<int>(), clean["photos_added"].get<int>());
}

// One corpus and one clean run for the whole suite.
class AppIngestCrash : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    make_corpus(tree());
    clean_ = new json(ingest_json(clean_archive(), tree()));
    clean_dbs_ = new std::map<std::string, std::uint64_t>(db_entries(clean_archive()));
  }
  static void TearDownTestSuite() {
    delete clean_dbs_;
    delete clean_;
    delete dir_;
  }
  static fs::path tree() { return *dir_ / "tree"; }
  static std::string clean_archive() { return (*dir_ / "clean").string(); }
  static std::string archive(const std::string& name) { return (*dir_ / name).string(); }

  // Runs the ingest into `archive` with KHO_CRASH_AT=`crash_at`; returns the wait status.
  static int ingest_crashing_at(const std::string& archive, const std::string& crash_at) {
    pid_t pid = spawn_kho({"--archive", archive, "ingest", tree().string(), "--batch", kBatchArg}, crash_at,
                          (*dir_ / "stderr.txt").string());
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
  }

  static bool killed(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }

  // After a kill at `crash_at`: the archive is sound, and a re-run completes it to the clean run's state.
  void expect_recovers(const std::string& archive, const std::string& crash_at) {
    SCOPED_TRACE("KHO_CRASH_AT=" + crash_at);
    if (crash_at.starts_with("catalog.create.")) {
      expect_never_created(archive);
    } else {
      expect_verify_passes(archive);
    }
    expect_same_result(*clean_, ingest_json(archive, tree()));
    EXPECT_EQ(db_entries(archive), *clean_dbs_);
  }

  static TempDir* dir_;
  static json* clean_;
  static std::map<std::string, std::uint64_t>* clean_dbs_;
};
TempDir* AppIngestCrash::dir_ = nullptr;
json* AppIngestCrash::clean_ = nullptr;
std::map<std::string, std::uint64_t>* AppIngestCrash::clean_dbs_ = nullptr;

TEST_F(AppIngestCrash, TheCleanRunIsWhatTheCorpusHolds) {
  ASSERT_EQ((*clean_)["photos_added"], kPhotos) << clean_->dump();
  EXPECT_EQ((*clean_)["articles"], 2);
  EXPECT_EQ((*clean_)["links"], 10);
  EXPECT_EQ((*clean_)["unresolved"].size(), 2u);
  EXPECT_EQ((*clean_)["events"], kFolders);
  EXPECT_TRUE((*clean_)["errors"].empty());
  EXPECT_EQ(clean_dbs_->at("photos"), static_cast<std::uint64_t>(kPhotos));
  EXPECT_GE(clean_dbs_->at("dups"), static_cast<std::uint64_t>(kPhotos + 2))
      << "an entry per photo, the radius, a pair";
}

TEST_F(AppIngestCrash, AMalformedCrashPointIsReportedAndIgnored) {
  const std::string a = archive("malformed");
  auto r = run_kho({"--archive", a, "ingest", tree().string(), "--json", "--batch", kBatchArg},
                   {"KHO_CRASH_AT=catalog.create.before_commit:0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("kho: ignoring KHO_CRASH_AT=catalog.create.before_commit:0 (expected NAME, NAME:N or "
                       "NAME:N:stop)"),
            std::string::npos)
      << r.err;
  expect_same_result(*clean_, json::parse(r.out, nullptr, false));
  EXPECT_EQ(db_entries(a), *clean_dbs_);
}

TEST_F(AppIngestCrash, KillBeforeEveryCommitNeverBreaksTheArchive) {
  // Every commit of the run, in order (photo batches, the events, the duplicate verdicts and index): the
  // N-th kill leaves exactly N-1 transactions on disk. The run that gets past the last commit ends normally.
  int commits = 0;
  for (int n = 1; n <= 30; ++n) {
    const std::string at = "catalog.write.before_commit:" + std::to_string(n);
    const std::string a = archive("before" + std::to_string(n));
    int status = ingest_crashing_at(a, at);
    if (!killed(status)) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << at << ": " << describe(status);
      break;
    }
    commits = n;
    expect_recovers(a, at);
    fs::remove_all(a);
  }
  EXPECT_GE(commits, kPhotos / kBatch + 2) << "the photo batches, the events and the duplicates each commit";

  // After the last commit: everything is on disk, only the summary was lost.
  const std::string at = "catalog.write.after_commit:" + std::to_string(commits);
  const std::string a = archive("after_last");
  int status = ingest_crashing_at(a, at);
  ASSERT_TRUE(killed(status)) << at << ": " << describe(status);
  expect_recovers(a, at);
}

TEST_F(AppIngestCrash, KillAtEveryNamedPhaseNeverBreaksTheArchive) {
  for (const std::string at : {"catalog.create.before_commit", "ingest.photos.after_batch:2", "ingest.before_articles",
                               "dups.after_chunk", "dups.before_index_entries"}) {
    const std::string a = archive(at.substr(0, at.find(':')));
    int status = ingest_crashing_at(a, at);
    ASSERT_TRUE(killed(status)) << at << " is reached and kills: " << describe(status);
    expect_recovers(a, at);
  }
}

TEST_F(AppIngestCrash, KillsInARowOnOneArchive) {
  // Each run continues the last one's work and is killed further on; every run after the first finds photos
  // saved by the one before, so its photo batches count from one again.
  const std::string a = archive("same");
  for (const std::string at :
       {"catalog.create.before_commit", "catalog.write.after_commit:2", "ingest.photos.after_batch:1",
        "catalog.write.before_commit:2", "ingest.before_articles", "dups.before_index_entries"}) {
    SCOPED_TRACE("KHO_CRASH_AT=" + at);
    int status = ingest_crashing_at(a, at);
    ASSERT_TRUE(killed(status)) << describe(status);
    if (at.starts_with("catalog.create.")) expect_never_created(a);
    else expect_verify_passes(a);
  }
  json last = ingest_json(a, tree());
  EXPECT_GT(last["photos_unchanged"].get<int>(), 0) << "work saved before the kills is kept";
  expect_same_result(*clean_, last);
  EXPECT_EQ(db_entries(a), *clean_dbs_);
}

TEST_F(AppIngestCrash, CtrlCStopsAfterTheBatchWithExitTwo) {
  // kho stops itself right after its second photo batch is committed; the test then sends a real SIGINT
  // from outside, as a terminal would, and lets it go on.
  const std::string a = archive("ctrl_c");
  const std::string err_file = (*dir_ / "ctrl_c_stderr.txt").string();
  pid_t pid = spawn_kho({"--archive", a, "ingest", tree().string(), "--jobs", "1", "--batch", kBatchArg},
                        "ingest.photos.after_batch:2:stop", err_file);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status)) << describe(status);
  ::kill(pid, SIGINT);
  ::kill(pid, SIGCONT);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "SIGINT is handled: kho exits by itself; " << describe(status);
  ASSERT_EQ(WEXITSTATUS(status), 2);
  std::string err = read_file(err_file);
  EXPECT_NE(err.find("stopping after the photos in flight are saved"), std::string::npos) << err;
  EXPECT_NE(err.find("interrupted: "), std::string::npos) << err;
  // At least the two batches committed before the signal, and not all: the rest of the run was skipped.
  auto of = err.find(" of " + std::to_string(kPhotos) + " photo files are saved");
  ASSERT_NE(of, std::string::npos) << err;
  auto num = err.rfind(' ', of - 1);
  int saved = std::atoi(err.c_str() + num + 1);
  EXPECT_GE(saved, 2 * kBatch) << err;
  EXPECT_LT(saved, kPhotos) << err;

  expect_verify_passes(a);
  json rest = ingest_json(a, tree());
  EXPECT_EQ(rest["photos_unchanged"].get<int>(), saved) << "work saved before Ctrl-C is kept";
  expect_same_result(*clean_, rest);
  EXPECT_EQ(db_entries(a), *clean_dbs_);
}

}  // namespace
}  // namespace kho
