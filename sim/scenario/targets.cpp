#include "scenario/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <tuple>

#include "core/text.hpp"
#include "scenario/reader.hpp"

namespace tiesim {

namespace {

const std::vector<std::string> quantity_names = {"level", "value", "tie_index", "affect", "pressure"};
const std::vector<std::string> comparison_names = {"<", "<=", "==", "!=", ">=", ">"};
const std::vector<std::string> direction_names = {"down", "up", "any"};
const std::vector<std::string> kind_names = {"level", "first_change", "order", "change", "rank"};

int index_in(const std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

class TargetReader {
 public:
  TargetReader(const ScenarioDocument& document, const Model& model) : document_(document), model_(model) {
    for (const auto& actor : model.actors) actor_ids_.push_back(actor.id);
    for (const auto& channel : model.channels) channel_ids_.push_back(channel.id);
  }

  std::vector<Target> read(std::vector<Diagnostic>* warnings) {
    std::vector<Target> targets;
    const toml::node* node = document_.root.get("targets");
    if (!node) return targets;
    const toml::table* table = node->as_table();
    if (!table) {
      diagnostics_.error(node->source(), "targets: expected tables such as [targets.ID], got " + type_name(*node));
      diagnostics_.throw_if_any();
    }
    // in the order written, base file first
    std::vector<std::tuple<int, std::size_t, std::string, const toml::node*>> ordered;
    for (const auto& [key, value] : *table)
      ordered.emplace_back(document_.rank_of(value.source()), value.source().begin.line, std::string(key.str()), &value);
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) < std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    });
    for (const auto& [rank, line, id, value] : ordered) {
      if (!value->is_table()) {
        diagnostics_.error(place_of(value, *table), "targets." + shortened(id) + ": expected a table, got " + type_name(*value));
        continue;
      }
      // a target's id is the name of its column in runs.csv
      if (const auto problem = column_name_problem(id, "a target id"); !problem.empty()) {
        diagnostics_.error(place_of(value, *table), "targets." + shortened(id) + ": " + problem, "it becomes a column of runs.csv");
        continue;
      }
      TableReader reader(*value->as_table(), "targets." + id, diagnostics_);
      if (auto target = read_target(reader, id)) targets.push_back(std::move(*target));
      reader.finish();
    }
    diagnostics_.throw_if_any();
    if (warnings) warnings->insert(warnings->end(), diagnostics_.warnings().begin(), diagnostics_.warnings().end());
    return targets;
  }

 private:
  std::optional<Target> read_target(TableReader& reader, const std::string& id) {
    Target target;
    target.id = id;
    target.label = reader.string("label").value_or(id);
    target.share = reader.number("share", 0.9, Range::between(0, 1));
    if (reader.has("share") && target.share == 0) reader.warning("share", "a share of 0 is met by every run: the target is always met", "give the share of replicates that must meet it, e.g. 0.9");
    target.weight = reader.number("weight", 1.0, Range::between(0, 1e6));
    auto kind = reader.required_string("kind");
    if (!kind) return std::nullopt;
    const int kind_index = index_in(kind_names, *kind);
    if (kind_index < 0) {
      reader.error("kind", "unknown target kind '" + *kind + "'", suggestion(*kind, kind_names));
      reader.accept_all();
      return std::nullopt;
    }
    target.kind = static_cast<TargetKind>(kind_index);
    bool ok = true;
    switch (target.kind) {
      case TargetKind::level: ok = read_level(reader, target); break;
      case TargetKind::first_change: ok = read_first_change(reader, target); break;
      case TargetKind::order: ok = read_order(reader, target); break;
      case TargetKind::change: ok = read_change(reader, target); break;
      case TargetKind::rank: ok = read_rank(reader, target); break;
    }
    if (!ok) {
      // the kind's reader stopped at its first error: the keys it did not reach are not unknown, only unread
      reader.accept_all();
      return std::nullopt;
    }
    return target;
  }

