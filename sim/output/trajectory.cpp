#include "output/trajectory.hpp"

#include <cstring>

#include "core/text.hpp"

namespace tiesim {

std::string_view file_name(TrajectoryFile file) {
  switch (file) {
    case TrajectoryFile::ties: return "ties.csv";
    case TrajectoryFile::dyads: return "dyads.csv";
    case TrajectoryFile::actors: return "actors.csv";
    case TrajectoryFile::events: return "events.csv";
    case TrajectoryFile::changes: return "changes.csv";
  }
  return "";
}

std::string output_name(TrajectoryFile file, bool gzip) { return std::string(file_name(file)) + (gzip ? ".gz" : ""); }

std::string_view file_header(TrajectoryFile file) {
  switch (file) {
    case TrajectoryFile::ties: return ties_header;
    case TrajectoryFile::dyads: return dyads_header;
    case TrajectoryFile::actors: return actors_header;
    case TrajectoryFile::events: return events_header;
    case TrajectoryFile::changes: return changes_header;
  }
  return "";
}

TrajectoryWriter::TrajectoryWriter(const Model& model, const RecordOptions& options, TrajectorySinks& sinks, int run,
                                   int replicate, std::uint64_t seed)
    : options_(options),
      sinks_(sinks),
      step_count_(model.calendar.step_count()),
      run_replicate_(std::to_string(run) + "," + std::to_string(replicate)),
      seed_(std::to_string(seed)) {
  const auto n = static_cast<std::size_t>(model.actor_count());
  for (const auto& actor : model.actors) actor_fields_.push_back(CsvFile::escaped(actor.id));
  // the same bytes as field(channel.id).field(level).field(level_name).field(value) or .empty()
  for (const auto& channel : model.channels) {
    auto& tails = tie_tails_.emplace_back();
    for (int level = 0; level <= channel.top_level(); ++level) {
      std::string tail = CsvFile::escaped(channel.id) + "," + std::to_string(level) + "," +
                         CsvFile::escaped(channel.level_names[static_cast<std::size_t>(level)]) + ",";
      if (!channel.level_values.empty()) tail += format_number(channel.level_values[static_cast<std::size_t>(level)]);
      tails.push_back(std::move(tail));
    }
  }
  for (const auto& channel : model.channels) {
    auto& terms = index_terms_.emplace_back();
    for (int level = 0; level <= channel.top_level(); ++level)
      terms.push_back(channel.index_weight * static_cast<std::uint8_t>(level) / channel.top_level());
    index_total_ += channel.index_weight;
  }
  number_cache_.resize(256);
  selected_.assign(n, options.actors.empty() ? 1 : 0);
  for (int actor : options.actors) selected_[static_cast<std::size_t>(actor)] = 1;
  if (options.channels.empty())
    for (int c = 0; c < model.channel_count(); ++c) channels_.push_back(c);
  else
    channels_ = options.channels;
}

void TrajectoryWriter::start(const Model& model, const State& state) {
  CsvFile* changes = sink(TrajectoryFile::changes);
  if (!changes) return;
  previous_level_ = state.level;
  // every recorded tie's level before step 0, in ties.csv's row order, so the panel can be rebuilt from here
  const std::string prefix = run_replicate_ + "," + seed_ + ",-1," + model.calendar.date_of(-1).iso();
  const int n = model.actor_count();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j || !(selected_[static_cast<std::size_t>(i)] || selected_[static_cast<std::size_t>(j)])) continue;
      for (int c : channels_) write_change(model, prefix, i, j, c, -1, state.level[model.tie_index(i, j, c)]);
    }
}

void TrajectoryWriter::write_change(const Model& model, std::string_view prefix, int i, int j, int c, int old_level,
                                    int level) {
  const auto& channel = model.channels[static_cast<std::size_t>(c)];
  CsvFile& changes = *sink(TrajectoryFile::changes);
  changes.raw(prefix).raw(actor_fields_[static_cast<std::size_t>(i)]).raw(actor_fields_[static_cast<std::size_t>(j)]);
  changes.field(channel.id);
  if (old_level >= 0) changes.field(old_level);
  else changes.empty();
  changes.field(level);
  if (old_level >= 0) changes.field(channel.level_names[static_cast<std::size_t>(old_level)]);
  else changes.empty();
  changes.field(channel.level_names[static_cast<std::size_t>(level)]);
  if (!channel.level_values.empty()) changes.field(channel.level_values[static_cast<std::size_t>(level)]);
  else changes.empty();
  changes.end_row();
}

bool TrajectoryWriter::wants_terms(int step) const {
  return options_.wants(TrajectoryFile::actors) && options_.records_step(step, step_count_);
}

