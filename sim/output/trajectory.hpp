#pragma once
/// The trajectory files of `tiesim run` (tidy CSV, one row per observation; see docs/output.md).
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "run/simulate.hpp"
#include "output/csv.hpp"

namespace tiesim {

inline constexpr std::string_view ties_header = "run,replicate,seed,step,date,from,to,channel,level,level_name,value";
inline constexpr std::string_view dyads_header = "run,replicate,step,date,from,to,affect,tie_index";
inline constexpr std::string_view actors_header =
    "run,replicate,step,date,actor,pressure,benefit,affinity,autonomy,violation,scrutiny,alignment,reciprocity";
inline constexpr std::string_view events_header =
    "run,replicate,date,actor,partner,channel,from,to,cameo,goldstein,cause,event,label";
/// One row per change of a tie's level, after rows with step -1 that give every tie's level before step 0.
inline constexpr std::string_view changes_header =
    "run,replicate,seed,step,date,from,to,channel,old_level,new_level,old_level_name,new_level_name,value";

/// The trajectory files, in the order they are listed everywhere.
enum class TrajectoryFile { ties, dyads, actors, events, changes };
inline constexpr std::array<TrajectoryFile, 5> trajectory_files = {TrajectoryFile::ties, TrajectoryFile::dyads,
                                                                   TrajectoryFile::actors, TrajectoryFile::events,
                                                                   TrajectoryFile::changes};
std::string_view file_name(TrajectoryFile file);   // "ties.csv"
std::string_view file_header(TrajectoryFile file);
/// The name a file is written under: file_name, with ".gz" when compressed.
std::string output_name(TrajectoryFile file, bool gzip);

/// What to record: which files, how often, and which rows.
struct RecordOptions {
  int every = 1;                          // record steps 0, k, 2k, … and the last step (changes.csv and
                                          // events.csv hold every step's changes whatever k)
  // by TrajectoryFile: changes and events; ties, dyads and actors are panels, written when asked for
  std::array<bool, trajectory_files.size()> files{false, false, false, true, true};
  bool gzip = false;                      // write every file gzip-compressed, named *.csv.gz
  // Row selection (`run --actors`, `--channels`); empty means all. Sorted, distinct indices.
  std::vector<int> actors;    // ties.csv and dyads.csv: rows whose `from` or `to` is one of these;
                              // actors.csv: these actors' rows. events.csv is never filtered.
  std::vector<int> channels;  // ties.csv: rows of these channels (dyads' tie index keeps every channel)

  bool wants(TrajectoryFile file) const { return files[static_cast<std::size_t>(file)]; }
  bool records_step(int step, int step_count) const { return step % every == 0 || step == step_count - 1; }
};

/// Open CSV files, one per recorded TrajectoryFile (null for the others).
using TrajectorySinks = std::array<std::unique_ptr<CsvFile>, trajectory_files.size()>;

/// Writes one replicate's rows as it runs.
class TrajectoryWriter : public Observer {
 public:
  TrajectoryWriter(const Model& model, const RecordOptions& options, TrajectorySinks& sinks, int run, int replicate,
                   std::uint64_t seed);
  /// Writes the starting levels to changes.csv (step -1); the other files hold the state after each step.
  void start(const Model& model, const State& state) override;
  bool wants_terms(int step) const override;
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override;

 private:
  CsvFile* sink(TrajectoryFile file) { return sinks_[static_cast<std::size_t>(file)].get(); }
  /// Writes a changes.csv row for tie (i, j, c) now at `level`; old_level < 0 for a starting level.
  void write_change(const Model& model, std::string_view prefix, int i, int j, int c, int old_level, int level);

  const RecordOptions& options_;
  TrajectorySinks& sinks_;
  int step_count_;
  std::string run_replicate_;  // "run,replicate" preformatted
  std::string seed_;
  // Preformatted once per replicate, because a full trajectory writes one ties.csv row per tie per step
  // and formatting, not the model, would dominate the run: each actor's id as a CSV field, and each
  // channel's "channel,level,level_name,value" tail per level.
  std::vector<std::string> actor_fields_;
  std::vector<std::vector<std::string>> tie_tails_;  // [channel][level]
  std::vector<char> selected_;                       // per actor: 1 when its rows are recorded
  std::vector<int> channels_;                        // channels written to ties.csv, in order
  std::vector<std::uint8_t> previous_level_;         // changes.csv: the levels last written (state.level's layout)
  // dyads.csv's tie index, as tie_index() computes it: each channel's (weight · level) / L from a table,
  // and the text of values already written (a dyad's tie index takes few distinct values, and formatting
  // a double costs ten times a look-up)
  std::vector<std::vector<double>> index_terms_;  // [channel][level]
  double index_total_ = 0;                        // Σ_c weight_c, summed in channel order
  struct CachedNumber {
    std::uint64_t bits = ~std::uint64_t{0};  // the value's bit pattern (this one is a NaN never cached)
    std::string text;
  };
  std::vector<CachedNumber> number_cache_;  // direct-mapped by a hash of the bits
  std::string_view cached_text(double value);
};

}  // namespace tiesim