  std::optional<int> step(TableReader& reader, std::string_view key, const toml::node* node = nullptr) {
    return read_step(reader, key, model_, node);
  }

  /// `[a, b]` as two steps, a ≤ b.
  std::optional<std::pair<int, int>> window(TableReader& reader, std::string_view key) {
    const toml::node* node = reader.node(key);
    if (!node) return std::nullopt;
    const toml::array* array = node->as_array();
    if (!array || array->size() != 2) {
      reader.error(key, "expected two dates [first, last]");
      return std::nullopt;
    }
    auto first = step(reader, key, array->get(0));
    auto last = step(reader, key, array->get(1));
    if (!first || !last) return std::nullopt;
    if (*last < *first) {
      reader.error(key, "the window ends before it starts");
      return std::nullopt;
    }
    return std::make_pair(*first, *last);
  }

  std::optional<std::vector<Probe>> probes(TableReader& reader, bool single) { return read_probes(reader, model_, single); }

  /// The number compared against: a level name is allowed for levels.
  std::optional<double> compared_value(TableReader& reader, const Probe& probe, std::string_view key) {
    const toml::node* node = reader.node(key);
    if (!node) {
      reader.missing(key, "the value to compare with");
      return std::nullopt;
    }
    if (auto name = node->as_string()) {
      if (probe.quantity != Quantity::level) {
        reader.error(key, "expected a number");
        return std::nullopt;
      }
      const auto& levels = model_.channels[static_cast<std::size_t>(probe.channel)].level_names;
      auto it = std::find(levels.begin(), levels.end(), name->get());
      if (it == levels.end()) {
        reader.error(key, "'" + name->get() + "' is not a level of channel '" + channel_ids_[static_cast<std::size_t>(probe.channel)] + "'",
                     suggestion(name->get(), levels));
        return std::nullopt;
      }
      return static_cast<double>(it - levels.begin());
    }
    return reader.number(key, Range{});
  }

  std::string describe(const Probe& probe) const {
    std::string text = quantity_names[static_cast<std::size_t>(probe.quantity)] + " ";
    text += actor_ids_[static_cast<std::size_t>(probe.from)];
    if (probe.to >= 0) text += "->" + actor_ids_[static_cast<std::size_t>(probe.to)];
    if (probe.channel >= 0) text += " " + channel_ids_[static_cast<std::size_t>(probe.channel)];
    return text;
  }

  /// The values `probe` can take, and their name in messages: a channel's ladder or values, affect's
  /// [−1, 1], a tie index's [0, 1]; pressure has no upper bound.
  std::pair<double, double> span_of(const Probe& probe) const {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    const Channel* channel = probe.channel >= 0 ? &model_.channels[static_cast<std::size_t>(probe.channel)] : nullptr;
    switch (probe.quantity) {
      case Quantity::level: return {0.0, channel ? static_cast<double>(channel->top_level()) : infinity};
      case Quantity::value:
        if (channel && !channel->level_values.empty())
          return {*std::min_element(channel->level_values.begin(), channel->level_values.end()),
                  *std::max_element(channel->level_values.begin(), channel->level_values.end())};
        return {-infinity, infinity};
      case Quantity::tie_index: return {0.0, 1.0};
      case Quantity::affect: return {-1.0, 1.0};
      case Quantity::pressure: return {-infinity, infinity};
    }
    return {-infinity, infinity};
  }