std::string_view TrajectoryWriter::cached_text(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  CachedNumber& entry = number_cache_[static_cast<std::size_t>((bits * 0x9e3779b97f4a7c15ULL) >> 56)];
  if (entry.bits != bits) {
    entry.bits = bits;
    entry.text = format_number(value);
  }
  return entry.text;
}

void TrajectoryWriter::observe(const Model& model, const State& state, int step, const StepRecord& record) {
  const int n = model.actor_count();

  // events are sparse: every one is written, whatever the recording interval
  if (CsvFile* events = sink(TrajectoryFile::events)) {
    auto id = [&](int actor) { return actor >= 0 ? std::string_view(model.actors[static_cast<std::size_t>(actor)].id) : std::string_view(); };
    for (const auto& event : record.events) {
      events->raw(run_replicate_).field(event.date.iso()).field(id(event.actor)).field(id(event.partner));
      if (event.channel >= 0) events->field(model.channels[static_cast<std::size_t>(event.channel)].id);
      else events->empty();
      if (event.from_level >= 0) events->field(event.from_level).field(event.to_level);
      else events->empty().empty();
      events->field(event.cameo).field(event.goldstein).field(event.exogenous ? "exogenous" : event.by_host ? "host" : "endogenous");
      events->field(event.event).field(event.label);
      events->end_row();
    }
  }
  // changes are sparse too: every step's are written; most steps change nothing, which one comparison shows
  if (sink(TrajectoryFile::changes) && state.level != previous_level_) {
    const std::string prefix = run_replicate_ + "," + seed_ + "," + std::to_string(step) + "," + model.calendar.date_of(step).iso();
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j || !(selected_[static_cast<std::size_t>(i)] || selected_[static_cast<std::size_t>(j)])) continue;
        const std::size_t first = model.tie_index(i, j, 0);
        if (std::memcmp(&state.level[first], &previous_level_[first], static_cast<std::size_t>(model.channel_count())) == 0) continue;
        for (int c : channels_) {
          const std::size_t tie = first + static_cast<std::size_t>(c);
          if (state.level[tie] != previous_level_[tie]) write_change(model, prefix, i, j, c, previous_level_[tie], state.level[tie]);
        }
      }
    previous_level_ = state.level;
  }
  if (!options_.records_step(step, step_count_)) return;

  const std::string date = model.calendar.date_of(step).iso();
  const std::string prefix = run_replicate_ + "," + std::to_string(step) + "," + date;
  auto involved = [&](int i, int j) { return selected_[static_cast<std::size_t>(i)] || selected_[static_cast<std::size_t>(j)]; };
  if (CsvFile* ties = sink(TrajectoryFile::ties)) {
    const std::string tie_prefix = run_replicate_ + "," + seed_ + "," + std::to_string(step) + "," + date;
    std::string pair;  // "prefix,from,to", then one preformatted tail per channel
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j || !involved(i, j)) continue;
        pair.assign(tie_prefix).append(",").append(actor_fields_[static_cast<std::size_t>(i)]).append(",").append(actor_fields_[static_cast<std::size_t>(j)]);
        const std::uint8_t* levels = &state.level[model.tie_index(i, j, 0)];
        for (int c : channels_) ties->row(pair, tie_tails_[static_cast<std::size_t>(c)][levels[c]]);
      }
  }
  if (CsvFile* dyads = sink(TrajectoryFile::dyads)) {
    const auto channel_count = static_cast<std::size_t>(model.channel_count());
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j || !involved(i, j)) continue;
        dyads->raw(prefix).raw(actor_fields_[static_cast<std::size_t>(i)]).raw(actor_fields_[static_cast<std::size_t>(j)]);
        // tie_index(model, state, i, j), its terms from the table, added in the same order
        const std::uint8_t* levels = &state.level[model.tie_index(i, j, 0)];
        double weighted = 0;
        for (std::size_t c = 0; c < channel_count; ++c) weighted += index_terms_[c][levels[c]];
        const double index = index_total_ > 0 ? weighted / index_total_ : 0.0;
        dyads->field(state.affect(i, j)).raw(cached_text(index));
        dyads->end_row();
      }
  }
  if (CsvFile* actors = sink(TrajectoryFile::actors)) {
    for (int i = 0; i < n; ++i) {
      if (!selected_[static_cast<std::size_t>(i)]) continue;
      const auto& terms = record.actor_terms[static_cast<std::size_t>(i)];
      actors->raw(prefix).raw(actor_fields_[static_cast<std::size_t>(i)]).field(state.pressure(i));
      actors->field(terms.benefit).field(terms.affinity).field(terms.autonomy);
      actors->field(terms.violation).field(terms.scrutiny).field(terms.alignment).field(terms.reciprocity);
      actors->end_row();
    }
  }
}

}  // namespace tiesim
