// Every image in ../shared/photos read by kho and compared with exiftool 12.57's reading
// (expected.tsv, made with `exiftool -n -ec`). Acceptance of issue 4:
// - width, height, orientation, make, model: 100% where exiftool has them;
// - exposure (1%), f-number (0.05), ISO, focal length (0.5 mm), GPS (1e-5°), date: ≥ 99%;
// - every description/caption exiftool reads is found, byte-exact after NFC;
// - broken files give a record with warnings or an error, never a crash.
// Where exiftool and the bytes disagree, the bytes decide: those files are listed in kBytesDecide
// with the reason, and each listed disagreement must still happen (a stale entry fails the test).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ingest/src/metadata_internal.h"
#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

// exiftool -ec escapes: \\ \t \n \r \xHH.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 't') out += '\t';
    else if (c == 'n') out += '\n';
    else if (c == 'r') out += '\r';
    else if (c == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

std::vector<Row> load_expected(const fs::path& tsv) {
  std::ifstream in(tsv);
  std::string line;
  std::vector<std::string> header;
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (!line.empty() && line.back() == '\t') cells.emplace_back();
    if (header.empty()) {
      header = cells;
      continue;
    }
    Row row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

// Files where kho follows the bytes and exiftool reports something else (kind "bytes decide"), and
// the few values exiftool takes from vendor-private blocks that neither Exiv2 0.27 nor libexif parse
// (kind "not read": a known gap, named here so that it stays visible). Key: path + field.
const std::map<std::pair<std::string, std::string>, const char*>& bytes_decide() {
  static const std::string fuzzed =
      "metadata-extractor-images/fuzzing/crash-be8afd4d4261d77f4d1ee4188aa7cd09722d1168.fuzzed";
  static const std::string heif_boxes =
      "metadata-extractor-images/heic/IllegalArgumentException.HeifReader.processBoxes.heif";
  static const char* raf =
      "bytes decide: exiftool's ImageWidth/Height is the 8x8 placeholder JPEG inside this stripped "
      "sample; kho reports the RAF's own raw size (1440x960) from its header";
  static const char* rw2 =
      "bytes decide: kho reports the sensor size the RW2 header stores (3724x2754); exiftool a "
      "Composite of its crop borders (3648x2736)";
  static const char* vp9x =
      "bytes decide: the first RIFF chunk is 'VP9X', not a WebP chunk; exiftool resynchronises on a "
      "later fragment and reads 4544257x11600195 from fuzz noise; kho reports no size";
  static const char* primary =
      "bytes decide: two 'ispe' boxes; 'pitm' names the 1440x960 item as the primary image; "
      "exiftool -T prints the last one, the 240x160 thumbnail";
  static const char* ciff =
      "bytes decide: ExifTool.jpg carries EXIF (FUJIFILM, 2001) and a CIFF trailer (Canon, 1998) "
      "that disagree; kho reads the EXIF in APP1, exiftool -T prints the CIFF value";
  static const char* kodak =
      "bytes decide: EXIF ExposureTime says 1/180; exiftool -T prints the Kodak maker note's 1/216";
  static const char* kodak_iso = "not read: ISO only in the Kodak maker note, which Exiv2 0.27 does not decode";
  static const char* canon_iso =
      "not read: ISO only as Canon's Composite (BaseISO x AutoISO); Exiv2 0.27 decodes BaseISO "
      "of this IXUS 40 as 3.125, so kho leaves ISO null rather than report a wrong number";
  static const std::map<std::pair<std::string, std::string>, const char*> list = {
      {{"exiftool/t/images/FujiFilm.raf", "width"}, raf},
      {{"exiftool/t/images/FujiFilm.raf", "height"}, raf},
      {{"exiftool/t/images/Panasonic.rw2", "width"}, rw2},
      {{"exiftool/t/images/Panasonic.rw2", "height"}, rw2},
      {{fuzzed, "width"}, vp9x},
      {{fuzzed, "height"}, vp9x},
      {{heif_boxes, "width"}, primary},
      {{heif_boxes, "height"}, primary},
      {{"exiftool/t/images/ExifTool.jpg", "make"}, ciff},
      {{"exiftool/t/images/ExifTool.jpg", "model"}, ciff},
      {{"exiftool/t/images/ExifTool.jpg", "datetime_original"}, ciff},
      {{"exiftool/t/images/Kodak.jpg", "exposure_time"}, kodak},
      {{"exiftool/t/images/Kodak.jpg", "iso"}, kodak_iso},
      {{"metadata-extractor-images/jpg/Kodak DC3400.jpg", "iso"}, kodak_iso},
      {{"exif-samples/jpg/tests/11-tests.jpg", "iso"}, canon_iso},
      {{"exif-samples/jpg/tests/28-hex_value.jpg", "iso"}, canon_iso},
      {{"orientation/Landscape_0.jpg", "orientation"},
       "bytes decide: the file stores Orientation 0, which is no orientation (EXIF allows 1-8); kho reports "
       "null with a warning, so that consumers never see a value they cannot apply, exiftool reports 0"},
  };
  return list;
}

class MetadataCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    auto shared = kho::testing::shared_dir();
    if (!shared || !fs::exists(*shared / "photos" / "expected.tsv")) {
      GTEST_SKIP() << "../shared/photos/expected.tsv is not beside the checkout: corpus test skipped";
    }
    root_ = *shared / "photos";
    rows_ = load_expected(root_ / "expected.tsv");
    ASSERT_GT(rows_.size(), 200u);
  }
  fs::path root_;
  std::vector<Row> rows_;
};