  /// A level target's comparison against what its quantity can be: one that can never hold is an error,
  /// one that always holds a warning; both at `value`.
  bool check_comparison(TableReader& reader, const Target& target, const std::string& compare) {
    const Probe& probe = target.probes.front();
    auto [low, high] = span_of(probe);
    const bool whole = probe.quantity == Quantity::level;
    std::string what = describe(probe) + " runs from " + format_number(low) + " to " + format_number(high);
    if (target.baseline_step != no_step) {
      // compared with its own value at the baseline plus the threshold: the difference spans both ways
      const double width = high - low;
      low = -width, high = width;
      what = describe(probe) + " changes by " + format_number(low) + " to " + format_number(high) + " from its baseline";
    }
    const double t = target.threshold;
    const bool off_grid = whole && t != std::floor(t);
    bool never = false, always = false;
    switch (target.comparison) {
      case Comparison::less: never = t <= low, always = t > high; break;
      case Comparison::less_equal: never = t < low, always = t >= high; break;
      case Comparison::greater: never = t >= high, always = t < low; break;
      case Comparison::greater_equal: never = t > high, always = t <= low; break;
      case Comparison::equal: never = t < low || t > high || off_grid, always = low == high && t == low; break;
      case Comparison::not_equal: always = t < low || t > high || off_grid, never = low == high && t == low; break;
    }
    const std::string condition = "'" + compare + " " + format_number(t) + "'";
    if (never) {
      reader.error("value", condition + " can never hold: " + what + (off_grid ? ", in whole levels" : ""),
                   "the target could never be met; compare with a value in that range");
      return false;
    }
    if (always) reader.warning("value", condition + " always holds: " + what + "; the target is always met");
    return true;
  }

  std::string date_text(int step) const { return model_.calendar.date_of(step).iso().substr(0, 7); }

  bool read_level(TableReader& reader, Target& target) {
    auto list = probes(reader, false);
    if (!list) return false;
    target.probes = *list;
    if (reader.has("date") == reader.has("during")) {
      reader.missing("date", "either 'date' or 'during = [first, last]'");
      return false;
    }
    if (reader.has("date")) {
      auto at = step(reader, "date");
      if (!at) return false;
      target.first_step = target.last_step = *at;
    } else {
      auto span = window(reader, "during");
      if (!span) return false;
      std::tie(target.first_step, target.last_step) = *span;
    }
    const std::string compare = reader.string("compare").value_or("==");
    const int comparison = index_in(comparison_names, compare);
    if (comparison < 0) {
      reader.error("compare", "unknown comparison '" + compare + "'", "expected one of: < <= == != >= >");
      return false;
    }
    target.comparison = static_cast<Comparison>(comparison);
    auto value = compared_value(reader, target.probes.front(), "value");
    if (!value) return false;
    target.threshold = *value;
    if (reader.has("baseline")) {
      auto base = step(reader, "baseline");
      if (!base) return false;
      target.baseline_step = *base;
    }
    if (!check_comparison(reader, target, compare)) return false;
    std::ostringstream expected;
    expected << describe(target.probes.front()) << (target.probes.size() > 1 ? " (+" + std::to_string(target.probes.size() - 1) + ")" : "")
             << " " << compare << " " << (target.baseline_step != no_step ? "value at " + date_text(target.baseline_step) + " + " : "")
             << format_number(target.threshold)
             << (target.first_step == target.last_step ? " at " + date_text(target.first_step)
                                                        : " during " + date_text(target.first_step) + ".." + date_text(target.last_step));
    target.expected = expected.str();
    return true;
  }

  std::optional<Direction> direction(TableReader& reader, std::string_view key) {
    const std::string name = reader.string(key).value_or("down");
    const int index = index_in(direction_names, name);
    if (index < 0) {
      reader.error(key, "unknown direction '" + name + "'", suggestion(name, direction_names));
      return std::nullopt;
    }
    return static_cast<Direction>(index);
  }

