// `kho export` (DESIGN.md §5, issue 13) on the samples: exiftool reads back every field on every copy of
// the seed event, the compressed image data is the original's, `kho meta` and a fresh ingest read the
// captions back, and bad input (read-only target, full disk, name clash, changed or vanished original)
// gives clear errors while the other photos still export.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using kho::testing::read_file;
using kho::testing::run_command;
using kho::testing::run_kho;
using kho::testing::TempDir;
using nlohmann::json;

const char* kSeedTitle = "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA";

std::string scan_data(const std::string& jpeg) {
  std::size_t i = 2;
  while (i + 4 <= jpeg.size() && static_cast<unsigned char>(jpeg[i]) == 0xFF) {
    const unsigned char m = static_cast<unsigned char>(jpeg[i + 1]);
    if (m == 0xDA) return jpeg.substr(i);
    i += 2 + ((static_cast<unsigned char>(jpeg[i + 2]) << 8) | static_cast<unsigned char>(jpeg[i + 3]));
  }
  return {};
}

// exiftool's path, or "" when it is not installed.
std::string exiftool_path() {
  auto r = run_command({"/bin/sh", "-c", "command -v exiftool"});
  std::string p = r.exit_code == 0 ? r.out : "";
  while (!p.empty() && (p.back() == '\n' || p.back() == ' ')) p.pop_back();
  return p;
}
bool have_exiftool() { return !exiftool_path().empty(); }

