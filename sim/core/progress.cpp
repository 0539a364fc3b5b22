#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace tiesim {

std::string progress_text(std::string_view unit, std::size_t done, std::size_t total, std::size_t done_here,
                          double seconds, std::string_view extra) {
  const double rate = seconds > 0 ? static_cast<double>(done_here) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate : 0.0;
  char text[256];
  std::snprintf(text, sizeof text, "%.*s %zu/%zu (%.0f%%)  %.1f %.*s/s  ETA %.0f s", static_cast<int>(unit.size()), unit.data(),
                done, total, total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, rate,
                static_cast<int>(unit.size()), unit.data(), eta);
  std::string line = text;
  if (!extra.empty()) line.append("  ").append(extra);
  return line;
}

ProgressLine::ProgressLine(std::string unit, std::size_t total, std::size_t already_done, bool wanted)
    : unit_(std::move(unit)),
      total_(total),
      already_done_(already_done),
      done_(already_done),
      shown_(wanted && ::isatty(2) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() {
  if (drawn_ && !finished_) std::fputc('\n', stderr);
}

void ProgressLine::draw(std::string_view extra) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // trailing blanks wipe what a longer earlier line left
  std::fprintf(stderr, "\r%s   ", progress_text(unit_, done_, total_, done_ - already_done_, seconds, extra).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::redraw_if_due(std::string_view extra) {
  if (!extra.empty()) extra_ = extra;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(500)) return;
  last_draw_ = now;
  draw(extra_);
}

void ProgressLine::update(std::size_t done, std::string_view extra) {
  if (!shown_) return;
  std::lock_guard lock(mutex_);
  done_ = done;
  redraw_if_due(extra);
}

void ProgressLine::advance(std::string_view extra) {
  if (!shown_) return;
  std::lock_guard lock(mutex_);
  ++done_;
  redraw_if_due(extra);
}

void ProgressLine::finish() {
  if (!shown_ || finished_) return;
  std::lock_guard lock(mutex_);
  draw(extra_);
  std::fputc('\n', stderr);
  finished_ = true;
}

}  // namespace tiesim
