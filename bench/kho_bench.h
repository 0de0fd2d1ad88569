// Scenario registry of kho-bench (see kho_bench.cc).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kho::bench {

// Runs with the arguments after the scenario name; returns the process exit code (0 ok, 2 usage).
using Scenario = std::function<int(const std::vector<std::string>& args)>;
bool register_scenario(const std::string& name, Scenario fn);

}  // namespace kho::bench