struct Tally {
  int compared = 0, agreed = 0;
  std::vector<std::string> misses;
  void add(bool ok, const std::string& what) {
    ++compared;
    if (ok) ++agreed;
    else misses.push_back(what);
  }
  double rate() const { return compared ? static_cast<double>(agreed) / compared : 1.0; }
};

std::string show(const std::optional<std::string>& v) { return v ? "'" + *v + "'" : "null"; }
template <typename T>
std::string show_num(const std::optional<T>& v) {
  return v ? std::to_string(*v) : "null";
}

TEST_F(MetadataCorpus, AgreesWithExiftool) {
  std::map<std::string, Tally> exact, numeric, captions;
  std::set<std::pair<std::string, std::string>> excused_seen;
  int records = 0, errors = 0;
  for (const auto& row : rows_) {
    const std::string& path = row.at("path");
    std::string bytes = kho::testing::read_file(root_ / path);
    CaptionSources src;
    auto result = read_metadata({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, &src);
    if (!result.ok()) {
      ++errors;
      // Only bytes exiftool could not identify either, or that are not still images, may be refused.
      const std::string& type = row.at("file_type");
      EXPECT_TRUE(type == "-" || type == "MP4") << path << ": " << result.status().to_string();
      EXPECT_TRUE(result.status().is_invalid_argument()) << path;
      continue;
    }
    ++records;
    const kho::Metadata& m = *result;
    auto check = [&](std::map<std::string, Tally>& group, const std::string& field, bool ok,
                     const std::string& detail) {
      auto key = std::make_pair(path, field);
      if (bytes_decide().count(key)) {
        // A listed disagreement must still disagree; when it agrees, the entry is stale.
        if (!ok) excused_seen.insert(key);
        return;
      }
      group[field].add(ok, path + ": " + detail);
    };
    auto has = [&](const char* col) { return row.count(col) && row.at(col) != "-"; };
    auto num = [&](const char* col) { return std::strtod(row.at(col).c_str(), nullptr); };
    // A numeric column counts only when exiftool printed a finite number other than 0 ("inf" and
    // "undef" are exiftool's words for 1/0 and 0/0). EXIF writes 0 for "unknown" in these tags
    // (GPS.jpg's FocalLength, a TIFF's FNumber); kho reports that as null, not as 0.
    auto has_num = [&](const char* col) {
      if (!has(col)) return false;
      char* end = nullptr;
      double v = std::strtod(row.at(col).c_str(), &end);
      return end && *end == '\0' && end != row.at(col).c_str() && std::isfinite(v) && v != 0;
    };

    if (has_num("width") && has_num("height")) {
      check(exact, "width", m.width && *m.width == std::stoll(row.at("width")),
            "width " + show_num(m.width) + " vs " + row.at("width"));
      check(exact, "height", m.height && *m.height == std::stoll(row.at("height")),
            "height " + show_num(m.height) + " vs " + row.at("height"));
    }
    if (has("orientation")) {  // 0 included: it is a stored value, not "unknown"
      check(exact, "orientation", m.orientation && *m.orientation == std::stoi(row.at("orientation")),
            "orientation " + show_num(m.orientation) + " vs " + row.at("orientation"));
    }
    if (has("make")) {
      check(exact, "make", m.make == unescape(row.at("make")), "make " + show(m.make) + " vs '" + row.at("make") + "'");
    }
    if (has("model")) {
      check(exact, "model", m.model == unescape(row.at("model")),
            "model " + show(m.model) + " vs '" + row.at("model") + "'");
    }

    if (has("datetime_original")) {
      auto expected = detail::exif_datetime_to_iso(row.at("datetime_original"), "", "");
      if (expected) {
        bool ok = m.datetime_original && m.datetime_original->substr(0, 19) == expected->substr(0, 19);
        check(numeric, "datetime_original", ok, show(m.datetime_original) + " vs " + row.at("datetime_original"));
      }
    }
    if (has_num("exposure_time")) {
      double e = num("exposure_time");
      check(numeric, "exposure_time", m.exposure_time && std::abs(*m.exposure_time - e) <= 0.01 * e,
            show_num(m.exposure_time) + " vs " + row.at("exposure_time"));
    }
    if (has_num("f_number")) {
      check(numeric, "f_number", m.f_number && std::abs(*m.f_number - num("f_number")) <= 0.05,
            show_num(m.f_number) + " vs " + row.at("f_number"));
    }
    if (has_num("iso")) {
      check(numeric, "iso", m.iso && static_cast<double>(*m.iso) == num("iso"),
            show_num(m.iso) + " vs " + row.at("iso"));
    }
    if (has_num("focal_length")) {
      check(numeric, "focal_length", m.focal_length && std::abs(*m.focal_length - num("focal_length")) <= 0.5,
            show_num(m.focal_length) + " vs " + row.at("focal_length"));
    }
    if (has_num("gps_latitude") && has_num("gps_longitude")) {
      bool ok = m.gps_lat && m.gps_lon && std::abs(*m.gps_lat - num("gps_latitude")) <= 1e-5 &&
                std::abs(*m.gps_lon - num("gps_longitude")) <= 1e-5;
      check(numeric, "gps", ok,
            show_num(m.gps_lat) + "," + show_num(m.gps_lon) + " vs " + row.at("gps_latitude") + "," +
                row.at("gps_longitude"));
    }

    auto caption = [&](const char* col, const std::optional<std::string>& got) {
      if (!has(col)) return;
      std::string want = detail::meta_text(unescape(row.at(col)));
      check(captions, col, got == want, std::string(col) + " " + show(got) + " vs '" + want + "'");
    };
    caption("xmp_description", src.xmp_description);
    caption("iptc_caption", src.iptc_caption);
    caption("exif_image_description", src.exif_description);
    // The record's description is the first non-placeholder source in priority order.
    if (src.xmp_description && !detail::trim(*src.xmp_description).empty()) {
      EXPECT_EQ(m.description, detail::trim(*src.xmp_description)) << path;
    } else if (src.iptc_caption && !detail::trim(*src.iptc_caption).empty()) {
      EXPECT_EQ(m.description, detail::trim(*src.iptc_caption)) << path;
    }
    EXPECT_TRUE(m.format.has_value()) << path;
  }

  auto report = [](const char* title, const std::map<std::string, Tally>& group, double need) {
    for (const auto& [field, t] : group) {
      std::string misses;
      for (const auto& m : t.misses) misses += "\n    " + m;
      EXPECT_GE(t.rate(), need) << title << " " << field << ": " << t.agreed << "/" << t.compared << misses;
      std::printf("[ corpus   ] %-24s %3d/%3d agree\n", field.c_str(), t.agreed, t.compared);
    }
  };
  report("exact", exact, 1.0);
  report("numeric", numeric, 0.99);
  report("caption", captions, 1.0);
  std::printf("[ corpus   ] %d records, %d refused as not an image, %zu listed disagreements\n", records, errors,
              excused_seen.size());
  for (const auto& [key, why] : bytes_decide()) {
    EXPECT_TRUE(excused_seen.count(key)) << "stale exception (kho now agrees with exiftool, or the file is gone): "
                                         << key.first << " " << key.second << " (" << why << ")";
  }
}

}  // namespace
}  // namespace kho::ingest