json exiftool_json(const std::vector<std::string>& files) {
  std::vector<std::string> argv = {exiftool_path(), "-j", "-G1", "-a", "-charset", "iptc=UTF8"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::string str(const json& j) {
  if (j.is_array()) return j.empty() ? "" : str(j[0]);
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

// A copy of samples/ ingested into its own archive.
struct Archive {
  TempDir dir;
  fs::path samples = dir / "samples";
  std::string archive = (dir / "archive").string();
  std::string seed_event;

  Archive() {
    fs::copy(kho::testing::source_dir() / "samples", samples, fs::copy_options::recursive);
    auto r = run_kho({"--archive", archive, "ingest", samples.string(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto ev = json::parse(run_kho({"--archive", archive, "events", "--json"}).out);
    for (const auto& e : ev["events"])
      if (e["title"] == kSeedTitle) seed_event = e["id"];
    EXPECT_EQ(seed_event.size(), 16u);
  }
  // digest → caption shown for it on the event page (its own caption, else its group caption).
  std::map<std::string, std::string> captions(const std::string& event_id) const {
    auto ev = json::parse(run_kho({"--archive", archive, "show", event_id, "--json"}).out);
    std::map<std::string, std::string> out;
    for (const auto& p : ev["photos"]) out[p["digest"]] = str(p["caption"]);
    return out;
  }
  kho::testing::CommandResult export_to(const std::vector<std::string>& args) const {
    std::vector<std::string> a = {"--archive", archive, "export"};
    a.insert(a.end(), args.begin(), args.end());
    return run_kho(a);
  }
};

class AppExport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new Archive(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  static Archive* shared_;
};
Archive* AppExport::shared_ = nullptr;

TEST_F(AppExport, SeedEventReadsBackInExiftoolWithPixelsUntouched) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (libimage-exiftool-perl)";
  TempDir out;
  auto r = shared_->export_to({shared_->seed_event, "--to", out.path().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["exported"].size(), 8u);
  EXPECT_TRUE(doc["errors"].empty());
  const auto captions = shared_->captions(shared_->seed_event);
  std::vector<std::string> files, sources;
  for (const auto& e : doc["exported"]) {
    files.push_back(e["path"]);
    sources.push_back(e["source"]);
  }
  json copies = exiftool_json(files), originals = exiftool_json(sources);
  ASSERT_EQ(copies.size(), 8u);
  for (std::size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i]);
    const json& c = copies[i];
    const json& o = originals[i];
    const std::string caption = captions.at(doc["exported"][i]["digest"]);
    ASSERT_FALSE(caption.empty());
    EXPECT_EQ(str(c["XMP-dc:Description"]), caption);
    EXPECT_EQ(str(c["IPTC:Caption-Abstract"]), caption);
    EXPECT_EQ(str(c["IPTC:CodedCharacterSet"]), "UTF8");
    EXPECT_EQ(str(c["XMP-photoshop:Headline"]), kSeedTitle);
    EXPECT_EQ(str(c["IPTC:Headline"]), kSeedTitle);
    EXPECT_EQ(str(c["XMP-iptcExt:Event"]), kSeedTitle);
    EXPECT_EQ(str(c["XMP-dc:Creator"]), "Thu Hiền");
    EXPECT_EQ(str(c["IPTC:By-line"]), "Thu Hiền");
    EXPECT_EQ(str(c["XMP-photoshop:Credit"]), "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa");
    EXPECT_LE(str(c["IPTC:Credit"]).size(), 32u);
    EXPECT_EQ(str(c["XMP-dc:Source"]).substr(str(c["XMP-dc:Source"]).size() - 24), "000_b3632f37396194da.txt");
    // The capture time, kept as it was: XMP DateCreated and IPTC 2:55 agree with the camera's EXIF.
    const std::string dto = str(o["ExifIFD:DateTimeOriginal"]);
    ASSERT_EQ(dto.size(), 19u);
    EXPECT_EQ(str(c["ExifIFD:DateTimeOriginal"]), dto);
    EXPECT_EQ(str(c["XMP-photoshop:DateCreated"]).substr(0, 19), dto);
    EXPECT_EQ(str(c["IPTC:DateCreated"]), dto.substr(0, 10));
    EXPECT_EQ(str(c["IPTC:TimeCreated"]).substr(0, 8), dto.substr(11, 8));
    // Camera EXIF kept.
    EXPECT_EQ(str(c["IFD0:Make"]), str(o["IFD0:Make"]));
    EXPECT_EQ(str(c["IFD0:Model"]), str(o["IFD0:Model"]));
    // Every IIM text within its limit (exiftool gives the decoded UTF-8: its byte length is the stored one).
    for (const auto& [key, limit] : std::map<std::string, std::size_t>{
             {"IPTC:Caption-Abstract", 2000}, {"IPTC:Headline", 256}, {"IPTC:By-line", 32}, {"IPTC:Credit", 32}})
      EXPECT_LE(str(c[key]).size(), limit) << key;
    // Pixels untouched: the compressed data from SOS to EOI is byte-identical.
    const std::string copy_bytes = read_file(files[i]), original_bytes = read_file(sources[i]);
    ASSERT_FALSE(scan_data(original_bytes).empty());
    EXPECT_EQ(scan_data(copy_bytes), scan_data(original_bytes));
  }
  // The originals were not touched.
  for (const auto& s : sources) EXPECT_EQ(exiftool_json({s})[0].count("XMP-photoshop:Headline"), 0u) << s;
}

TEST_F(AppExport, KhoMetaAndAFreshIngestReadTheCaptionsBack) {
  TempDir out, second;
  auto r = shared_->export_to({shared_->seed_event, "--to", (out / "event").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  const auto captions = shared_->captions(shared_->seed_event);
  std::map<std::string, std::string> by_name;  // exported file name → caption
  for (const auto& e : doc["exported"]) {
    const std::string path = e["path"];
    auto m = run_kho({"meta", path, "--json"});
    ASSERT_EQ(m.exit_code, 0) << m.err;
    json meta = json::parse(m.out);
    const std::string caption = captions.at(e["digest"]);
    EXPECT_EQ(meta["description"], caption) << path;
    EXPECT_EQ(meta["headline"], kSeedTitle);
    EXPECT_EQ(meta["event"], kSeedTitle);
    EXPECT_EQ(meta["creator"], "Thu Hiền");
    EXPECT_EQ(meta["credit"], "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa");
    auto orig = json::parse(run_kho({"meta", e["source"], "--json"}).out);
    EXPECT_EQ(meta["datetime_original"], orig["datetime_original"]);
    by_name[fs::path(path).filename().string()] = caption;
  }
  // A new archive made from the exported folder alone (no article) shows the same captions.
  const std::string archive2 = (second / "archive").string();
  auto ing = run_kho({"--archive", archive2, "ingest", (out / "event").string(), "--json"});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  EXPECT_EQ(json::parse(ing.out)["articles"], 0);
  auto events = json::parse(run_kho({"--archive", archive2, "events", "--json"}).out);
  ASSERT_EQ(events["events"].size(), 1u);
  auto ev = json::parse(run_kho({"--archive", archive2, "show", events["events"][0]["id"], "--json"}).out);
  EXPECT_TRUE(ev["articles"].empty());
  ASSERT_EQ(ev["photos"].size(), 8u);
  for (const auto& p : ev["photos"]) EXPECT_EQ(str(p["caption"]), by_name.at(p["name"])) << p["name"];
  // The photo page (and `kho show PHOTO`) falls back to the embedded description too.
  auto photo = json::parse(run_kho({"--archive", archive2, "show", ev["photos"][0]["digest"], "--json"}).out);
  EXPECT_EQ(str(photo["caption"]), by_name.at(ev["photos"][0]["name"]));
  // And search finds the photos by their embedded caption.
  auto hits = json::parse(run_kho({"--archive", archive2, "search", "Làng cổ Đông Sơn", "--json"}).out);
  EXPECT_FALSE(hits["hits"].empty());
}

TEST_F(AppExport, ChangedAndVanishedOriginalsAreRefusedWhileTheOthersExport) {
  Archive own;
  const fs::path folder = own.samples / "2020-11-18 Sơn La thăm Thanh Hóa";
  {
    std::string bytes = read_file(folder / "tặng sơn la tranh.jpg");
    bytes[bytes.size() / 2] ^= 0x55;  // same size, other bytes: only the digest tells
    kho::testing::write_file(folder / "tặng sơn la tranh.jpg", bytes);
  }
  fs::remove(folder / "thăm phòng truyền thống.jpg");
  TempDir out;
  auto r = own.export_to({own.seed_event, "--to", out.path().string(), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["exported"].size(), 6u);
  ASSERT_EQ(doc["errors"].size(), 2u);
  std::map<std::string, std::string> reasons;
  for (const auto& e : doc["errors"]) reasons[fs::path(e["path"].get<std::string>()).filename().string()] = e["reason"];
  EXPECT_NE(reasons["tặng sơn la tranh.jpg"].find("changed since ingest"), std::string::npos);
  EXPECT_NE(reasons["thăm phòng truyền thống.jpg"].find("vanished"), std::string::npos);
  EXPECT_FALSE(fs::exists(out / "tặng sơn la tranh.jpg"));
  // Without --json the errors are on stderr, each naming the file.
  TempDir out2;
  auto plain = own.export_to({own.seed_event, "--to", out2.path().string()});
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_NE(plain.err.find("tặng sơn la tranh.jpg: "), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("exported 6 of 8 photos"), std::string::npos) << plain.err;
}

TEST_F(AppExport, NameClashesGetSuffixesAndExistingFilesAreNeverOverwritten) {
  TempDir out;
  kho::testing::write_file(out / "tặng sơn la tranh.jpg", "mine");
  auto r = shared_->export_to({shared_->seed_event, "--to", out.path().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out / "tặng sơn la tranh.jpg"), "mine");
  EXPECT_TRUE(fs::exists(out / "tặng sơn la tranh-2.jpg"));
  // A template that gives every photo the same name: still 8 distinct files.
  TempDir same;
  auto t = shared_->export_to({shared_->seed_event, "--to", same.path().string(), "--names", "{event}", "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  std::set<std::string> names;
  const json tdoc = json::parse(t.out);
  for (const auto& e : tdoc["exported"]) names.insert(e["path"].get<std::string>());
  EXPECT_EQ(names.size(), 8u);
  EXPECT_TRUE(fs::exists(same / (std::string(kSeedTitle) + ".jpg")));
  EXPECT_TRUE(fs::exists(same / (std::string(kSeedTitle) + "-8.jpg")));
  // {date}_{event}_{n}: capture date, event title, a zero-padded sequence number.
  TempDir dated;
  auto d = shared_->export_to(
      {shared_->seed_event, "--to", dated.path().string(), "--names", "{date}_{event}_{n}", "--json"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const std::string first = fs::path(json::parse(d.out)["exported"][0]["path"].get<std::string>()).filename();
  EXPECT_EQ(first, "2020-11-18_" + std::string(kSeedTitle) + "_001.jpg");
  // Unsafe characters never reach the file system.
  TempDir unsafe;
  auto u = shared_->export_to({shared_->seed_event, "--to", unsafe.path().string(), "--names", "../{n}/x:y"});
  ASSERT_EQ(u.exit_code, 0) << u.err;
  for (const auto& e : fs::directory_iterator(unsafe.path())) EXPECT_TRUE(e.is_regular_file());
  EXPECT_TRUE(fs::exists(unsafe / "_001_x_y.jpg"));
}

TEST_F(AppExport, AReadOnlyTargetIsAClearErrorForEachPhoto) {
  TempDir out;
  const fs::path target = out / "ro";
  fs::create_directories(target);
  bool mounted = false;
  if (::geteuid() == 0) {  // root writes through permission bits: a read-only tmpfs is the real thing
    mounted = std::system(("mount -t tmpfs -o ro,size=64k tmpfs '" + target.string() + "' 2>/dev/null").c_str()) == 0;
    if (!mounted) GTEST_SKIP() << "running as root and cannot mount a read-only tmpfs";
  } else {
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_exec);
  }
  auto r = shared_->export_to({shared_->seed_event, "--to", target.string(), "--json"});
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(target)) ++entries;
  if (mounted) std::system(("umount '" + target.string() + "'").c_str());
  else fs::permissions(target, fs::perms::owner_all);
  EXPECT_EQ(r.exit_code, 2) << "nothing could be exported";
  json doc = json::parse(r.out);
  EXPECT_TRUE(doc["exported"].empty());
  ASSERT_EQ(doc["errors"].size(), 8u);
  const std::string reason = doc["errors"][0]["reason"];
  EXPECT_TRUE(reason.find("read-only") != std::string::npos || reason.find("Permission denied") != std::string::npos)
      << reason;
  EXPECT_EQ(entries, 0u);
}

TEST_F(AppExport, AFullDiskFailsSomePhotosCleanlyAndTheOthersExport) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to mount a small tmpfs (a full disk cannot be simulated safely otherwise)";
  TempDir out;
  const fs::path target = out / "small";
  fs::create_directories(target);
  // The seed event's copies take 1.47 MB; 600 KiB holds a few of them.
  if (std::system(("mount -t tmpfs -o size=600k tmpfs '" + target.string() + "' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here";
  auto r = shared_->export_to({shared_->seed_event, "--to", target.string(), "--json"});
  std::vector<std::string> names;
  std::map<std::string, std::string> written;
  for (const auto& e : fs::directory_iterator(target)) {
    names.push_back(e.path().filename().string());
    written[e.path().string()] = read_file(e.path());
  }
  std::system(("umount '" + target.string() + "'").c_str());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_GE(doc["exported"].size(), 1u);
  EXPECT_GE(doc["errors"].size(), 1u);
  EXPECT_EQ(doc["exported"].size() + doc["errors"].size(), 8u);
  for (const auto& e : doc["errors"])
    EXPECT_NE(e["reason"].get<std::string>().find("disk full"), std::string::npos) << e;
  EXPECT_EQ(names.size(), doc["exported"].size()) << "no partial or temporary file is left";
  for (const auto& e : doc["exported"]) {  // each file there is complete
    const std::string& bytes = written[e["path"]];
    EXPECT_EQ(scan_data(bytes), scan_data(read_file(e["source"].get<std::string>()))) << e["path"];
  }
}

TEST_F(AppExport, SidecarKeepsTheBytesAndWritesNameDotXmp) {
  TempDir out;
  auto r = shared_->export_to({shared_->seed_event, "--to", out.path().string(), "--sidecar", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["exported"].size(), 8u);
  const auto captions = shared_->captions(shared_->seed_event);
  for (const auto& e : doc["exported"]) {
    const std::string path = e["path"], sidecar = e["sidecar"];
    EXPECT_EQ(read_file(path), read_file(e["source"].get<std::string>())) << "a plain copy";
    EXPECT_EQ(fs::path(sidecar).stem(), fs::path(path).stem());
    EXPECT_EQ(fs::path(sidecar).extension(), ".xmp");
    const std::string xmp = read_file(sidecar);
    EXPECT_NE(xmp.find(captions.at(e["digest"])), std::string::npos) << sidecar;
    EXPECT_NE(xmp.find("Thu Hiền"), std::string::npos);
  }
  if (have_exiftool()) {
    json j = exiftool_json({doc["exported"][0]["sidecar"]});
    EXPECT_EQ(str(j[0]["XMP-photoshop:Headline"]), kSeedTitle);
  }
}

TEST_F(AppExport, SelectorsAndUsageErrors) {
  TempDir out;
  auto all = shared_->export_to({"--all", "--to", (out / "all").string(), "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(json::parse(all.out)["exported"].size(), 14u);
  auto found = shared_->export_to({"--search", "Làng cổ Đông Sơn", "--to", (out / "s").string(), "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_GE(json::parse(found.out)["exported"].size(), 1u);
  // An article id exports its linked photos.
  auto ev = json::parse(run_kho({"--archive", shared_->archive, "show", shared_->seed_event, "--json"}).out);
  auto art = shared_->export_to({ev["articles"][0]["id"], "--to", (out / "a").string(), "--json"});
  ASSERT_EQ(art.exit_code, 0) << art.err;
  EXPECT_EQ(json::parse(art.out)["exported"].size(), 8u);
  // One photo digest.
  const std::string digest = ev["photos"][0]["digest"];
  auto one = shared_->export_to({digest, "--to", (out / "d").string(), "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["exported"][0]["digest"], digest);

  EXPECT_EQ(shared_->export_to({"--to", (out / "x").string()}).exit_code, 2);
  EXPECT_EQ(shared_->export_to({shared_->seed_event, "--all", "--to", (out / "x").string()}).exit_code, 2);
  EXPECT_EQ(shared_->export_to({"0123456789abcdef", "--to", (out / "x").string()}).exit_code, 2);
  EXPECT_EQ(shared_->export_to({"not-an-id", "--to", (out / "x").string()}).exit_code, 2);
  auto bad = shared_->export_to({shared_->seed_event, "--to", (out / "x").string(), "--names", "{nope}"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown field {nope}"), std::string::npos) << bad.err;
  EXPECT_EQ(shared_->export_to({shared_->seed_event}).exit_code, 2) << "--to is required";
}

}  // namespace
