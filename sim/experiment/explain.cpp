#include "experiment/explain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "run/simulate.hpp"

namespace tiesim {

namespace {

/// Keeps the tie's level before and after `step`, and the choice its owner faced in it.
class ExplainWatch : public Observer {
 public:
  ExplainWatch(const Model& model, const ExplainRequest& request)
      : request_(request), tie_(model.tie_index(request.tie.from, request.tie.to, request.tie.channel)) {}
  void start(const Model&, const State& state) override { level_ = state.level[tie_]; }
  bool wants_terms(int) const override { return false; }
  TieRef explains(int step) const override { return step == request_.step ? request_.tie : TieRef{}; }
  void observe(const Model&, const State& state, int step, const StepRecord& record) override {
    if (step == request_.step) {
      seen.before = level_;
      seen.after = state.level[tie_];
      seen.explained = record.explained;
    }
    level_ = state.level[tie_];
  }
  ExplainedReplicate seen;

 private:
  const ExplainRequest& request_;
  std::size_t tie_;
  int level_ = 0;
};

struct Moments {
  std::size_t count = 0;
  double sum = 0, sum_squares = 0;
  void add(double value) {
    ++count;
    sum += value;
    sum_squares += value * value;
  }
  double mean() const { return sum / static_cast<double>(count); }
  /// The sample standard deviation (0 for a single value).
  double sd() const {
    if (count < 2) return 0;
    const double n = static_cast<double>(count);
    return std::sqrt(std::max(0.0, (sum_squares - sum * sum / n) / (n - 1)));
  }
};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::abs(value) < 0.0005 ? 0.0 : value);  // no "-0.000"
  return text;
}

std::string mean_sd(const Moments& moments) {
  if (moments.count == 0) return "—";
  return number(moments.mean()) + " ± " + number(moments.sd());
}

std::string percent(std::size_t k, std::size_t n) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100.0 * static_cast<double>(k) / static_cast<double>(n));
  return text;
}


}  // namespace

std::vector<ExplainedReplicate> explain_tie(const Model& model, const ExplainRequest& request) {
  std::vector<ExplainedReplicate> replicates(static_cast<std::size_t>(request.replicates));
  for_each_task(request.replicates, thread_count(request.threads, request.replicates), [&](int r) {
    ExplainWatch watch(model, request);
    simulate(model, replicate_seed(request.seed, static_cast<std::uint64_t>(r)), watch);
    replicates[static_cast<std::size_t>(r)] = watch.seen;
  });
  return replicates;
}

