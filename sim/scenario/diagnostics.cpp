#include "scenario/diagnostics.hpp"

#include <algorithm>

namespace tiesim {

std::string Diagnostic::format() const {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    text += ':';
    text += std::to_string(line);
    text += ':';
    text += std::to_string(column > 0 ? column : 1);
  }
  text.append(warning ? ": warning: " : ": error: ").append(message);
  if (!hint.empty()) text.append("\n  hint: ").append(hint);
  return text;
}

namespace {
std::string join_formatted(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics) {
    if (!text.empty()) text += '\n';
    text += diagnostic.format();
  }
  return text;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : diagnostics_(std::move(diagnostics)), text_(join_formatted(diagnostics_)) {}

InputError::InputError(Diagnostic diagnostic) : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

void Diagnostics::error(const toml::source_region& where, std::string message, std::string hint) {
  Diagnostic diagnostic;
  if (where.path) {
    diagnostic.file = *where.path;
    // a --set value's position is inside the synthetic line "value = …", which means nothing to the user
    if (diagnostic.file.rfind("--set ", 0) != 0) {
      diagnostic.line = static_cast<int>(where.begin.line);
      diagnostic.column = static_cast<int>(where.begin.column);
    }
  } else if (!default_file_.empty()) {
    diagnostic.file = default_file_;
    diagnostic.line = diagnostic.column = 1;
  }
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  error(std::move(diagnostic));
}

void Diagnostics::warning(const toml::source_region& where, std::string message, std::string hint) {
  // placed as an error would be, then moved to its own list
  const std::size_t before = list_.size(), dropped = dropped_;
  error(where, std::move(message), std::move(hint));
  if (list_.size() > before) {
    warnings_.push_back(std::move(list_.back()));
    warnings_.back().warning = true;
    list_.pop_back();
  }
  dropped_ = dropped;
}

void Diagnostics::error(Diagnostic diagnostic) {
  if (list_.size() < max_kept) list_.push_back(std::move(diagnostic));
  else ++dropped_;
}

void Diagnostics::throw_if_any() const {
  if (list_.empty()) return;
  if (dropped_ == 0) throw InputError(list_);
  auto kept = list_;
  Diagnostic more;
  more.file = kept.back().file;
  more.message = "… and " + std::to_string(dropped_) + " more errors";
  kept.push_back(more);
  throw InputError(kept);
}

int edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 200) return {};
  std::string best;
  int best_distance = 1 << 30;
  // among equally near candidates, one that starts alike and then one of the same length reads as the near
  // miss: 'SER' is 'SRB' mistyped more likely than 'EU'
  auto unlikeness = [&](const std::string& candidate) {
    const bool starts_alike = !word.empty() && !candidate.empty() && word.front() == candidate.front();
    const std::size_t length_gap = word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    return std::pair<int, std::size_t>(starts_alike ? 0 : 1, length_gap);
  };
  for (const auto& candidate : candidates) {
    const int distance = edit_distance(word, candidate);
    if (distance < best_distance || (distance == best_distance && unlikeness(candidate) < unlikeness(best))) {
      best_distance = distance;
      best = candidate;
    }
  }
  const int allowed = std::max<int>(2, static_cast<int>(word.size()) / 3);
  return best_distance <= allowed ? best : std::string{};
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = closest_match(word, candidates);
  if (!best.empty()) return "did you mean '" + best + "'?";
  if (candidates.empty()) return {};
  std::string list = "expected one of: ";
  const std::size_t shown = std::min<std::size_t>(candidates.size(), 12);
  for (std::size_t k = 0; k < shown; ++k) list += (k ? ", " : "") + candidates[k];
  if (candidates.size() > shown) list += ", …";
  return list;
}

}  // namespace tiesim
