#include "output/dyad_summary.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/text.hpp"

namespace tiesim {

namespace {


std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t shown = shown_width(text);
  return shown < width ? std::string(width - shown, ' ') + text : text;
}

/// At most `width` characters, the last one "…" when cut (never inside a UTF-8 sequence).
std::string cut(const std::string& text, std::size_t width) {
  if (shown_width(text) <= width) return text;
  std::size_t kept = 0, at = 0;
  for (; at < text.size(); ++at)
    if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && ++kept == width) break;
  return text.substr(0, at) + "…";
}

/// k of n as a whole percentage; never "0%" or "100%" unless it is exactly that.
std::string percent(std::size_t k, std::size_t n) {
  if (k == 0) return "0%";
  if (k == n) return "100%";
  const long rounded = std::lround(100.0 * static_cast<double>(k) / static_cast<double>(n));
  if (rounded < 1) return "<1%";
  if (rounded > 99) return ">99%";
  return std::to_string(rounded) + "%";
}

/// The level most replicates show (the lower of equals), with its share unless every replicate shows it.
std::string common_level(const Channel& channel, const std::vector<int>& levels) {
  std::vector<std::size_t> count(channel.level_names.size(), 0);
  for (int level : levels) ++count[static_cast<std::size_t>(level)];
  const auto most = static_cast<std::size_t>(std::max_element(count.begin(), count.end()) - count.begin());
  std::string text = channel.level_names[most];
  if (count[most] < levels.size()) text += " " + percent(count[most], levels.size());
  return text;
}

/// The share of replicates with a first step ≥ 0, and the median of those steps as a date (empty: none).
std::pair<std::string, std::string> first_steps(const Model& model, std::vector<int> steps) {
  const std::size_t replicates = steps.size();
  std::erase(steps, -1);
  if (steps.empty()) return {percent(0, replicates), ""};
  std::sort(steps.begin(), steps.end());
  return {percent(steps.size(), replicates), model.calendar.date_of(steps[(steps.size() - 1) / 2]).iso()};
}

}  // namespace

std::vector<DyadTie> dyad_ties(const Model& model, int a, int b) {
  std::vector<DyadTie> ties;
  for (int c = 0; c < model.channel_count(); ++c) {
    ties.push_back({a, b, c});
    if (model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::directed) ties.push_back({b, a, c});
  }
  return ties;
}

DyadWatch::DyadWatch(const Model& model, int a, int b, Observer& inner) : inner_(inner), ties_(dyad_ties(model, a, b)) {
  courses_.resize(ties_.size());
}

void DyadWatch::start(const Model& model, const State& state) {
  for (std::size_t k = 0; k < ties_.size(); ++k) {
    const int level = state.level[model.tie_index(ties_[k].from, ties_[k].to, ties_[k].channel)];
    courses_[k] = TieCourse{level, level, -1, -1};
  }
  inner_.start(model, state);
}

void DyadWatch::observe(const Model& model, const State& state, int step, const StepRecord& record) {
  for (std::size_t k = 0; k < ties_.size(); ++k) {
    TieCourse& course = courses_[k];
    const int level = state.level[model.tie_index(ties_[k].from, ties_[k].to, ties_[k].channel)];
    if (level > course.end && course.first_rise < 0) course.first_rise = step;
    if (level < course.end && course.first_fall < 0) course.first_fall = step;
    course.end = level;
  }
  inner_.observe(model, state, step, record);
}

std::string dyad_summary(const Model& model, int a, int b, const std::vector<std::vector<TieCourse>>& courses,
                         std::uint64_t seed) {
  const std::string& id_a = model.actors[static_cast<std::size_t>(a)].id;
  const std::string& id_b = model.actors[static_cast<std::size_t>(b)].id;
  const std::vector<DyadTie> ties = dyad_ties(model, a, b);
  const std::size_t replicates = courses.size();
  std::ostringstream out;
  out << "The " << id_a << "–" << id_b << " ties in " << replicates << " replicate" << (replicates == 1 ? "" : "s") << " (seed " << seed
      << "), " << model.calendar.start.iso() << " to " << model.calendar.end.iso() << ": the share of replicates in which\n"
      << "each tie moved, rose and fell, and the median date of its first rise and first fall where it did\n";

  // the table, as text cells first so that each column is as wide as its widest cell
  std::vector<std::vector<std::string>> rows = {{"tie", "start", "moved", "rose", "first rise", "fell", "first fall", "end"}};
  for (std::size_t k = 0; k < ties.size(); ++k) {
    const DyadTie& tie = ties[k];
    const Channel& channel = model.channels[static_cast<std::size_t>(tie.channel)];
    const bool mutual = channel.kind == ChannelKind::mutual;
    std::vector<int> start, end, rise, fall;
    std::size_t moved = 0;
    for (const auto& replicate : courses) {
      const TieCourse& course = replicate[k];
      start.push_back(course.start);
      end.push_back(course.end);
      rise.push_back(course.first_rise);
      fall.push_back(course.first_fall);
      if (course.first_rise >= 0 || course.first_fall >= 0) ++moved;
    }
    const auto [rose, rise_date] = first_steps(model, rise);
    const auto [fell, fall_date] = first_steps(model, fall);
    rows.push_back({model.actors[static_cast<std::size_t>(tie.from)].id + (mutual ? "–" : "→") +
                        model.actors[static_cast<std::size_t>(tie.to)].id + " " + channel.id,
                    common_level(channel, start), percent(moved, replicates), rose, rise_date, fell, fall_date,
                    common_level(channel, end)});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t column = 0; column < row.size(); ++column) width[column] = std::max(width[column], shown_width(row[column]));
  const std::vector<bool> right = {false, false, true, true, false, true, false, false};  // shares align right
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      if (column > 0) line += column == 4 || column == 6 ? "  " : "   ";
      line += right[column] ? pad_left(row[column], width[column]) : pad(row[column], width[column]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }

  // the dated events that concern only the pair (a resolution concerns everyone), once per date and label
  auto concerns_pair = [&](int actor) { return actor < 0 || actor == a || actor == b; };
  std::vector<const Event*> shocks;
  for (const Event& event : model.events)
    if (concerns_pair(event.actor) && concerns_pair(event.partner) && concerns_pair(event.against)) shocks.push_back(&event);
  std::stable_sort(shocks.begin(), shocks.end(), [](const Event* x, const Event* y) { return x->date < y->date; });
  shocks.erase(std::unique(shocks.begin(), shocks.end(),
                           [](const Event* x, const Event* y) { return x->date == y->date && x->label == y->label; }),
               shocks.end());
  if (shocks.empty()) return out.str();
  out << "\nthe scenario's dated events involving no actor other than " << id_a << " and " << id_b << ":\n";
  // a long list in two columns, read down the left then down the right, so that the whole fits one screen
  constexpr std::size_t label_width = 38;
  const std::size_t lines = shocks.size() > 12 ? (shocks.size() + 1) / 2 : shocks.size();
  std::size_t left_width = 0;
  std::vector<std::string> entries;
  for (const Event* event : shocks) entries.push_back(event->date.iso() + "  " + cut(event->label, label_width));
  for (std::size_t k = 0; k < lines; ++k) left_width = std::max(left_width, shown_width(entries[k]));
  for (std::size_t k = 0; k < lines; ++k) {
    out << (k + lines < entries.size() ? pad(entries[k], left_width) + "    " + entries[k + lines] : entries[k]) << "\n";
  }
  return out.str();
}

}  // namespace tiesim