  bool read_first_change(TableReader& reader, Target& target) {
    auto list = probes(reader, true);
    auto dir = direction(reader, "direction");
    auto span = window(reader, "window");
    if (!reader.has("window")) reader.missing("window", "two dates [first, last] the change must fall in");
    if (!list || !dir || !span) return false;
    target.probes = *list;
    target.direction = *dir;
    std::tie(target.first_step, target.last_step) = *span;
    target.after_step = reader.has("after") ? step(reader, "after").value_or(0) : target.first_step;
    if (target.after_step > target.last_step) {
      reader.error("after", "the change is looked for after " + date_text(target.after_step) + ", later than the window's end (" +
                                date_text(target.last_step) + "): the target can never be met",
                   "'after' is at most the window's last date");
      return false;
    }
    target.expected = "first " + direction_names[static_cast<std::size_t>(target.direction)] + " change of " +
                      describe(target.probes.front()) + " after " + date_text(target.after_step) + " in " +
                      date_text(target.first_step) + ".." + date_text(target.last_step);
    return true;
  }

  /// An inline table {from, to, channel, direction} of an order target.
  std::optional<std::pair<Probe, Direction>> change_spec(TableReader& reader, std::string_view key) {
    const toml::table* table = reader.table(key);
    if (!table) {
      if (!reader.has(key)) reader.missing(key, "a table { from = …, to = …, channel = …, direction = … }");
      return std::nullopt;
    }
    TableReader inner(*table, reader.key_path(key), diagnostics_);
    auto list = probes(inner, true);
    auto dir = direction(inner, "direction");
    inner.finish();
    if (!list || !dir) return std::nullopt;
    return std::make_pair(list->front(), *dir);
  }

  bool read_order(TableReader& reader, Target& target) {
    auto first = change_spec(reader, "first");
    auto second = change_spec(reader, "second");
    target.after_step = reader.has("after") ? step(reader, "after").value_or(0) : 0;
    // the first change counts only up to `by`; without it, up to the run's end
    target.last_step = model_.calendar.step_count() - 1;
    if (reader.has("by")) {
      auto by = step(reader, "by");
      if (!by) return false;
      if (*by < target.after_step) {
        reader.error("by", "'by' is before 'after'", "give a 'by' date on or after " + model_.calendar.date_of(target.after_step).iso());
        return false;
      }
      target.last_step = *by;
    }
    if (!first || !second) return false;
    if (first->first == second->first && (first->second == second->second || second->second == Direction::any)) {
      // the second's change is then never later than the first's: one change cannot come strictly before itself
      reader.error("second", "'first' and 'second' are the same change: it cannot come before itself, the target can never be met");
      return false;
    }
    target.probes = {first->first};
    target.direction = first->second;
    target.second = second->first;
    target.second_direction = second->second;
    target.expected = direction_names[static_cast<std::size_t>(target.direction)] + " " + describe(target.probes.front()) +
                      " before " + direction_names[static_cast<std::size_t>(target.second_direction)] + " " +
                      describe(target.second) + " (after " + date_text(target.after_step) +
                      (reader.has("by") ? ", by " + date_text(target.last_step) : std::string()) + ")";
    return true;
  }

