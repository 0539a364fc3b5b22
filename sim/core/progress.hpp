#pragma once
/// The progress line of a long command (sweep, validate, calibrate, a run of several replicates): one line on
/// stderr, redrawn in place at most twice a second, and only when stderr is a terminal, so that nothing of it
/// reaches a pipe, a file or a log.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace tiesim {

/// The text of a progress line (without the leading carriage return): "runs 3/10 (30%)  1.5 runs/s  ETA 5 s",
/// then `extra` when given. `done_here` of `done` were finished in `seconds` by this process (the rest were
/// done before it started, as when a sweep resumes), and they give the rate and the time left.
std::string progress_text(std::string_view unit, std::size_t done, std::size_t total, std::size_t done_here,
                          double seconds, std::string_view extra = {});

class ProgressLine {
 public:
  /// A line counting `unit` ("runs", "replicates", "evaluations") up to `total`, of which `already_done` are
  /// done before it starts. Shown only when `wanted` and stderr is a terminal.
  ProgressLine(std::string unit, std::size_t total, std::size_t already_done = 0, bool wanted = true);
  /// Ends the line (as finish()) if it was drawn.
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Whether anything is drawn at all.
  bool shown() const { return shown_; }
  /// `done` of the total are finished; redraws when the last drawing is half a second old. Thread-safe.
  void update(std::size_t done, std::string_view extra = {});
  /// One more is finished. Thread-safe.
  void advance(std::string_view extra = {});
  /// Draws the final count and ends the line.
  void finish();

 private:
  void draw(std::string_view extra);
  void redraw_if_due(std::string_view extra);  // with mutex_ held

  std::string unit_;
  std::size_t total_, already_done_, done_;
  bool shown_, finished_ = false, drawn_ = false;
  std::string extra_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mutex_;
};

}  // namespace tiesim
