// The abbreviation table (kho/search.h; explained in core/search/README.md, "Abbreviations").
#include "kho/search.h"

namespace kho {

// Folded abbreviation → folded expansion. Only abbreviations that news captions use for one thing: "TT"
// (thị trấn, thông tin, thủ tướng…) and "CT" are left out on purpose.
const std::vector<std::pair<std::string, std::string>>& search_abbreviations() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"ubnd", "uy ban nhan dan"},
      {"hdnd", "hoi dong nhan dan"},
      {"mttq", "mat tran to quoc"},
      {"ubmttq", "uy ban mat tran to quoc"},
      {"ubkt", "uy ban kiem tra"},
      {"bch", "ban chap hanh"},
      {"bchqs", "bo chi huy quan su"},
      {"tp", "thanh pho"},
      {"tx", "thi xa"},
      {"tw", "trung uong"},
      {"cand", "cong an nhan dan"},
      {"qdnd", "quan doi nhan dan"},
      {"llvt", "luc luong vu trang"},
      {"thcs", "trung hoc co so"},
      {"thpt", "trung hoc pho thong"},
      {"dbscl", "dong bang song cuu long"},
      {"bhxh", "bao hiem xa hoi"},
      {"bhyt", "bao hiem y te"},
      {"ntm", "nong thon moi"},
      {"csgt", "canh sat giao thong"},
      {"pccc", "phong chay chua chay"},
      {"ldld", "lien doan lao dong"},
      {"hcm", "ho chi minh"},
      {"vn", "viet nam"},
  };
  return table;
}

}  // namespace kho
