// Thumbnails from LMDB (ETag, immutable, 304) and originals from disk (Range).
#include "web_fixture.h"

namespace kho::webtest {
namespace {

TEST_F(WebServerTest, ThumbnailIsServedWithStrongEtagAndImmutableCaching) {
  for (const char* size : {"320", "1280"}) {
    HttpResponse r = http_get(port(), "/thumb/" + archive_.p2.hex() + "/" + size);
    ASSERT_EQ(r.status, 200) << size;
    EXPECT_EQ(r.header("content-type"), "image/jpeg");
    EXPECT_EQ(r.body, archive_.jpeg);
    const std::string etag = r.header("etag");
    EXPECT_EQ(etag.front(), '"');  // strong: no W/ prefix
    EXPECT_NE(r.header("cache-control").find("immutable"), std::string::npos);

    HttpResponse again = http_get(port(), "/thumb/" + archive_.p2.hex() + "/" + size,
                                  "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("etag"), etag);
  }
  EXPECT_NE(http_get(port(), "/thumb/" + archive_.p1.hex() + "/320").header("etag"),
            http_get(port(), "/thumb/" + archive_.p2.hex() + "/320").header("etag"));
}

TEST_F(WebServerTest, UnknownOrMalformedThumbnailsAre4xx) {
  EXPECT_EQ(http_get(port(), "/thumb/" + std::string(64, 'a') + "/320").status, 404);
  EXPECT_EQ(http_get(port(), "/thumb/" + archive_.p1.hex() + "/800").status, 404);  // 640 is a size (issue 15)
  EXPECT_EQ(http_get(port(), "/thumb/" + archive_.p1.hex().substr(1) + "/320").status, 404);
  EXPECT_EQ(http_get(port(), "/thumb/zz/320").status, 404);
}

TEST_F(WebServerTest, OriginalSupportsRangeRequests) {
  const std::string url = "/original/" + archive_.p1.hex();
  HttpResponse full = http_get(port(), url);
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.body, archive_.original_bytes);
  EXPECT_EQ(full.header("accept-ranges"), "bytes");
  EXPECT_NE(full.header("content-disposition").find("lanh%20dao%20phat%20bieu.jpg"), std::string::npos);

  HttpResponse part = http_get(port(), url, "Range: bytes=9-13\r\n");
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "BYTES");
  EXPECT_EQ(part.header("content-range"), "bytes 9-13/" + std::to_string(archive_.original_bytes.size()));

  HttpResponse tail = http_get(port(), url, "Range: bytes=-4\r\n");
  ASSERT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, "-END");

  HttpResponse beyond = http_get(port(), url, "Range: bytes=999999-\r\n");
  EXPECT_EQ(beyond.status, 416);

  EXPECT_EQ(http_get(port(), url, "If-None-Match: " + full.header("etag") + "\r\n").status, 304);
  // Photo 2's recorded file does not exist on disk: a clear 404, not a crash.
  EXPECT_EQ(http_get(port(), "/original/" + archive_.p2.hex()).status, 404);
  EXPECT_EQ(http_get(port(), "/original/" + std::string(64, '0')).status, 404);
}

}  // namespace
}  // namespace kho::webtest
