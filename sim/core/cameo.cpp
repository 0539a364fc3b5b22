#include "core/cameo.hpp"

namespace tiesim {

const std::vector<CameoCode>& cameo_codes() {
  static const std::vector<CameoCode> codes = {
      {"010", 0.0, "make public statement"},
      {"020", 3.0, "appeal"},
      {"030", 4.0, "express intent to cooperate"},
      {"036", 4.0, "express intent to meet or negotiate"},
      {"040", 1.0, "consult"},
      {"042", 1.9, "make a visit"},
      {"043", 2.8, "host a visit"},
      {"050", 3.5, "engage in diplomatic cooperation"},
      {"051", 3.4, "praise or endorse"},
      {"054", 6.0, "grant diplomatic recognition"},
      {"057", 8.0, "sign formal agreement"},
      {"060", 6.0, "engage in material cooperation"},
      {"061", 6.4, "cooperate economically"},
      {"062", 7.4, "cooperate militarily"},
      {"064", 7.0, "share intelligence or information"},
      {"070", 7.0, "provide aid"},
      {"080", 5.0, "yield"},
      {"081", 5.0, "ease administrative sanctions"},
      {"090", -2.0, "investigate"},
      {"100", -5.0, "demand"},
      {"110", -2.0, "disapprove"},
      {"111", -2.0, "criticize or denounce"},
      {"112", -2.0, "accuse"},
      {"120", -4.0, "reject"},
      {"140", -6.5, "protest"},
      {"150", -7.2, "exhibit military posture"},
      {"160", -4.0, "reduce relations"},
      {"161", -4.0, "reduce or break diplomatic relations"},
      {"162", -5.6, "reduce or stop material aid"},
      {"163", -8.0, "impose embargo, boycott or sanctions"},
      {"164", -7.0, "halt negotiations"},
      {"166", -7.0, "expel or withdraw"},
      {"170", -7.0, "coerce"},
      {"172", -5.0, "impose administrative sanctions"},
      {"174", -5.0, "expel or deport individuals"},
      {"180", -9.0, "use unconventional violence"},
      {"186", -10.0, "assassinate"},
      {"190", -10.0, "use conventional military force"},
      {"200", -10.0, "use unconventional mass violence"},
  };
  return codes;
}

std::optional<double> goldstein_weight(std::string_view code) {
  for (const auto& entry : cameo_codes())
    if (entry.code == code) return entry.goldstein;
  return std::nullopt;
}

}  // namespace tiesim
