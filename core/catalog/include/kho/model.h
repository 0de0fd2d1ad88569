// The archive's model (DESIGN.md §1): photos, files, events, articles, links.
//
// These are plain values. Text fields hold NFC UTF-8 exactly as written in the source; derived keys
// (folded, search) are computed from them and never replace them. Paths are stored as the raw bytes the
// operating system gave, which may not be valid UTF-8 (see display_path() in kho/json_model.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kho {

// SHA-256 of a photo's bytes: its identity.
struct Digest {
  std::array<std::uint8_t, 32> bytes{};

  std::string hex() const;  // 64 lower-case hex digits
  // Parses 64 hex digits (either case); nullopt for anything else.
  static std::optional<Digest> from_hex(std::string_view hex);
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;
};

// What `kho meta` reports (DESIGN.md §5). Absent fields are nullopt / empty.
struct Metadata {
  std::optional<std::string> format;  // detected from the bytes: "jpeg", "png", "tiff", "webp", "heif", …
  std::optional<std::int64_t> width;   // as stored, before orientation
  std::optional<std::int64_t> height;
  std::optional<int> orientation;  // EXIF 1–8
  std::optional<std::string> make, model, lens;
  std::optional<std::string> datetime_original;  // ISO 8601, with sub-seconds and offset when known
  std::optional<double> exposure_time;           // seconds
  std::optional<double> f_number;
  std::optional<std::int64_t> iso;
  std::optional<double> focal_length;  // mm
  std::optional<double> gps_lat, gps_lon, gps_alt;  // signed decimal degrees; metres
  std::optional<std::string> description, headline;
  std::vector<std::string> keywords;
  std::optional<std::string> creator, credit, event;
  std::vector<std::string> warnings;
  // Shooting settings, as the EXIF codes the camera wrote (the gallery words them): Flash (0x9209, bit
  // field), ExposureProgram (0x8822), MeteringMode (0x9207), WhiteBalance (0xA403); ExposureBiasValue in EV.
  std::optional<std::int64_t> flash, exposure_program, metering_mode, white_balance;
  std::optional<double> exposure_bias;

  friend bool operator==(const Metadata&, const Metadata&) = default;
};

// Perceptual signatures computed from the decoded pixels (OpenCV img_hash).
struct Signatures {
  std::uint64_t phash = 0;                  // 64-bit PHash, bit i = byte i/8, bit i%8 of OpenCV's output
  std::vector<std::uint8_t> block_mean;     // BlockMeanHash (mode 0): 32 bytes, empty when absent
  std::vector<float> color_moment;          // ColorMomentHash: 42 values, empty when absent
  friend bool operator==(const Signatures&, const Signatures&) = default;
};

// One set of bytes.
struct Photo {
  Digest digest;
  std::uint64_t size = 0;         // bytes
  std::uint32_t width = 0;        // pixels as displayed (after EXIF orientation); 0 if not decoded
  std::uint32_t height = 0;
  Metadata meta;
  Signatures sig;
  bool has_signatures = false;
  bool has_thumbs = false;        // thumbs holds the preview and the grid thumbnail
  bool has_mid_thumb = false;     // thumbs also holds the 640 px one (photos ingested since it exists, > 640 px)
  std::int64_t added_at = 0;      // unix seconds of first ingest
  std::string first_path;         // the path where it was first seen (raw bytes)
  friend bool operator==(const Photo&, const Photo&) = default;
};

// A path on disk that held a photo's bytes when last ingested.
struct File {
  std::string path;              // absolute, raw bytes as the OS gave them
  Digest digest;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string event_id;
  friend bool operator==(const File&, const File&) = default;
};

// An event: one folder of photos, with zero or more articles.
struct Event {
  std::string id;                         // event_id_for_folder(folder): FNV-1a-64, 16 hex digits
  std::string folder;                     // absolute folder path (raw bytes)
  std::string title;                      // first article's title, else the folder's name
  std::optional<std::string> date;        // ISO 8601: first dated article's date, else earliest EXIF date
  std::vector<std::string> article_ids;   // in the order found
  std::optional<Digest> cover;            // first linked photo, else the folder's first photo
  std::uint32_t photo_count = 0;          // distinct photos (digests) in the folder
  friend bool operator==(const Event&, const Event&) = default;
};

// A photo reference inside an article, as the parser found it.
struct PhotoRef {
  std::string ref;                           // the file name as written (NFC, trimmed)
  std::optional<std::string> caption;        // its own caption
  std::optional<std::string> group_caption;  // a caption covering several photos
  std::optional<std::string> credit;         // "Ảnh: …"
  bool caption_weak = false;                 // the caption is only the image's alt/title text (HTML)
  friend bool operator==(const PhotoRef&, const PhotoRef&) = default;
};

