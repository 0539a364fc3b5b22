#include "experiment/validation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"
#include "core/parallel.hpp"
#include "scenario/diagnostics.hpp"

namespace tiesim {

double probe_value(const Model& model, const State& state, const Probe& probe) {
  switch (probe.quantity) {
    case Quantity::level: return state.level[model.tie_index(probe.from, probe.to, probe.channel)];
    case Quantity::value: {
      const auto& channel = model.channels[static_cast<std::size_t>(probe.channel)];
      return channel.level_values[state.level[model.tie_index(probe.from, probe.to, probe.channel)]];
    }
    case Quantity::tie_index: return tie_index(model, state, probe.from, probe.to);
    case Quantity::affect: return state.affect(probe.from, probe.to);
    case Quantity::pressure: return state.pressure(probe.from);
  }
  return 0;
}

TargetObserver::TargetObserver(const Model&, const std::vector<Target>& targets, bool count_moves)
    : targets_(targets), count_moves_(count_moves) {
  for (const auto& target : targets) {
    for (const auto& probe : target.probes) probe_index(probe);
    for (const auto& probe : target.among) probe_index(probe);
    if (target.kind == TargetKind::order) probe_index(target.second);
  }
}

int TargetObserver::probe_index(const Probe& probe) {
  auto it = std::find(probes_.begin(), probes_.end(), probe);
  if (it != probes_.end()) return static_cast<int>(it - probes_.begin());
  probes_.push_back(probe);
  series_.emplace_back();
  return static_cast<int>(probes_.size()) - 1;
}

const Series& TargetObserver::series(const Probe& probe) const {
  return series_[static_cast<std::size_t>(std::find(probes_.begin(), probes_.end(), probe) - probes_.begin())];
}

void TargetObserver::record(const Model& model, const State& state) {
  for (std::size_t k = 0; k < probes_.size(); ++k) series_[k].values.push_back(probe_value(model, state, probes_[k]));
}

void TargetObserver::start(const Model& model, const State& state) {
  for (auto& one : series_) one.values.clear();
  record(model, state);
  recorded_steps_ = 0;
  if (count_moves_) {
    last_level_.assign(state.level.begin(), state.level.end());
    moves_.assign(last_level_.size(), 0);
  }
}

void TargetObserver::observe(const Model& model, const State& state, int step, const StepRecord&) {
  // a missed start() or step would shift every series by one, and every target with it
  if (step != recorded_steps_)
    throw std::logic_error("TargetObserver: step " + std::to_string(step) + " observed after " +
                           std::to_string(recorded_steps_) + " steps" + (recorded_steps_ < 0 ? " and no start()" : ""));
  record(model, state);
  ++recorded_steps_;
  if (count_moves_)
    for (std::size_t tie = 0; tie < last_level_.size(); ++tie) {
      const std::uint8_t now = state.level[tie];
      if (now > last_level_[tie]) moves_[tie] |= 1;
      if (now < last_level_[tie]) moves_[tie] |= 2;
      last_level_[tie] = now;
    }
}

namespace {

bool compare(double value, Comparison comparison, double threshold) {
  switch (comparison) {
    case Comparison::less: return value < threshold;
    case Comparison::less_equal: return value <= threshold;
    case Comparison::equal: return value == threshold;
    case Comparison::not_equal: return value != threshold;
    case Comparison::greater_equal: return value >= threshold;
    case Comparison::greater: return value > threshold;
  }
  return false;
}

/// The first step at or after `after` in which the value moved in `direction`; −1 if none. A change in step 0
/// is one from the state before it.
int first_change(const Series& series, int after, Direction direction) {
  for (int k = std::max(after, 0); k < series.steps(); ++k) {
    const double before = series.before(k), now = series.after(k);
    const bool moved = direction == Direction::down ? now < before : direction == Direction::up ? now > before : now != before;
    if (moved) return k;
  }
  return -1;
}

/// The mean of the values after steps first..last.
double mean(const Series& series, int first, int last) {
  double sum = 0;
  for (int k = first; k <= last; ++k) sum += series.after(k);
  return sum / (last - first + 1);
}

}  // namespace

bool level_probe_met(const Target& target, const Series& values) {
  const double threshold = target.threshold + (target.baseline_step != no_step ? values.after(target.baseline_step) : 0.0);
  for (int k = target.first_step; k <= target.last_step; ++k)
    if (!compare(values.after(k), target.comparison, threshold)) return false;
  return true;
}

bool target_met(const Target& target, const SeriesLookup& series_of) {
  switch (target.kind) {
    case TargetKind::level:
      for (const auto& probe : target.probes)
        if (!level_probe_met(target, series_of(probe))) return false;
      return true;
    case TargetKind::first_change: {
      const int k = first_change(series_of(target.probes.front()), target.after_step, target.direction);
      return k >= target.first_step && k <= target.last_step;
    }
    case TargetKind::order: {
      const int first = first_change(series_of(target.probes.front()), target.after_step, target.direction);
      const int second = first_change(series_of(target.second), target.after_step, target.second_direction);
      return first >= 0 && first <= target.last_step && (second < 0 || first < second);
    }
    case TargetKind::change: {
      const Series& values = series_of(target.probes.front());
      const double a = mean(values, target.period_a_first, target.period_a_last);
      const double b = mean(values, target.period_b_first, target.period_b_last);
      const double change = a != 0 ? (b - a) / std::abs(a)
                                   : (b == a ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), b - a));
      return change >= target.min_change && change <= target.max_change;
    }
    case TargetKind::rank: {
      const double subject = series_of(target.probes.front()).after(target.last_step);
      int rank = 1;
      for (const auto& other : target.among) rank += series_of(other).after(target.last_step) >= subject ? 1 : 0;
      return rank >= target.min_rank && rank <= target.max_rank;
    }
  }
  return false;
}

