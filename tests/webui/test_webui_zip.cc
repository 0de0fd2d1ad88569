// The streaming ZIP writer behind the event download (webui/src/zip_stream.h), checked by python3's
// zipfile (an independent reader): names in UTF-8, stored bytes and CRC-32, and the ZIP64 records once
// there are more than 65,535 entries.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"
#include "webui/src/zip_stream.h"

namespace {

using kho::testing::run_command;

// Writes the archive `entries` make, chunk by chunk as the server would, and returns python's reading:
// one line per entry "name<TAB>size<TAB>first bytes", then "ok" when testzip() found no bad CRC.
std::string python_reading(const std::vector<std::pair<std::string, std::string>>& entries, std::size_t* chunks) {
  kho::testing::TempDir dir;
  std::string zip;
  *chunks = 0;
  kho::web::ZipStream z([&](std::string_view b) {
    zip.append(b);
    ++*chunks;
    return true;
  });
  for (const auto& [name, bytes] : entries) EXPECT_TRUE(z.add(name, bytes));
  EXPECT_TRUE(z.finish());
  EXPECT_EQ(z.bytes_written(), zip.size());
  kho::testing::write_file(dir / "t.zip", zip);
  const char* script =
      "import sys, zipfile\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "infos = z.infolist()\n"
      "print(len(infos))\n"
      "for i in infos[:3] + infos[-1:]:\n"
      "    print(i.filename + '\\t' + str(i.file_size) + '\\t' + z.read(i).decode('utf-8', 'replace')[:12])\n"
      "print(z.testzip() or 'ok')\n";
  auto r = run_command({"/usr/bin/python3", "-c", script, (dir / "t.zip").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(WebZip, PythonReadsNamesBytesAndCrcs) {
  std::size_t chunks = 0;
  std::string out = python_reading(
      {{"ảnh một.jpg", "JPEG-bytes-1"}, {"captions.csv", "file,caption\r\n"}, {"empty.txt", ""}}, &chunks);
  EXPECT_EQ(out,
            "3\n"
            "ảnh một.jpg\t12\tJPEG-bytes-1\n"
            "captions.csv\t14\tfile,caption\n"
            "empty.txt\t0\t\n"
            "empty.txt\t0\t\n"
            "ok\n");
  EXPECT_GE(chunks, 4u) << "entries go out as they are added, not at the end";
}

TEST(WebZip, MoreThan65535EntriesUseZip64Records) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 70000; ++i) entries.emplace_back("f" + std::to_string(i), std::to_string(i));
  std::size_t chunks = 0;
  std::string out = python_reading(entries, &chunks);
  EXPECT_EQ(out.substr(0, out.find('\n')), "70000");
  EXPECT_NE(out.find("f69999\t5\t69999\n"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 3), "ok\n");
}

TEST(WebZip, AClientThatLeftStopsTheWriter) {
  int calls = 0;
  kho::web::ZipStream z([&](std::string_view) { return ++calls <= 2; });
  EXPECT_TRUE(z.add("a", "1"));  // its header and its data: two writes
  EXPECT_FALSE(z.add("b", "2"));
  EXPECT_FALSE(z.finish());
}

}  // namespace
