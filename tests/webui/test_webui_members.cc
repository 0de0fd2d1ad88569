// Files of a photo that are not simply its bytes on disk (webui/src/media.cc):
// - the raw file of a RAW+JPEG pair (issue 14: "Both files are listed and can be downloaded"): listed on
//   the photo page with its own link, served by /original/{digest}/file/{n} under its own name while its
//   size and mtime are those recorded at ingest; 409 once it changed, 404 once it is gone;
// - an image embedded in a .docx (issue 11: "/original/ can serve its bytes"), recorded as
//   "bai.docx#word/media/image1.jpg": served from the zip when its SHA-256 is the digest; 409 when the
//   part is not that photo or is missing, 404 when the .docx is gone.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "kho/catalog.h"
#include "kho/webui/server.h"
#include "test_support.h"
#include "web_fixture.h"

namespace kho::webtest {
namespace {

namespace fs = std::filesystem;

std::int64_t mtime_ns_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

class WebMembersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto cat = Catalog::open((dir_->path() / "archive").string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    catalog_ = std::move(*cat);
    folder_ = dir_->path() / "Sự kiện RAW";
    fs::create_directories(folder_);
    const std::string event_id = event_id_for_folder(folder_.string());
    WriteBatch batch;

    // A RAW+JPEG pair: one photo (the JPEG's), two files.
    jpeg_ = testing::read_file(testing::source_dir() / "tests/webui/data/tiny.jpg");
    raw_ = "FAKE-NEF-" + std::string(3000, 'r');
    testing::write_file(folder_ / "DSC_0001.JPG", jpeg_);
    testing::write_file(folder_ / "DSC_0001.NEF", raw_);
    pair_ = sha256_of(jpeg_);
    batch.put_photo(photo(pair_, folder_ / "DSC_0001.JPG", jpeg_.size()));
    for (const char* name : {"DSC_0001.JPG", "DSC_0001.NEF"}) {
      File f;
      f.path = (folder_ / name).string();
      f.digest = pair_;
      f.size = fs::file_size(f.path);
      f.mtime_ns = mtime_ns_of(f.path);
      f.event_id = event_id;
      batch.put_file(f);
    }

    // A .docx made by python-docx (tests/data/docx/make_docx.py), its first image as a photo.
    docx_ = folder_ / "bài viết.docx";
    fs::copy_file(testing::source_dir() / "tests/data/docx/bai-3-anh.docx", docx_);
    auto r = testing::run_command(
        {"/usr/bin/python3", "-c",
         "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('word/media/image1.jpg'))",
         docx_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    image1_ = r.out;
    ASSERT_GT(image1_.size(), 100u);
    embedded_ = sha256_of(image1_);
    const std::string image1_path = docx_.string() + "#word/media/image1.jpg";
    batch.put_photo(photo(embedded_, image1_path, image1_.size()));
    put_embedded(batch, embedded_, image1_path, image1_.size(), event_id);
    // A photo whose recorded part holds other bytes (image2 recorded as image1's photo), and one whose
    // part is not in the zip.
    wrong_part_ = sha256_of("not image 2");
    batch.put_photo(photo(wrong_part_, docx_.string() + "#word/media/image2.jpg", image1_.size()));
    put_embedded(batch, wrong_part_, docx_.string() + "#word/media/image2.jpg", image1_.size(), event_id);
    no_part_ = sha256_of("no such part");
    batch.put_photo(photo(no_part_, docx_.string() + "#word/media/image9.jpg", 300));
    put_embedded(batch, no_part_, docx_.string() + "#word/media/image9.jpg", 300, event_id);

    Event ev;
    ev.id = event_id;
    ev.folder = folder_.string();
    ev.title = "Sự kiện RAW";
    ev.photo_count = 4;
    batch.put_event(ev);
    ASSERT_TRUE(catalog_->write(batch).ok());

    web::ServerOptions opts;
    opts.port = 0;
    opts.threads = 2;
    server_ = web::Server::create(*catalog_, opts);
    ASSERT_TRUE(server_->bind().ok());
    thread_ = new std::thread([] { (void)server_->run(); });
    for (int tries = 0; tries < 200 && http_get(server_->port(), "/favicon.svg").status != 200; ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    server_.reset();
    catalog_.reset();
    delete dir_;
  }
  static Photo photo(const Digest& d, const fs::path& path, std::uint64_t size) {
    Photo p;
    p.digest = d;
    p.size = size;
    p.width = 64;
    p.height = 48;
    p.first_path = path.string();
    p.meta.format = "jpeg";
    return p;
  }
  static void put_embedded(WriteBatch& batch, const Digest& d, const std::string& path, std::uint64_t size,
                           const std::string& event_id) {
    File f;
    f.path = path;
    f.digest = d;
    f.size = size;
    f.mtime_ns = mtime_ns_of(docx_);
    f.event_id = event_id;
    batch.put_file(f);
  }
  static int port() { return server_->port(); }

  static testing::TempDir* dir_;
  static std::unique_ptr<Catalog> catalog_;
  static std::unique_ptr<web::Server> server_;
  static std::thread* thread_;
  static fs::path folder_, docx_;
  static std::string jpeg_, raw_, image1_;
  static Digest pair_, embedded_, wrong_part_, no_part_;
};

testing::TempDir* WebMembersTest::dir_ = nullptr;
std::unique_ptr<Catalog> WebMembersTest::catalog_;
std::unique_ptr<web::Server> WebMembersTest::server_;
std::thread* WebMembersTest::thread_ = nullptr;
fs::path WebMembersTest::folder_, WebMembersTest::docx_;
std::string WebMembersTest::jpeg_, WebMembersTest::raw_, WebMembersTest::image1_;
Digest WebMembersTest::pair_, WebMembersTest::embedded_, WebMembersTest::wrong_part_, WebMembersTest::no_part_;

TEST_F(WebMembersTest, BothFilesOfARawJpegPairAreListedAndDownloadable) {
  // The photo page lists both files, each with its own link (photo_files order: by path).
  HttpResponse page = http_get(port(), "/photo/" + pair_.hex());
  ASSERT_EQ(page.status, 200);
  const std::string jpg_link = "/original/" + pair_.hex() + "/file/0";
  const std::string raw_link = "/original/" + pair_.hex() + "/file/1";
  EXPECT_NE(page.body.find("DSC_0001.JPG</span> <a href=\"" + jpg_link + "\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("DSC_0001.NEF</span> <a href=\"" + raw_link + "\""), std::string::npos);

  HttpResponse raw = http_get(port(), raw_link);
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_EQ(raw.body, raw_);
  EXPECT_EQ(raw.header("content-type"), "application/octet-stream");
  EXPECT_EQ(raw.header("content-disposition").rfind("attachment; filename=\"DSC_0001.NEF\"", 0), 0u)
      << raw.header("content-disposition");
  HttpResponse jpg = http_get(port(), jpg_link);
  ASSERT_EQ(jpg.status, 200);
  EXPECT_EQ(jpg.body, jpeg_);
  EXPECT_EQ(jpg.header("content-type"), "image/jpeg");
  // /original/ itself is still the JPEG (the photo the pair shows), even with the raw file listed first.
  HttpResponse original = http_get(port(), "/original/" + pair_.hex());
  ASSERT_EQ(original.status, 200);
  EXPECT_EQ(original.body, jpeg_);
  // A range of the raw file.
  HttpResponse part = http_get(port(), raw_link, "Range: bytes=0-8\r\n");
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "FAKE-NEF-");
  EXPECT_EQ(http_get(port(), "/original/" + pair_.hex() + "/file/2").status, 404);
  EXPECT_EQ(http_get(port(), "/original/" + pair_.hex() + "/file/99999999").status, 404);
}

TEST_F(WebMembersTest, ARawFileChangedSinceIngestIs409AndAVanishedOne404) {
  const std::string raw_link = "/original/" + pair_.hex() + "/file/1";
  const fs::path raw_path = folder_ / "DSC_0001.NEF";
  ASSERT_EQ(http_get(port(), raw_link).status, 200);
  // Same size, other bytes, other mtime (an edit in place).
  std::string edited = raw_;
  edited[20] = 'X';
  testing::write_file(raw_path, edited);
  struct timespec times[2] = {{0, UTIME_OMIT}, {1600000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, raw_path.c_str(), times, 0), 0);
  HttpResponse changed = http_get(port(), raw_link);
  EXPECT_EQ(changed.status, 409) << changed.body;
  EXPECT_NE(changed.body.find("no longer this photo"), std::string::npos);
  // Another size.
  testing::write_file(raw_path, raw_ + "more");
  EXPECT_EQ(http_get(port(), raw_link).status, 409);
  // A link in its place, even to the right bytes.
  fs::remove(raw_path);
  testing::write_file(dir_->path() / "elsewhere.NEF", raw_);
  fs::create_symlink(dir_->path() / "elsewhere.NEF", raw_path);
  EXPECT_EQ(http_get(port(), raw_link).status, 409);
  fs::remove(raw_path);
  EXPECT_EQ(http_get(port(), raw_link).status, 404);
  // The JPEG is unaffected.
  EXPECT_EQ(http_get(port(), "/original/" + pair_.hex()).status, 200);
}

TEST_F(WebMembersTest, AnImageEmbeddedInADocxIsServedFromTheZip) {
  HttpResponse r = http_get(port(), "/original/" + embedded_.hex());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, image1_);
  EXPECT_EQ(r.header("content-type"), "image/jpeg");
  EXPECT_EQ(r.header("content-disposition").rfind("inline; filename=\"image1.jpg\"", 0), 0u)
      << r.header("content-disposition");
  EXPECT_EQ(r.header("etag"), "\"" + embedded_.hex() + "\"");
  HttpResponse part = http_get(port(), "/original/" + embedded_.hex(), "Range: bytes=0-2\r\n");
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, image1_.substr(0, 3));
  // Through the file link of the photo page too.
  HttpResponse file = http_get(port(), "/original/" + embedded_.hex() + "/file/0");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, image1_);
}