// The article's body in published order: paragraphs with photos in between.
struct ArticleBlock {
  enum class Kind : std::uint8_t { kParagraph = 0, kPhoto = 1, kGroupCaption = 2 };
  Kind kind = Kind::kParagraph;
  std::string text;            // paragraph or group caption text; empty for kPhoto
  std::uint32_t ref_index = 0;  // for kPhoto: index into Article::refs
  friend bool operator==(const ArticleBlock&, const ArticleBlock&) = default;
};

struct Article {
  // ingest::article_id(): the first 16 hex digits of SHA-256 over the title's search key and the day.
  std::string id;
  std::string title;
  std::optional<std::string> date;    // ISO 8601, with offset when known
  std::optional<std::string> author;  // the author/source line
  std::vector<ArticleBlock> blocks;
  std::vector<PhotoRef> refs;
  std::vector<std::string> sources;   // the export files it came from
  std::uint32_t copies = 1;           // how many copies were collapsed into this one
  std::string event_id;
  friend bool operator==(const Article&, const Article&) = default;
};

// How a reference was resolved to a file (ingest/linker). Ordered from strongest to weakest, except
// kEmbedded (added later, hence after kUnresolved), which is as sure as kExact.
enum class LinkMethod : std::uint8_t {
  kExact = 0,       // byte-identical name
  kNfc = 1,         // equal after NFC (NFD names from a Mac)
  kCaseFolded = 2,  // equal after case folding
  kCompareKey = 3,  // equal after unifying the two tone-mark placements
  kSearchKey = 4,   // equal with all marks removed (thăm = tham)
  kTelex = 5,       // equal after repairing a Telex typing slip (toanf = toàn)
  kFuzzy = 6,       // small edit distance on the folded key
  kUnresolved = 7,  // no file found
  kEmbedded = 8,    // the article carries the file: a saved page's _files/ image, a .docx's word/media part
};
const char* link_method_name(LinkMethod m);

// Why the linker did not take a candidate file for a reference (Link::near_misses).
enum class NearMissReason : std::uint8_t {
  kTie = 0,          // as close as another candidate: the linker leaves a tie unresolved rather than guess
  kTaken = 1,        // another reference of the article took it (NearMiss::taken_by)
  kTooFar = 2,       // its name is farther than the fuzzy stage allows
  kOtherNumber = 3,  // the names differ in a number ("phòng 2" is not "phòng 3")
  kOtherType = 4,    // another kind of file (extension)
  kNotChosen = 5,    // an alternative of a low-confidence link: the linked file is as close or closer
};
const char* near_miss_reason_name(NearMissReason r);

// A file the linker considered for a reference and did not take: the best few are kept with the link of an
// unresolved or low-confidence reference, in the linker's order, so an editor can link one in one click.
struct NearMiss {
  std::string path;                        // the file (raw bytes; a name from the linker, a full path once stored)
  std::optional<Digest> digest;            // its photo (filled by the pipeline)
  LinkMethod method = LinkMethod::kFuzzy;  // the strongest stage whose key matched, else kFuzzy
  std::uint32_t distance = 0;              // edit distance between the folded names (search key, slips repaired)
  NearMissReason reason = NearMissReason::kTooFar;
  std::uint32_t taken_by = 0;  // kTaken: the position of the reference that took it
  friend bool operator==(const NearMiss&, const NearMiss&) = default;
};

// A photo ↔ article reference.
struct Link {
  std::string article_id;
  std::uint32_t position = 0;   // index of the reference in the article
  std::optional<Digest> digest;  // nullopt when unresolved
  std::string path;             // the file it resolved to (raw bytes); empty when unresolved
  std::string ref;
  std::optional<std::string> caption;
  std::optional<std::string> group_caption;
  LinkMethod method = LinkMethod::kUnresolved;
  float confidence = 0.0f;      // 0–1
  std::vector<NearMiss> near_misses;  // unresolved and low-confidence links (ingest/linker.h), best first
  friend bool operator==(const Link&, const Link&) = default;
};

// Derivative sizes kept in the thumbs database.
enum class ThumbSize : std::uint8_t { kGrid = 0 /* 320 px */, kPreview = 1 /* 1280 px */, kMid = 2 /* 640 px */ };
std::optional<ThumbSize> thumb_size_from_pixels(int px);  // 320 → kGrid, 640 → kMid, 1280 → kPreview
int thumb_size_pixels(ThumbSize size);

}  // namespace kho
