// `kho` against a hostile folder and a failing disk (issue #17): symbolic links out of the tree (item 1),
// control characters in human output (item 9), a FIFO named .jpg (item 9), a full disk (item 9 and
// faults), and an EIO on a photo read through the LD_PRELOAD shim of tests/support/fault_shim.c (faults).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/terminal_text.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::ingest_jpeg;
using kho::testing::run_kho;
using kho::testing::TempDir;
using kho::testing::write_file;
using nlohmann::json;

json parse_json(const std::string& out) {
  auto j = json::parse(out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is one JSON document: " << out;
  return j;
}

std::string article(const std::string& title, const std::string& rest) {
  return title + "\n\nNgày 02/02/2021 07:00:00\n\n" + rest + "\n\nPV\n";
}

// Paths of a summary list ("errors", "skipped_links") by file name.
std::map<std::string, std::string> by_name(const json& list) {
  std::map<std::string, std::string> out;
  for (const auto& e : list) out[fs::path(e["path"].get<std::string>()).filename().string()] = e["reason"];
  return out;
}

int search_hits(const std::string& archive, const std::string& query) {
  auto r = run_kho({"--archive", archive, "search", query, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return static_cast<int>(parse_json(r.out)["hits"].size());
}

// ---------------------------------------------------------------- item 1: symbolic links

// tree/ev is the root given to `kho ingest`. It links to a file and a folder outside, and to its parent.
struct LinkTree {
  TempDir dir;
  fs::path root = dir / "tree/ev";
  std::string archive = (dir / "archive").string();
  LinkTree() {
    write_file(root / "own.jpg", ingest_jpeg(1));
    write_file(root / "own.txt", article("KHAI MẠC TRIỂN LÃM ẢNH",
                                         "Đoạn mở đầu của bài viết về triển lãm.\n\nown.jpg\nKhách tham quan."));
    write_file(dir / "tree/neighbour/n.jpg", ingest_jpeg(3));
    write_file(dir / "outside/secret.txt", article("TÀI LIỆU XYZZYQUUX MẬT", "root:$6$hash:19000:0:99999:7:::"));
    write_file(dir / "outside/private/photo.jpg", ingest_jpeg(2));
    fs::create_symlink(dir / "outside/secret.txt", root / "shadow.txt");
    fs::create_directory_symlink(dir / "outside/private", root / "etc");
    fs::create_directory_symlink("..", root / "loop");
  }
};

TEST(AppHardening, LinksOutOfTheTreeAreNotFollowedButReported) {
  LinkTree t;
  auto r = run_kho({"--archive", t.archive, "ingest", t.root.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_json(r.out);
  EXPECT_EQ(j["files_seen"], 2);
  EXPECT_EQ(j["photos_added"], 1);
  EXPECT_EQ(j["events"], 1) << "the loop must not pull in tree/neighbour";
  EXPECT_EQ(j["articles"], 1);
  auto skipped = by_name(j["skipped_links"]);
  ASSERT_EQ(skipped.size(), 3u) << r.out;
  EXPECT_NE(skipped["shadow.txt"].find("outside"), std::string::npos);
  EXPECT_NE(skipped["etc"].find("outside"), std::string::npos);
  EXPECT_NE(skipped["loop"].find("loop"), std::string::npos);
  EXPECT_EQ(search_hits(t.archive, "xyzzyquux"), 0) << "nothing from outside the tree is searchable";
  EXPECT_GE(search_hits(t.archive, "trien lam"), 1);
  auto events = run_kho({"--archive", t.archive, "events", "--json"});
  EXPECT_EQ(parse_json(events.out)["events"].size(), 1u);

  // The human summary names each one.
  TempDir other;
  auto human = run_kho({"--archive", (other / "a").string(), "ingest", t.root.string()});
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.err.find("skipped link: " + (t.root / "shadow.txt").string()), std::string::npos) << human.err;
  EXPECT_NE(human.err.find("3 links not followed"), std::string::npos) << human.err;
}

TEST(AppHardening, FollowLinksOptsInButALoopStaysOut) {
  LinkTree t;
  auto r = run_kho({"--archive", t.archive, "ingest", t.root.string(), "--json", "--follow-links"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_json(r.out);
  EXPECT_EQ(j["files_seen"], 4);
  EXPECT_EQ(j["photos_added"], 2);
  EXPECT_EQ(j["events"], 2);  // ev and ev/etc, never tree/neighbour
  auto skipped = by_name(j["skipped_links"]);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_TRUE(skipped.contains("loop"));
  EXPECT_EQ(search_hits(t.archive, "xyzzyquux"), 1);
}

// ---------------------------------------------------------------- item 9: control characters

TEST(AppHardening, TerminalSafeEscapesControlsAndKeepsVietnamese) {
  using app::terminal_safe;
  EXPECT_EQ(terminal_safe("Sơn La thăm Thanh Hóa — ảnh 1"), "Sơn La thăm Thanh Hóa — ảnh 1");
  EXPECT_EQ(terminal_safe("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(terminal_safe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(terminal_safe("x\x7fy"), "x\\x7fy");
  EXPECT_EQ(terminal_safe("line\nnext\ttab\r"), "line\\nnext\\ttab\\r");
  EXPECT_EQ(terminal_safe("csi\xc2\x9b"
                          "2J"),
            "csi\\u009b2J");  // C1 as UTF-8
  EXPECT_EQ(terminal_safe("raw\x9b"
                          "2J"),
            "raw\\x9b2J");  // a lone C1 byte (not UTF-8)
  EXPECT_EQ(terminal_safe("abc\xe2\x80\xae"
                          "gpj.exe"),
            "abc\\u202egpj.exe");  // right-to-left override
  EXPECT_EQ(terminal_safe(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(AppHardening, HumanOutputEscapesControlCharacters) {
  TempDir dir;
  fs::path ev = dir / "tree/ev";
  write_file(ev / "own.jpg", ingest_jpeg(1));
  write_file(ev / "orphan\x1b]8;;x\x07.jpg", ingest_jpeg(2));
  write_file(ev / "bai.txt", article("KHAI MẠC \x1b]0;pwned\x07 TRIỂN LÃM",
                                     "Đoạn mở đầu của bài viết về triển lãm ảnh.\n\nown.jpg\n"
                                     "Khách tham quan \x1b[31mđỏ\x1b[0m chụp ảnh\xc2\x9b.\n\n"
                                     "thiếu\x1b[2J.jpg\nẢnh không có."));
  std::string archive = (dir / "archive").string();
  auto ingest = run_kho({"--archive", archive, "ingest", (dir / "tree").string()});
  ASSERT_LE(ingest.exit_code, 1) << ingest.err;
  auto clean = [](const std::string& where, const std::string& text) {
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << where << ": " << text;
    EXPECT_EQ(text.find('\x07'), std::string::npos) << where << ": " << text;
    EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos) << where << ": " << text;
  };
  clean("ingest", ingest.err);
  EXPECT_NE(ingest.err.find("unresolved: \"thiếu\\x1b[2J.jpg\""), std::string::npos) << ingest.err;
  EXPECT_NE(ingest.err.find("orphan\\x1b]8;;x\\x07.jpg"), std::string::npos) << ingest.err;

  auto search = run_kho({"--archive", archive, "search", "khach", "tham", "quan"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  clean("search", search.out);
  EXPECT_NE(search.out.find("\\x1b[31m"), std::string::npos) << search.out;

  auto found = parse_json(run_kho({"--archive", archive, "search", "khach", "--json"}).out);
  ASSERT_FALSE(found["groups"].empty());
  std::string event_id = found["groups"][0]["event_id"];
  auto show = run_kho({"--archive", archive, "show", event_id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  clean("show", show.out);
  EXPECT_NE(show.out.find("\\x1b]0;pwned\\x07"), std::string::npos) << show.out;
  auto events = run_kho({"--archive", archive, "events"});
  clean("events", events.out);
}

// ---------------------------------------------------------------- item 9: special files

TEST(AppHardening, AFifoNamedJpgIsAnErrorAndNeverOpened) {
  TempDir dir;
  write_file(dir / "tree/ev/good.jpg", ingest_jpeg(1));
  ASSERT_EQ(::mkfifo((dir / "tree/ev/pipe.jpg").c_str(), 0600), 0);
  auto r = run_kho({"--archive", (dir / "archive").string(), "ingest", (dir / "tree").string(), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = parse_json(r.out);
  EXPECT_EQ(j["photos_added"], 1);
  auto errors = by_name(j["errors"]);
  ASSERT_TRUE(errors.contains("pipe.jpg")) << r.out;
  EXPECT_NE(errors["pipe.jpg"].find("FIFO"), std::string::npos);
}

// ---------------------------------------------------------------- faults: EIO and a full disk

std::string shim_env() { return std::string("LD_PRELOAD=") + KHO_FAULT_SHIM; }
// Sanitizer builds: ASan must come first among the loaded libraries unless told otherwise.
constexpr const char* kAsanOrder = "ASAN_OPTIONS=verify_asan_link_order=0";

TEST(AppHardening, AnEioOnAPhotoReadIsAnErrorAndTheRunGoesOn) {
  TempDir dir;
  write_file(dir / "tree/ev/a.jpg", ingest_jpeg(1));
  write_file(dir / "tree/ev/bad-sector.jpg", ingest_jpeg(2));
  write_file(dir / "tree/ev/c.jpg", ingest_jpeg(3));
  std::string archive = (dir / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", (dir / "tree").string(), "--json"},
                   {shim_env(), "KHO_FAULT_EIO=bad-sector.jpg", kAsanOrder});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = parse_json(r.out);
  EXPECT_EQ(j["photos_added"], 2);
  auto errors = by_name(j["errors"]);
  ASSERT_EQ(errors.size(), 1u) << r.out;
  EXPECT_NE(errors["bad-sector.jpg"].find("Input/output error"), std::string::npos) << errors["bad-sector.jpg"];
  EXPECT_NE(errors["bad-sector.jpg"].find("read"), std::string::npos) << errors["bad-sector.jpg"];
  // The disk is good again: the next run takes the file it could not read, and only that one.
  auto again = run_kho({"--archive", archive, "ingest", (dir / "tree").string(), "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse_json(again.out)["photos_added"], 1);
  EXPECT_EQ(run_kho({"--archive", archive, "verify"}).exit_code, 0);
}

TEST(AppHardening, AnEioOnAnArticleReadIsAnErrorNotAnEmptyArticle) {
  TempDir dir;
  write_file(dir / "tree/ev/a.jpg", ingest_jpeg(1));
  write_file(dir / "tree/ev/bad-sector.txt", article("TIN HỎNG ĐĨA", "Một đoạn.\n\na.jpg\nẢnh."));
  auto r = run_kho({"--archive", (dir / "archive").string(), "ingest", (dir / "tree").string(), "--json"},
                   {shim_env(), "KHO_FAULT_EIO=bad-sector.txt", kAsanOrder});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = parse_json(r.out);
  auto errors = by_name(j["errors"]);
  ASSERT_TRUE(errors.contains("bad-sector.txt")) << r.out;
  EXPECT_NE(errors["bad-sector.txt"].find("Input/output error"), std::string::npos) << errors["bad-sector.txt"];
  EXPECT_EQ(j["photos_added"], 1);
  auto parse = run_kho({"parse", (dir / "tree/ev/bad-sector.txt").string()},
                       {shim_env(), "KHO_FAULT_EIO=bad-sector.txt", kAsanOrder});
  EXPECT_EQ(parse.exit_code, 2) << parse.err;
  EXPECT_NE(parse.err.find("Input/output error"), std::string::npos) << parse.err;
}

TEST(AppHardening, ENospcOnTheArchiveSaysDiskFullAndWhere) {
  TempDir dir;
  write_file(dir / "tree/ev1/a.jpg", ingest_jpeg(1));
  write_file(dir / "tree/ev2/b.jpg", ingest_jpeg(2));
  std::string archive = (dir / "archive").string();
  ASSERT_EQ(run_kho({"--archive", archive, "ingest", (dir / "tree/ev1").string()}).exit_code, 0);
  auto r = run_kho({"--archive", archive, "ingest", (dir / "tree/ev2").string()},
                   {shim_env(), "KHO_FAULT_ENOSPC=" + archive + "/data.mdb", kAsanOrder});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(archive), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Input/output error"), std::string::npos) << r.err;
  // Nothing half-written: the archive verifies, and a run with room finishes the job.
  EXPECT_EQ(run_kho({"--archive", archive, "verify"}).exit_code, 0);
  auto again = run_kho({"--archive", archive, "ingest", (dir / "tree/ev2").string(), "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse_json(again.out)["photos_added"], 1);
}

// A real full file system: a 1 MiB tmpfs holds the archive (root only; CI runs as root).
TEST(AppHardening, AFullTmpfsSaysDiskFullAndWhere) {
  TempDir dir;
  fs::path mnt = dir / "small-disk";
  fs::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "): needs root (CI runs as root)";
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  fs::path samples = kho::testing::source_dir() / "samples";
  std::string archive = (mnt / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", samples.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(archive), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Input/output error"), std::string::npos) << r.err;
  auto verify = run_kho({"--archive", archive, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace kho