std::string explain_report(const Model& model, const ExplainRequest& request, const std::vector<ExplainedReplicate>& replicates) {
  const Actor& owner = model.actors[static_cast<std::size_t>(request.tie.from)];
  const Actor& partner = model.actors[static_cast<std::size_t>(request.tie.to)];
  const Channel& channel = model.channels[static_cast<std::size_t>(request.tie.channel)];
  const std::size_t n = replicates.size();
  std::ostringstream out;
  out << owner.id << "→" << partner.id << " " << channel.id << " in the step of " << model.calendar.date_of(request.step).iso() << ", "
      << n << " replicate" << (n == 1 ? "" : "s") << " (seed " << request.seed << ")\n";

  // where the tie stood, and what it did
  std::vector<std::size_t> before(channel.level_names.size(), 0);
  std::size_t rose = 0, fell = 0;
  for (const auto& replicate : replicates) {
    ++before[static_cast<std::size_t>(replicate.before)];
    rose += replicate.after > replicate.before ? 1 : 0;
    fell += replicate.after < replicate.before ? 1 : 0;
  }
  out << "before the step:";
  const char* separator = " ";
  for (std::size_t level = 0; level < before.size(); ++level)
    if (before[level] > 0) {
      out << separator << channel.level_names[level] << " in " << percent(before[level], n);
      separator = ", ";
    }
  out << "\nin the step: moved in " << percent(rose + fell, n) << " of replicates (rose in " << percent(rose, n) << ", fell in "
      << percent(fell, n) << ")\n";

  // each term of U for each choice, over the replicates in which the choice was open
  enum { lower, keep, raise };
  struct Term {
    const char* name;
    double UtilityTerms::*member;
  };
  const Term terms[] = {{"benefit", &UtilityTerms::benefit},       {"affinity", &UtilityTerms::affinity},
                        {"autonomy", &UtilityTerms::autonomy},     {"violation", &UtilityTerms::violation},
                        {"scrutiny", &UtilityTerms::scrutiny},     {"alignment", &UtilityTerms::alignment},
                        {"adjustment", &UtilityTerms::adjustment}, {"reciprocity", &UtilityTerms::reciprocity}};
  constexpr std::size_t term_count = std::size(terms);
  Moments moments[3][term_count + 1];  // [choice][term], the last the total
  Moments chance[3], margin;
  std::size_t keep_best = 0;
  for (const auto& replicate : replicates) {
    const ExplainedChoice& explained = replicate.explained;
    double best_other = -INFINITY;
    double kept = 0;
    for (int k = 0; k < explained.choice.count; ++k) {
      const int level = explained.choice.level[static_cast<std::size_t>(k)];
      const int which = level < replicate.before ? lower : level > replicate.before ? raise : keep;
      const UtilityTerms& utility = explained.terms[static_cast<std::size_t>(k)];
      for (std::size_t t = 0; t < term_count; ++t) moments[which][t].add(utility.*terms[t].member);
      moments[which][term_count].add(utility.total());
      chance[which].add(explained.choice.probability[static_cast<std::size_t>(k)]);
      if (which == keep) kept = utility.total();
      else best_other = std::max(best_other, utility.total());
    }
    if (best_other > -INFINITY) {
      margin.add(kept - best_other);
      keep_best += kept >= best_other ? 1 : 0;
    }
  }
  out << "\nU of each choice open to " << owner.id << ", term by term: mean ± standard deviation over the replicates in which\n"
      << "it was open (their number in brackets)\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"term", "lower (" + std::to_string(chance[lower].count) + ")", "keep (" + std::to_string(chance[keep].count) + ")",
                  "raise (" + std::to_string(chance[raise].count) + ")"});
  for (std::size_t t = 0; t <= term_count; ++t)
    rows.push_back({t < term_count ? terms[t].name : "total", mean_sd(moments[lower][t]), mean_sd(moments[keep][t]), mean_sd(moments[raise][t])});
  rows.push_back({"chance if reviewed", mean_sd(chance[lower]), mean_sd(chance[keep]), mean_sd(chance[raise])});
  std::size_t width[4] = {0, 0, 0, 0};
  for (const auto& row : rows)
    for (std::size_t column = 0; column < 4; ++column)
      width[column] = std::max(width[column], shown_width(row[column]));
  for (const auto& row : rows) {
    std::string line;
    // the numbers right-aligned, so that signs and decimal points line up
    line += pad(row[0], width[0]);
    for (std::size_t column = 1; column < 4; ++column)
      line += std::string(3 + width[column] - shown_width(row[column]), ' ') + row[column];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  if (margin.count > 0)
    out << "keep − best other choice: " << mean_sd(margin) << "; keeping was the best choice in " << percent(keep_best, margin.count)
        << " of the " << margin.count << " replicates with another choice open\n";
  if (channel.kind == ChannelKind::mutual)
    out << "(a mutual tie takes the lower of both sides' choices; these are " << owner.id << "'s: 'tiesim explain --from " << partner.id
        << " --to " << owner.id << "' gives the other's)\n";
  else if (channel.host_consent)
    out << "(on this channel the host, " << partner.id << ", may refuse a rise or cut the tie: these are " << owner.id << "'s terms only)\n";
  return out.str();
}

}  // namespace tiesim
