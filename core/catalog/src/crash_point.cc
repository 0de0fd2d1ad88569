// Named crash points (kho/crash_point.h): KHO_CRASH_AT=NAME[:N[:stop]].
#include "kho/crash_point.h"

#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace kho::crash_detail {
namespace {

struct Target {
  std::string name;  // empty: nothing to do (unset or malformed)
  long nth = 1;
  int signal = SIGKILL;
};

Target parse(const char* value) {
  Target t;
  if (value == nullptr || *value == '\0') return t;
  std::string_view v(value);
  auto colon = v.find(':');
  std::string_view name = v.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view rest = v.substr(colon + 1);
    auto second = rest.find(':');
    std::string_view count = rest.substr(0, second);
    auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), t.nth);
    bool ok = ec == std::errc() && end == count.data() + count.size() && t.nth >= 1;
    if (second != std::string_view::npos) {
      if (rest.substr(second + 1) == "stop") t.signal = SIGSTOP;
      else ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "kho: ignoring KHO_CRASH_AT=%s (expected NAME, NAME:N or NAME:N:stop)\n", value);
      return Target{};
    }
  }
  t.name = std::string(name);
  return t;
}

}  // namespace

const bool g_armed = std::getenv("KHO_CRASH_AT") != nullptr;

void reached(std::string_view name) {
  static const Target target = parse(std::getenv("KHO_CRASH_AT"));
  static std::atomic<long> count{0};
  if (target.name.empty() || name != target.name) return;
  if (count.fetch_add(1) + 1 == target.nth) ::raise(target.signal);
}

}  // namespace kho::crash_detail
