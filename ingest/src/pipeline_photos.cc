#include "pipeline_photos.h"

#include <fcntl.h>
#include <malloc.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "embedded_photos.h"
#include "kho/ingest/digest.h"
#include "kho/ingest/scanner.h"
#include "pipeline_util.h"
#include "raw_preview.h"

#include "kho/crash_point.h"
#include "kho/ingest/metadata.h"
#include "kho/search.h"

namespace kho::ingest::detail {
namespace {

// One photo file on its way through the stages. Owned by the pipeline from the input stage to the writer.
struct Item {
  enum class Kind { kNew, kKnown, kCopyInRun, kFailed };
  const PhotoJob* job = nullptr;
  Kind kind = Kind::kNew;
  bool hashed = false;
  std::vector<std::uint8_t> bytes;  // released as soon as the last stage that needs them is done
  Digest digest;
  Metadata meta;
  ProcessedPhoto processed;
  std::string error;
};

void release(std::vector<std::uint8_t>& bytes) { std::vector<std::uint8_t>().swap(bytes); }

// Reads the whole file once. The reason says what went wrong in words a user can act on.
bool read_file(const std::string& path, bool via_link, std::uint64_t max_bytes, std::vector<std::uint8_t>& out,
               std::string& reason) {
  if (detail::split_embedded_path(path)) return detail::read_embedded_photo(path, max_bytes, out, reason);
  // O_NONBLOCK: a FIFO put in the file's place after the scan must not hang the run (fstat then refuses it).
  // O_NOFOLLOW unless the scan followed a link here: a file swapped for a link after the scan is refused.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | (via_link ? 0 : O_NOFOLLOW));
  if (fd < 0) {
    reason = errno == ELOOP && !via_link ? "replaced by a symbolic link after the scan: not followed"
                                         : std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  struct stat st {};
  bool ok = false;
  if (::fstat(fd, &st) != 0) {
    reason = std::string("cannot stat: ") + std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    reason = "not a regular file";
  } else if (st.st_size == 0) {
    reason = "zero bytes: an empty file is not an image";
  } else if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    reason = "too large: " + std::to_string(st.st_size) + " bytes (the limit is " + std::to_string(max_bytes) + ")";
  } else {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::read(fd, out.data() + got, out.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        reason = errno == EIO ? "read error: Input/output error (the disk or the file system could not return the data)"
                              : std::string("read error: ") + std::strerror(errno);
        break;
      }
      if (n == 0) {
        reason = "the file shrank while it was being read";
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    ok = got == out.size();
  }
  ::close(fd);
  if (!ok) release(out);
  return ok;
}

// Camera raw: thumbnails from the largest embedded JPEG preview (what Photo Mechanic shows, and 20-100x
// cheaper than demosaicing), else the processor's raw path (LibRaw's thumbnail, then a half-size decode with
// a warning). The photo's size is the full image's from the metadata, not the preview's.
Result<ProcessedPhoto> process_raw_photo(Item& item, const PhotoProcessor& processor, int orientation) {
  std::vector<std::string> notes;
  std::string preview_problem;
  auto preview = largest_raw_preview(item.bytes, &notes);
  const bool small = preview && std::max(preview->width, preview->height) < 320 &&
                     (preview->width != 0 || preview->height != 0);
  if (preview && !small) {
    auto out = processor.process(preview->jpeg, orientation);
    if (out.ok()) return out;
    preview_problem = "embedded preview unusable: " + out.status().message();
  } else if (preview) {
    // A 160 px thumbnail is all some files have; LibRaw may do better, else it is better than nothing.
    preview_problem = "embedded preview only " + std::to_string(preview->width) + "x" + std::to_string(preview->height);
  }
  auto out = processor.process_raw(item.bytes, orientation);
  if (out.ok()) return out;
  if (small) {
    auto tiny = processor.process(preview->jpeg, orientation);
    if (tiny.ok()) {
      tiny->warnings.push_back("camera raw: only a " + std::to_string(preview->width) + "x" +
                               std::to_string(preview->height) + " embedded preview could be used (" +
                               out.status().message() + ")");
      return tiny;
    }
  }
  if (!preview_problem.empty()) {
    const std::string msg = out.status().message() + " (" + preview_problem + ")";
    return out.status().is_unsupported() ? Status::Unsupported(msg) : Status::InvalidArgument(msg);
  }
  return out;
}

// Metadata, then one decode for both derivatives and the signatures. Exact copies never get here.
void process_new(Item& item, const PhotoProcessor& processor) {
  int orientation = 1;
  auto meta = read_metadata(item.bytes);
  if (!meta.ok()) {
    item.kind = Item::Kind::kFailed;
    item.error = meta.status().message();
    return;
  }
  item.meta = std::move(*meta);
  if (item.meta.orientation) orientation = *item.meta.orientation;
  const bool raw = is_raw_format(item.meta.format.value_or("")) || is_raw_extension(extension_of(item.job->file->path));
  auto processed = raw ? process_raw_photo(item, processor, orientation) : processor.process(item.bytes, orientation);
  if (!processed.ok()) {
    item.kind = Item::Kind::kFailed;
    item.error = processed.status().message();
    return;
  }
  item.processed = std::move(*processed);
  if (raw && item.meta.width && item.meta.height && *item.meta.width > 0 && *item.meta.height > 0) {
    // The full image's size (as exiftool gives it), turned like the derivatives.
    const bool turned = orientation >= 5 && orientation <= 8;
    item.processed.width = static_cast<std::uint32_t>(turned ? *item.meta.height : *item.meta.width);
    item.processed.height = static_cast<std::uint32_t>(turned ? *item.meta.width : *item.meta.height);
  }
  for (auto& w : item.processed.warnings) item.meta.warnings.push_back(std::move(w));
  item.processed.warnings.clear();
}

// The serial end of the pipeline: turns items into WriteBatch operations and commits every batch_size.
class Writer {
 public:
  Writer(Catalog& catalog, const IngestOptions& options, IngestSummary& summary, IngestProgress& progress,
         std::chrono::steady_clock::time_point t0)
      : catalog_(catalog), options_(options), summary_(summary), progress_(progress), t0_(t0),
        now_(static_cast<std::int64_t>(std::time(nullptr))) {}

  // Returns false when a commit failed (status() says why): the pipeline must stop.
  bool take(Item& item) {
    const ScannedFile& f = *item.job->file;
    switch (item.kind) {
      case Item::Kind::kFailed:
        summary_.errors.push_back({display(f.path), item.error});
        if (item.hashed) failed_.emplace(item.digest, item.error);
        break;
      case Item::Kind::kNew: {
        Photo p;
        p.digest = item.digest;
        p.size = f.size;
        for (const auto& w : item.meta.warnings) {
          if (w.starts_with("camera raw")) summary_.warnings.push_back(display(f.path) + ": " + w);
        }
        p.width = item.processed.width;
        p.height = item.processed.height;
        p.meta = std::move(item.meta);
        p.sig = std::move(item.processed.sig);
        p.has_signatures = true;
        p.has_thumbs = !item.processed.grid_jpeg.empty() && !item.processed.preview_jpeg.empty();
        p.has_mid_thumb = p.has_thumbs && !item.processed.mid_jpeg.empty();
        p.added_at = now_;
        p.first_path = f.path;
        batch_.put_photo(p);
        if (p.has_thumbs) {
          batch_.put_thumb(p.digest, ThumbSize::kGrid, std::move(item.processed.grid_jpeg));
          batch_.put_thumb(p.digest, ThumbSize::kPreview, std::move(item.processed.preview_jpeg));
        }
        if (p.has_mid_thumb) batch_.put_thumb(p.digest, ThumbSize::kMid, std::move(item.processed.mid_jpeg));
        put_file(item);
        ++summary_.photos_added;
        new_photos_.push_back({std::move(p), item.job->event_id});
        break;
      }
      case Item::Kind::kKnown:
        put_file(item);
        ++summary_.photos_unchanged;
        break;
      case Item::Kind::kCopyInRun: {
        auto failed = failed_.find(item.digest);
        if (failed != failed_.end()) {
          summary_.errors.push_back({display(f.path), failed->second});
          break;
        }
        put_file(item);
        ++summary_.exact_duplicates;
        break;
      }
    }
    ++in_batch_;
    ++progress_.done;
    ++progress_.read_done;
    if (in_batch_ >= options_.batch_size && !commit()) return false;
    notify();
    return true;
  }

  // Commits what is pending. Search postings of new photos go in the same transaction.
  bool commit() {
    if (!status_.ok()) return false;
    if (in_batch_ == 0 && batch_.empty()) return true;
    // A photo first seen in this batch has no old postings to delete, so no snapshot is needed.
    for (const auto& [photo, event_id] : new_photos_) {
      Status st = index_photo_text(nullptr, batch_, photo, event_id);
      if (!st.ok()) summary_.warnings.push_back(display(photo.first_path) + ": not indexed: " + st.message());
    }
    if (!batch_.empty()) status_ = catalog_.write(batch_);
    if (!status_.ok()) return false;
    batch_.clear();
    new_photos_.clear();
    for (auto& s : pending_stored_) result_.stored.push_back(std::move(s));
    pending_stored_.clear();
    progress_.committed += in_batch_;
    in_batch_ = 0;
    crash_point("ingest.photos.after_batch");
    // Decode frames (9 MB at 12 MP) and file buffers are freed by the worker threads into glibc's
    // per-thread arenas, which keep them: hand the free pages back once per batch. Measured over 1,000
    // 12-MP photos with --jobs 2: peak RSS 261-307 MB without, 231 MB with, same time. (A 1 MB
    // M_MMAP_THRESHOLD also gave 230 MB but cost 15-20% more CPU in page faults.)
    malloc_trim(0);
    notify();
    return true;
  }

  const Status& status() const { return status_; }
  PhotoPhaseResult take_result() { return std::move(result_); }

 private:
  void put_file(const Item& item) {
    const ScannedFile& f = *item.job->file;
    File file;
    file.path = f.path;
    file.digest = item.digest;
    file.size = f.size;
    file.mtime_ns = f.mtime_ns;
    file.event_id = item.job->event_id;
    put_event_stub(*item.job);
    batch_.put_file(file);
    pending_stored_.emplace_back(f.path, item.digest);
    if (item.job->old_digest && *item.job->old_digest != item.digest) result_.replaced.push_back(*item.job->old_digest);
  }

  // A file must never point at an event that does not exist (kho verify checks it), also when the run is
  // killed before the events phase. So the first file of a new folder brings a provisional event along
  // in the same transaction; the events phase replaces it with the real one.
  void put_event_stub(const PhotoJob& job) {
    if (!events_checked_.insert(job.event_id).second) return;
    {
      auto snap = catalog_.snapshot();  // short: released before any write
      if (snap.ok() && (*snap)->event(job.event_id).ok()) return;
    }
    Event ev;
    ev.id = job.event_id;
    ev.folder = *job.folder;
    ev.title = display(file_name(*job.folder));
    batch_.put_event(ev);
  }

  void notify() {
    if (!options_.progress) return;
    progress_.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    options_.progress(progress_);
  }

  Catalog& catalog_;
  const IngestOptions& options_;
  IngestSummary& summary_;
  IngestProgress& progress_;
  std::chrono::steady_clock::time_point t0_;
  std::int64_t now_;
  WriteBatch batch_;
  std::size_t in_batch_ = 0;
  std::vector<std::pair<Photo, std::string>> new_photos_;
  std::vector<std::pair<std::string, Digest>> pending_stored_;
  std::set<std::string> events_checked_;  // event ids whose record exists or is in the batch
  std::map<Digest, std::string> failed_;  // digests whose first file failed: its copies fail alike
  PhotoPhaseResult result_;
  Status status_;
};

}  // namespace

Result<PhotoPhaseResult> run_photo_pipeline(Catalog& catalog, const PhotoProcessor& processor,
                                            const std::vector<PhotoJob>& jobs, const IngestOptions& options,
                                            IngestSummary& summary, IngestProgress& progress,
                                            std::chrono::steady_clock::time_point t0) {
  unsigned threads = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Each token is one photo in memory (its bytes, then its derivatives): this bounds peak memory.
  std::size_t tokens = options.max_in_flight ? options.max_in_flight : 2 * std::size_t{threads} + 1;
  IngestOptions local = options;
  if (local.batch_size == 0) local.batch_size = 64;
  Writer writer(catalog, local, summary, progress, t0);

  std::size_t next = 0;
  std::set<Digest> seen_in_run;
  std::atomic<bool> failed{false};
  auto stop_requested = [&] { return failed.load() || (options.stop && options.stop->load()); };

  auto input = [&](tbb::flow_control& fc) -> Item* {
    if (next >= jobs.size() || stop_requested()) {
      fc.stop();
      return nullptr;
    }
    auto item = std::make_unique<Item>();
    item->job = &jobs[next++];
    return item.release();
  };
  auto read_and_hash = [&](Item* item) -> Item* {
    const ScannedFile& file = *item->job->file;
    if (!read_file(file.path, file.via_link, options.max_file_bytes, item->bytes, item->error)) {
      item->kind = Item::Kind::kFailed;
      return item;
    }
    item->digest = sha256(item->bytes);
    item->hashed = true;
    return item;
  };
  // Serial and in file order, so the first file with given bytes is the one that makes the photo.
  auto identify = [&](Item* item) -> Item* {
    if (item->kind == Item::Kind::kFailed) return item;
    if (!seen_in_run.insert(item->digest).second) {
      item->kind = Item::Kind::kCopyInRun;
    } else {
      auto snap = catalog.snapshot();  // short: released before this stage returns
      if (snap.ok() && (*snap)->photo(item->digest).ok()) item->kind = Item::Kind::kKnown;
    }
    if (item->kind != Item::Kind::kNew) release(item->bytes);  // known bytes are never decoded again
    return item;
  };
  auto process = [&](Item* item) -> Item* {
    if (item->kind == Item::Kind::kNew) process_new(*item, processor);
    release(item->bytes);
    return item;
  };
  auto write = [&](Item* item) {
    std::unique_ptr<Item> owned(item);
    if (!failed.load() && !writer.take(*owned)) failed = true;
  };

  try {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      tbb::parallel_pipeline(
          tokens, tbb::make_filter<void, Item*>(tbb::filter_mode::serial_in_order, input) &
                      tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel, read_and_hash) &
                      tbb::make_filter<Item*, Item*>(tbb::filter_mode::serial_in_order, identify) &
                      tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel, process) &
                      tbb::make_filter<Item*, void>(tbb::filter_mode::serial_in_order, write));
    });
  } catch (const std::exception& e) {
    // Items in flight leak here, but the process is about to report a fatal error anyway.
    return Status::IOError(std::string("ingest pipeline failed: ") + e.what());
  }
  if (!writer.commit()) return writer.status().with_context("writing the archive");
  if (options.stop && options.stop->load()) summary.interrupted = true;
  return writer.take_result();
}

}  // namespace kho::ingest::detail