  bool read_change(TableReader& reader, Target& target) {
    auto list = probes(reader, true);
    if (!list) return false;
    target.probes = *list;
    if (reader.has("dates") == reader.has("periods")) {
      reader.missing("dates", "either 'dates = [a, b]' or 'periods = [[a1, a2], [b1, b2]]'");
      return false;
    }
    if (reader.has("dates")) {
      auto span = window(reader, "dates");
      if (!span) return false;
      target.period_a_first = target.period_a_last = span->first;
      target.period_b_first = target.period_b_last = span->second;
    } else {
      const toml::array* periods = reader.node("periods")->as_array();
      if (!periods || periods->size() != 2 || !periods->get(0)->is_array() || !periods->get(1)->is_array()) {
        reader.error("periods", "expected two windows [[a1, a2], [b1, b2]]");
        return false;
      }
      std::optional<int> steps[4];
      for (std::size_t k = 0; k < 4; ++k) steps[k] = step(reader, "periods", periods->get(k / 2)->as_array()->get(k % 2));
      if (!steps[0] || !steps[1] || !steps[2] || !steps[3]) return false;
      if (*steps[1] < *steps[0] || *steps[3] < *steps[2]) {
        reader.error("periods", "a window ends before it starts");
        return false;
      }
      target.period_a_first = *steps[0];
      target.period_a_last = *steps[1];
      target.period_b_first = *steps[2];
      target.period_b_last = *steps[3];
    }
    auto low = reader.number("min", Range{});
    auto high = reader.number("max", Range{});
    if (!low && !high) {
      reader.missing("min", "a 'min' and/or 'max' relative change, e.g. min = -0.5, max = -0.05");
      return false;
    }
    if (low) target.min_change = *low;
    if (high) target.max_change = *high;
    if (target.min_change > target.max_change) {
      reader.error("max", "max is below min");
      return false;
    }
    // a quantity that is never negative cannot fall by more than all of it
    const Quantity quantity = target.probes.front().quantity;
    if ((quantity == Quantity::level || quantity == Quantity::tie_index) && target.max_change < -1) {
      reader.error("max", "a relative change below -1 can never happen: " + quantity_names[static_cast<std::size_t>(quantity)] +
                              " is never negative, so it falls by at most all of it (-1)",
                   "the target could never be met; -1 means a fall to zero");
      return false;
    }
    std::ostringstream expected;
    expected << "relative change of " << describe(target.probes.front()) << " from " << date_text(target.period_a_first)
             << " to " << date_text(target.period_b_last) << " in [" << (low ? format_number(*low) : "-inf") << ", "
             << (high ? format_number(*high) : "inf") << "]";
    target.expected = expected.str();
    return true;
  }

  bool read_rank(TableReader& reader, Target& target) {
    auto list = probes(reader, true);
    auto among = lookup_ids(reader, "among", actor_ids_, "actor", true);
    auto at = step(reader, "date");
    if (!reader.has("date")) reader.missing("date", "the date of the comparison");
    target.min_rank = static_cast<int>(reader.integer("min_rank", 1, 100000).value_or(1));
    target.max_rank = static_cast<int>(reader.integer("max_rank", 1, 100000).value_or(100000));
    if (target.min_rank > target.max_rank) {
      reader.error("max_rank", "max_rank " + std::to_string(target.max_rank) + " is below min_rank " + std::to_string(target.min_rank) +
                                   ": the target can never be met");
      return false;
    }
    if (!list || !among || !at) return false;
    target.probes = *list;
    target.first_step = target.last_step = *at;
    for (int actor : *among) {
      if (actor == target.probes.front().from || actor == target.probes.front().to) continue;
      Probe other = target.probes.front();
      other.from = actor;
      target.among.push_back(other);
    }
    // ranks run from 1 to the number of candidates, the subject among them
    const int candidates = static_cast<int>(target.among.size()) + 1;
    if (target.min_rank > candidates) {
      reader.error("min_rank", "min_rank " + std::to_string(target.min_rank) + " is beyond the " + std::to_string(candidates) +
                                   (candidates == 1 ? " candidate" : " candidates") + ": the target can never be met",
                   "ranks run from 1 to the number of actors compared, the subject among them");
      return false;
    }
    if (target.min_rank <= 1 && target.max_rank >= candidates)
      reader.warning(reader.has("max_rank") ? "max_rank" : reader.has("min_rank") ? "min_rank" : "among",
                     "every rank from 1 to " + std::to_string(candidates) + " is allowed: the target is always met",
                     "narrow min_rank and max_rank");
    target.expected = "rank of " + describe(target.probes.front()) + " among " + std::to_string(target.among.size() + 1) +
                      " at " + date_text(*at) + " in " + std::to_string(target.min_rank) + ".." +
                      (target.max_rank >= 100000 ? std::string("last") : std::to_string(target.max_rank));
    return true;
  }

  const ScenarioDocument& document_;
  const Model& model_;
  Diagnostics diagnostics_;
  std::vector<std::string> actor_ids_, channel_ids_;
};

}  // namespace

