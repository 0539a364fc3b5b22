#pragma once
/// CAMEO event codes and their Goldstein conflict–cooperation weights (−10 … +10).
#include <optional>
#include <string_view>
#include <vector>

namespace tiesim {

struct CameoCode {
  std::string_view code;         // three digits, e.g. "161"
  double goldstein;              // −10 (most hostile) … +10 (most co-operative)
  std::string_view description;
};

/// The codes the engine knows. Weights are those of the Goldstein (1992) scale as mapped onto CAMEO in
/// its codebook (Gerner, Schrodt, Yilmaz & Abu-Jabr 2002); a scenario may override any with `goldstein`.
const std::vector<CameoCode>& cameo_codes();

/// nullopt for an unknown code.
std::optional<double> goldstein_weight(std::string_view code);

}  // namespace tiesim
