// Shared helpers for kho's tests: a fresh temporary directory per test, running the `kho` binary,
// and locating fixtures.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kho::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `argv` (argv[0] is the program path) with stdin from /dev/null and captures both streams.
// `env` entries ("NAME=value") are added to the inherited environment.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env = {});

// Runs the kho binary built with the tests.
CommandResult run_kho(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

std::string kho_binary();
std::filesystem::path test_data_dir();    // tests/data
std::filesystem::path source_dir();       // the project root
// ../shared beside the checkout, or nullopt when it is not there (tests then skip and say why).
std::optional<std::filesystem::path> shared_dir();

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);
// The bytes of tests/data/ingest/p<i>.jpg, the small real JPEGs the ingest tests use.
std::string ingest_jpeg(int i);

}  // namespace kho::testing