std::optional<int> read_step(TableReader& reader, std::string_view key, const Model& model, const toml::node* node) {
  std::optional<Date> date;
  if (node) {
    date = date_of_node(*node);
    if (!date) reader.error(key, "expected dates such as 2016-03-02");
  } else {
    date = reader.date(key);
  }
  if (!date) return std::nullopt;
  if (*date < model.calendar.start || *date > model.calendar.end) {
    reader.error(key, "date " + date->iso() + " is outside the run (" + model.calendar.start.iso() + " to " +
                          model.calendar.end.iso() + ")");
    return std::nullopt;
  }
  return model.calendar.step_of(*date);
}

std::optional<std::vector<Probe>> read_probes(TableReader& reader, const Model& model, bool single) {
  std::vector<std::string> actor_ids, channel_ids;
  for (const auto& actor : model.actors) actor_ids.push_back(actor.id);
  for (const auto& channel : model.channels) channel_ids.push_back(channel.id);
  Probe probe;
  auto quantity_name = reader.string("quantity").value_or(reader.has("channel") ? "level" : "tie_index");
  const int quantity = index_in(quantity_names, quantity_name);
  if (quantity < 0) {
    reader.error("quantity", "unknown quantity '" + quantity_name + "'", suggestion(quantity_name, quantity_names));
    reader.accept_all();  // which other keys belong depends on the quantity
    return std::nullopt;
  }
  probe.quantity = static_cast<Quantity>(quantity);
  auto froms = lookup_ids(reader, "from", actor_ids, "actor", true);
  std::optional<std::vector<int>> tos;
  if (probe.quantity != Quantity::pressure) tos = lookup_ids(reader, "to", actor_ids, "actor", true);
  else reader.forbid("to", "pressure is an actor's own: name it with 'from'");
  const bool needs_channel = probe.quantity == Quantity::level || probe.quantity == Quantity::value;
  if (needs_channel) {
    probe.channel = lookup_id(reader, "channel", channel_ids, "channel", true).value_or(-1);
    if (probe.channel < 0) return std::nullopt;
    if (probe.quantity == Quantity::value && model.channels[static_cast<std::size_t>(probe.channel)].level_values.empty()) {
      reader.error("quantity", "channel '" + channel_ids[static_cast<std::size_t>(probe.channel)] + "' has no values",
                   "use quantity = \"level\", or give the channel 'values'");
      return std::nullopt;
    }
  } else {
    reader.forbid("channel", "quantity '" + quantity_name + "' is not about one channel");
  }
  if (!froms || (probe.quantity != Quantity::pressure && !tos)) return std::nullopt;
  if (probe.quantity == Quantity::pressure) tos = std::vector<int>{-1};
  if (single && (froms->size() != 1 || tos->size() != 1)) {
    reader.error("from", "this kind of target follows one series: give one 'from' and one 'to'");
    return std::nullopt;
  }
  std::vector<Probe> list;
  for (int from : *froms)
    for (int to : *tos) {
      if (from == to) continue;
      probe.from = from;
      probe.to = to;
      list.push_back(probe);
    }
  if (list.empty()) {
    reader.error("to", "no pair of different actors to follow");
    return std::nullopt;
  }
  return list;
}


std::vector<Target> read_targets(const ScenarioDocument& document, const Model& model, std::vector<Diagnostic>* warnings) {
  return TargetReader(document, model).read(warnings);
}

std::string_view target_kind_name(TargetKind kind) { return kind_names[static_cast<std::size_t>(kind)]; }

int target_end_step(const Target& target) {
  switch (target.kind) {
    case TargetKind::level: return std::max(target.last_step, target.baseline_step);
    case TargetKind::first_change: return std::max(target.last_step, target.after_step);
    case TargetKind::order: return target.last_step;
    case TargetKind::change: return std::max(target.period_a_last, target.period_b_last);
    case TargetKind::rank: return target.last_step;
  }
  return target.last_step;
}

}  // namespace tiesim
