#pragma once
/// `tiesim explain`: why one tie did what it did in one step — the utility of each level open to its owner,
/// term by term, over the replicates (docs/output.md, "tiesim explain").
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/step.hpp"

namespace tiesim {

struct ExplainRequest {
  TieRef tie;
  int step = 0;             // the step whose choice is explained
  std::uint64_t seed = 1;   // master seed; replicate r uses replicate_seed(seed, r), as in tiesim run
  int replicates = 100;
  int threads = 0;          // 0: every core; results do not depend on it
};

/// One replicate's view of the tie in that step.
struct ExplainedReplicate {
  int before = 0, after = 0;   // the tie's level before and after the step
  ExplainedChoice explained;   // the choice its owner faced
};

/// Runs the replicates (each up to the step) and keeps the tie's choice in it; in replicate order.
std::vector<ExplainedReplicate> explain_tie(const Model& model, const ExplainRequest& request);

/// The text `tiesim explain` prints: each term of U for lowering, keeping and raising the tie, its mean and
/// standard deviation over the replicates in which that choice was open, the margin of keeping over the
/// best other choice, the chances of each choice if reviewed, and how often the tie moved in the step.
std::string explain_report(const Model& model, const ExplainRequest& request, const std::vector<ExplainedReplicate>& replicates);

}  // namespace tiesim
