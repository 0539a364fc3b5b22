#pragma once
/// The summary `tiesim run` prints of a scenario's focal dyad: when each of its ties first rose and first fell
/// across the replicates, beside the dated shocks that concern the pair (docs/output.md, "The summary").
/// Computed from what the run watches anyway; it writes no file.
#include <cstdint>
#include <string>
#include <vector>

#include "run/simulate.hpp"

namespace tiesim {

/// One tie of a dyad (a, b).
struct DyadTie {
  int from, to, channel;
};

/// The ties of dyad (a, b) in the order they are shown: channel by channel, a → b then b → a; a mutual
/// channel's tie once (it is the same level both ways).
std::vector<DyadTie> dyad_ties(const Model& model, int a, int b);

/// What one replicate did to one tie: its level before step 0 and after the last step, and the first step in
/// which it rose and the first in which it fell (−1: never).
struct TieCourse {
  int start = 0, end = 0;
  int first_rise = -1, first_fall = -1;
};

/// Watches the ties of one dyad while handing every call on to another observer (the trajectory writer), so
/// the run is the same whether it is watched or not.
class DyadWatch : public Observer {
 public:
  DyadWatch(const Model& model, int a, int b, Observer& inner);
  void start(const Model& model, const State& state) override;
  bool wants_terms(int step) const override { return inner_.wants_terms(step); }
  TieRef explains(int step) const override { return inner_.explains(step); }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override;
  /// One per tie of dyad_ties(model, a, b).
  const std::vector<TieCourse>& courses() const { return courses_; }

 private:
  Observer& inner_;
  std::vector<DyadTie> ties_;
  std::vector<TieCourse> courses_;
};

/// The text `tiesim run` prints: a line per tie of dyad (a, b) — the most common starting level, the share of
/// replicates in which it moved, rose and fell, the median date of its first rise and first fall among
/// those, the most common level at the end — then the scenario's dated events that involve no actor other
/// than a and b, in date order. `courses[r]` is replicate r's DyadWatch::courses(). Shares are of
/// courses.size() replicates; the median of an even count is the earlier of the two middle dates.
std::string dyad_summary(const Model& model, int a, int b, const std::vector<std::vector<TieCourse>>& courses,
                         std::uint64_t seed);

}  // namespace tiesim
