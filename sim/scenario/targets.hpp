#pragma once
/// Validation targets: observed facts a scenario must reproduce in a share of its replicates.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"

namespace tiesim {

/// What a target looks at, per recorded step.
enum class Quantity { level, value, tie_index, affect, pressure };

/// One series of a replicate: a quantity of a tie, a dyad or an actor.
struct Probe {
  Quantity quantity = Quantity::level;
  int from = -1, to = -1, channel = -1;  // pressure uses `from` only

  bool operator==(const Probe&) const = default;
};

enum class Comparison { less, less_equal, equal, not_equal, greater_equal, greater };
enum class Direction { down, up, any };
enum class TargetKind { level, first_change, order, change, rank };

inline constexpr int no_step = std::numeric_limits<int>::min();

struct Target {
  std::string id;
  std::string label;
  TargetKind kind = TargetKind::level;
  double share = 0.9;   // share of replicates that must meet it
  double weight = 1;    // weight in the calibration loss
  std::string expected; // the requirement in words, for tables

  // level: every probe satisfies `comparison threshold` at every step of [first_step, last_step];
  // with a baseline, the threshold is added to each probe's own value at the baseline step
  std::vector<Probe> probes;
  int first_step = 0, last_step = 0;
  Comparison comparison = Comparison::equal;
  double threshold = 0;
  int baseline_step = no_step;

  // first_change: the first change of probes[0] in `direction` at or after `after_step` falls in
  // [first_step, last_step]; a step's change is from its start to its end (step 0's from the state
  // spin-up leaves); level, change and rank read the state at the end of their steps
  // order: that change of probes[0] comes at or before last_step (`by`, default the run's last step) and
  // strictly before that of `second` (or `second` never changes)
  Direction direction = Direction::down;
  int after_step = 0;
  Probe second;
  Direction second_direction = Direction::down;

  // change: relative change (b − a) / |a| of probes[0]'s mean over period a to its mean over period b
  int period_a_first = 0, period_a_last = 0, period_b_first = 0, period_b_last = 0;
  double min_change = -std::numeric_limits<double>::infinity();
  double max_change = std::numeric_limits<double>::infinity();

  // rank: rank of probes[0] among `among` at last_step (1 = highest; equal values rank above the subject)
  std::vector<Probe> among;
  int min_rank = 1, max_rank = std::numeric_limits<int>::max();
};

class TableReader;

/// A date inside the run read from `key` (or from `node` when given), as the step that contains it.
std::optional<int> read_step(TableReader& reader, std::string_view key, const Model& model, const toml::node* node = nullptr);

/// The series a table describes: `quantity` of `from` → `to` (id lists unless `single`) on `channel`.
std::optional<std::vector<Probe>> read_probes(TableReader& reader, const Model& model, bool single);

/// Reads `[targets.ID]` tables. Throws InputError listing every problem, a target that can never be met among
/// them; a target that is always met is a warning, added to `warnings` when given.
std::vector<Target> read_targets(const ScenarioDocument& document, const Model& model, std::vector<Diagnostic>* warnings = nullptr);

std::string_view target_kind_name(TargetKind kind);

/// The last step a target looks at, after which nothing can change whether it is met: a level's window end
/// (or its baseline, if later), a first_change's window end, an order's `by` (default the run's last step),
/// a change's period b end (or period a's, if later), a rank's date. A hold-out date splits targets by it.
int target_end_step(const Target& target);

}  // namespace tiesim