TEST_F(WebMembersTest, AnEmbeddedPartThatIsNotThePhotoIs409) {
  HttpResponse wrong = http_get(port(), "/original/" + wrong_part_.hex());
  EXPECT_EQ(wrong.status, 409) << wrong.body;
  EXPECT_EQ(wrong.body.find("not image 2"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/original/" + no_part_.hex()).status, 409);
}

TEST_F(WebMembersTest, ADocxReplacedOrGoneIsRefused) {
  // Runs last among the .docx tests (gtest keeps the order of definition within a suite).
  const fs::path saved = dir_->path() / "saved.docx";
  fs::rename(docx_, saved);
  EXPECT_EQ(http_get(port(), "/original/" + embedded_.hex()).status, 404);
  testing::write_file(docx_, image1_);  // a JPEG renamed .docx: not a zip
  EXPECT_EQ(http_get(port(), "/original/" + embedded_.hex()).status, 409);
  fs::remove(docx_);
  fs::create_symlink(saved, docx_);  // a link to the right document
  EXPECT_EQ(http_get(port(), "/original/" + embedded_.hex()).status, 409);
  fs::remove(docx_);
  fs::rename(saved, docx_);
  EXPECT_EQ(http_get(port(), "/original/" + embedded_.hex()).status, 200);
}

}  // namespace
}  // namespace kho::webtest