std::vector<char> TargetObserver::hits() const {
  std::vector<char> result;
  const SeriesLookup lookup = [this](const Probe& probe) -> const Series& { return series(probe); };
  for (const auto& target : targets_) result.push_back(target_met(target, lookup) ? 1 : 0);
  return result;
}

std::vector<std::vector<char>> TargetObserver::pair_hits() const {
  std::vector<std::vector<char>> result(targets_.size());
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    const Target& target = targets_[t];
    if (target.kind != TargetKind::level || target.probes.size() < 2) continue;
    for (const auto& probe : target.probes) result[t].push_back(level_probe_met(target, series(probe)) ? 1 : 0);
  }
  return result;
}

std::vector<char> watched_ties(const Model& model, const std::vector<Target>& targets) {
  const int n = model.actor_count(), channels = model.channel_count();
  std::vector<char> watched(static_cast<std::size_t>(n) * static_cast<std::size_t>(n) * static_cast<std::size_t>(channels), 0);
  auto watch = [&](const Probe& probe) {
    if (probe.to < 0) return;  // a pressure
    if (probe.quantity == Quantity::level || probe.quantity == Quantity::value) {
      watched[model.tie_index(probe.from, probe.to, probe.channel)] = 1;
      if (model.channels[static_cast<std::size_t>(probe.channel)].kind == ChannelKind::mutual)
        watched[model.tie_index(probe.to, probe.from, probe.channel)] = 1;
    } else if (probe.quantity == Quantity::tie_index) {
      for (int c = 0; c < channels; ++c) {
        watched[model.tie_index(probe.from, probe.to, c)] = 1;
        if (model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual) watched[model.tie_index(probe.to, probe.from, c)] = 1;
      }
    }
  };
  for (const auto& target : targets) {
    for (const auto& probe : target.probes) watch(probe);
    for (const auto& probe : target.among) watch(probe);
    if (target.kind == TargetKind::order) watch(target.second);
  }
  return watched;
}

std::vector<UnwatchedMove> unwatched_moves(const Model& model, const std::vector<Target>& targets, const ValidationResult& result) {
  const std::vector<char> watched = watched_ties(model, targets);
  std::vector<UnwatchedMove> moves;
  for (int i = 0; i < model.actor_count(); ++i)
    for (int j = 0; j < model.actor_count(); ++j)
      for (int c = 0; c < model.channel_count(); ++c) {
        const std::size_t tie = model.tie_index(i, j, c);
        if (i == j || watched[tie] || result.moves[tie].moved == 0) continue;
        if (model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual && j < i) continue;
        moves.push_back({i, j, c, result.moves[tie]});
      }
  std::stable_sort(moves.begin(), moves.end(), [](const UnwatchedMove& a, const UnwatchedMove& b) { return a.moves.moved > b.moves.moved; });
  return moves;
}

