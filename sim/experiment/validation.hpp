#pragma once
/// `tiesim validate`: how often the replicates of a scenario meet its targets.
#include <cstdint>
#include <vector>

#include "run/simulate.hpp"
#include "scenario/targets.hpp"

namespace tiesim {

/// The value of a probe in a state.
double probe_value(const Model& model, const State& state, const Probe& probe);

/// Records, for one replicate, the series the targets look at, and judges each target on them.
class TargetObserver : public Observer {
 public:
  TargetObserver(const Model& model, const std::vector<Target>& targets);
  bool wants_terms(int) const override { return false; }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override;
  /// 1 where the replicate met the target, 0 where it did not; one entry per target.
  std::vector<char> hits() const;

 private:
  int probe_index(const Probe& probe);
  const std::vector<double>& series(const Probe& probe) const;
  bool met(const Target& target) const;

  const std::vector<Target>& targets_;
  std::vector<Probe> probes_;                // every distinct probe any target reads
  std::vector<std::vector<double>> series_;  // per probe, per step
};

struct TargetOutcome {
  int hits = 0;
  int replicates = 0;
  double hit_rate() const { return replicates > 0 ? static_cast<double>(hits) / replicates : 0.0; }
};

struct ValidationResult {
  std::vector<TargetOutcome> outcomes;    // per target
  std::vector<std::vector<char>> hits;    // per replicate, per target
  bool passed(const std::vector<Target>& targets) const;
};

/// Runs `replicates` replicates (seeds from `seed` as in `tiesim run`) and counts the hits of every target.
ValidationResult validate(const Model& model, const std::vector<Target>& targets, std::uint64_t seed, int replicates,
                          int threads);

}  // namespace tiesim
