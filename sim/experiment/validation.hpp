#pragma once
/// `tiesim validate`: how often the replicates of a scenario meet its targets.
#include <cstdint>
#include "core/progress.hpp"
#include <functional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "run/simulate.hpp"
#include "scenario/targets.hpp"

namespace tiesim {

/// The value of a probe in a state.
double probe_value(const Model& model, const State& state, const Probe& probe);

/// One probe's values in a replicate, from the state before step 0 on.
struct Series {
  std::vector<double> values;  // values[0] before step 0 (after spin-up), values[k + 1] after step k

  /// The value once step `step` has been applied.
  double after(int step) const { return values[static_cast<std::size_t>(step) + 1]; }
  /// The value as step `step` begins (after step − 1; before step 0, the state spin-up left).
  double before(int step) const { return values[static_cast<std::size_t>(step)]; }
  /// The number of steps whose outcome is recorded.
  int steps() const { return static_cast<int>(values.size()) - 1; }
};

/// Finds the series of a probe (every probe the target reads must have one).
using SeriesLookup = std::function<const Series&(const Probe&)>;

/// Whether a replicate whose probes followed these series meets `target` (see Target for each kind).
bool target_met(const Target& target, const SeriesLookup& series_of);

/// Whether the one pair `probe` of a level target over several pairs meets the target's condition (the
/// target is met when every pair does).
bool level_probe_met(const Target& target, const Series& values);

/// How often one tie moved over the replicates of a validation (from its level when step 0 began).
struct TieMoves {
  int moved = 0, rose = 0, fell = 0;  // replicates in which it changed level at least once, rose, fell
};

/// Records, for one replicate, the series the targets look at, and judges each target on them; with
/// `count_moves`, also which ties changed level (rose, fell) at any step, for the report of moves no target
/// watches.
class TargetObserver : public Observer {
 public:
  TargetObserver(const Model& model, const std::vector<Target>& targets, bool count_moves = false);
  void start(const Model& model, const State& state) override;
  bool wants_terms(int) const override { return false; }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override;
  /// 1 where the replicate met the target, 0 where it did not; one entry per target.
  std::vector<char> hits() const;
  /// Per target, 1 for each of its pairs that met the condition on its own: a level target over several
  /// pairs only (the other kinds, and single pairs, get an empty list).
  std::vector<std::vector<char>> pair_hits() const;
  /// Per tie (Model::tie_index), bit 1 if it rose and bit 2 if it fell in some step; empty without count_moves.
  const std::vector<std::uint8_t>& moves() const { return moves_; }

 private:
  int probe_index(const Probe& probe);
  const Series& series(const Probe& probe) const;
  void record(const Model& model, const State& state);

  const std::vector<Target>& targets_;
  std::vector<Probe> probes_;   // every distinct probe any target reads
  std::vector<Series> series_;  // per probe
  int recorded_steps_ = -1;     // steps observed since start(); −1 before it
  bool count_moves_ = false;
  std::vector<std::uint8_t> last_level_, moves_;  // per tie, with count_moves
};

struct TargetOutcome {
  int hits = 0;
  int replicates = 0;
  double hit_rate() const { return replicates > 0 ? static_cast<double>(hits) / replicates : 0.0; }
};

struct ValidationResult {
  std::vector<TargetOutcome> outcomes;    // per target
  std::vector<std::vector<char>> hits;    // per replicate, per target
  std::vector<std::vector<TargetOutcome>> pairs;  // per target, per pair of a level target over several pairs
  std::vector<TieMoves> moves;            // per tie (Model::tie_index), when counted
  bool passed(const std::vector<Target>& targets) const;
};

/// A temporal hold-out: the targets whose last step ends on or before `until` are in sample (the ones
/// `calibrate --until` fits), the later ones out of sample (judged apart by `validate --until`).
struct Holdout {
  Date until;
  int last_step = 0;  // the last step that ends on or before `until` (−1 when none does)

  bool in_sample(const Target& target) const { return target_end_step(target) <= last_step; }
  /// 1 for each target in sample, 0 for each out of sample.
  std::vector<char> in_sample(const std::vector<Target>& targets) const;
};

/// Reads the text given to `--until` against the run's calendar. A step counts as on or before the date
/// only when it ends on or before it (its state is known only at its end); the run's last step ends with
/// the run. Throws InputError naming `--until` when the text is not a date YYYY-MM-DD or lies outside the run.
Holdout read_holdout(const std::string& text, const Calendar& calendar);

/// Runs `replicates` replicates (seeds from `seed` as in `tiesim run`) and counts the hits of every target;
/// with `progress`, advances it by one per replicate finished; with `count_moves`, counts how often each tie
/// moved (ValidationResult::moves).
ValidationResult validate(const Model& model, const std::vector<Target>& targets, std::uint64_t seed, int replicates,
                          int threads, ProgressLine* progress = nullptr, bool count_moves = false);
/// The same, replicate r running `model_of(r)` (a posterior predictive validation).
ValidationResult validate(const ReplicateModels& model_of, const std::vector<Target>& targets, std::uint64_t seed, int replicates,
                          int threads, ProgressLine* progress = nullptr, bool count_moves = false);

/// Whether some target reads tie (from, to, channel): a level or value of that tie (either direction of a
/// mutual channel), or the tie index of the pair, which every channel of the pair enters.
std::vector<char> watched_ties(const Model& model, const std::vector<Target>& targets);

/// A tie that moved in some replicate though no target reads it: a scenario's side effect.
struct UnwatchedMove {
  int from, to, channel;
  TieMoves moves;
};

/// Every such tie of a validation that counted moves, the most often moved first (ties in tie order); a
/// mutual tie once, from its first actor in the scenario's order.
std::vector<UnwatchedMove> unwatched_moves(const Model& model, const std::vector<Target>& targets, const ValidationResult& result);

}  // namespace tiesim