bool ValidationResult::passed(const std::vector<Target>& targets) const {
  for (std::size_t t = 0; t < targets.size(); ++t)
    if (outcomes[t].hit_rate() < targets[t].share) return false;
  return true;
}

std::vector<char> Holdout::in_sample(const std::vector<Target>& targets) const {
  std::vector<char> result;
  for (const auto& target : targets) result.push_back(in_sample(target) ? 1 : 0);
  return result;
}

Holdout read_holdout(const std::string& text, const Calendar& calendar) {
  auto problem = [](std::string message, std::string hint) {
    Diagnostic diagnostic;
    diagnostic.file = "--until";
    diagnostic.message = std::move(message);
    diagnostic.hint = std::move(hint);
    return InputError(diagnostic);
  };
  const auto date = Date::parse(text);
  if (!date)
    throw problem("expected a calendar date YYYY-MM-DD, got '" + text + "'", "e.g. --until 2015-12-31: targets ending on or before it are in sample");
  if (*date < calendar.start || *date > calendar.end)
    throw problem("date " + date->iso() + " is outside the run (" + calendar.start.iso() + " to " + calendar.end.iso() + ")",
                  "give a date inside the run");
  Holdout holdout;
  holdout.until = *date;
  // the last step whose span ends on or before the date; the run's last step ends with the run
  holdout.last_step = *date == calendar.end ? calendar.step_count() - 1
                                            : calendar.step_of(Date{date->days + std::chrono::days{1}}) - 1;
  return holdout;
}

ValidationResult validate(const Model& model, const std::vector<Target>& targets, std::uint64_t seed, int replicates,
                          int threads, ProgressLine* progress, bool count_moves) {
  return validate([&](int) -> const Model& { return model; }, targets, seed, replicates, threads, progress, count_moves);
}

ValidationResult validate(const ReplicateModels& model_of, const std::vector<Target>& targets, std::uint64_t seed, int replicates,
                          int threads, ProgressLine* progress, bool count_moves) {
  ValidationResult result;
  result.hits.assign(static_cast<std::size_t>(replicates), {});
  std::vector<std::vector<std::vector<char>>> pair_hits(static_cast<std::size_t>(replicates));
  std::vector<std::vector<std::uint8_t>> moves(static_cast<std::size_t>(replicates));
  for_each_task(replicates, thread_count(threads, replicates), [&](int r) {
    const Model& model = model_of(r);
    TargetObserver observer(model, targets, count_moves);
    simulate(model, replicate_seed(seed, static_cast<std::uint64_t>(r)), observer);
    result.hits[static_cast<std::size_t>(r)] = observer.hits();
    pair_hits[static_cast<std::size_t>(r)] = observer.pair_hits();
    moves[static_cast<std::size_t>(r)] = observer.moves();
    if (progress) progress->advance();
  });
  if (count_moves && replicates > 0) {
    result.moves.assign(moves.front().size(), {});
    for (const auto& replicate : moves)
      for (std::size_t tie = 0; tie < replicate.size(); ++tie) {
        result.moves[tie].moved += replicate[tie] != 0;
        result.moves[tie].rose += (replicate[tie] & 1) != 0;
        result.moves[tie].fell += (replicate[tie] & 2) != 0;
      }
  }
  result.outcomes.assign(targets.size(), {});
  result.pairs.assign(targets.size(), {});
  for (std::size_t r = 0; r < result.hits.size(); ++r)
    for (std::size_t t = 0; t < targets.size(); ++t) {
      result.outcomes[t].hits += result.hits[r][t];
      result.outcomes[t].replicates += 1;
      result.pairs[t].resize(pair_hits[r][t].size());
      for (std::size_t p = 0; p < pair_hits[r][t].size(); ++p) {
        result.pairs[t][p].hits += pair_hits[r][t][p];
        result.pairs[t][p].replicates += 1;
      }
    }
  return result;
}

}  // namespace tiesim
