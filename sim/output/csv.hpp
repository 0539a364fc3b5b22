#pragma once
/// A buffered CSV file writer (RFC 4180) whose number formatting is the same on every platform.
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

struct gzFile_s;  // zlib's

namespace tiesim {

/// Writing output failed (disk full, file removed, …): not bad input, a failure of the run.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvFile {
 public:
  /// Opens (truncating) `path`, gzip-compressed when `gzip` (readable as it is by pandas and readr). Throws
  /// OutputError when it cannot.
  explicit CsvFile(const std::filesystem::path& path, bool gzip = false);
  ~CsvFile();
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  CsvFile& field(std::string_view text);   // quoted when it holds a comma, quote or line break
  CsvFile& field(double value);
  CsvFile& field(long long value);
  CsvFile& field(int value) { return field(static_cast<long long>(value)); }
  CsvFile& field(unsigned long long value);
  CsvFile& empty();                        // a missing value: NaN in pandas, NA in R
  CsvFile& raw(std::string_view text);     // already formatted fields, comma-separated
  /// A whole row of already formatted fields, "head,tail", written where a row starts: for rows written by
  /// the million (ties.csv), where building them field by field cost more than the simulation.
  void row(std::string_view head, std::string_view tail);
  /// The text field(text) writes for `text`: itself, or quoted (for preformatting fields written often).
  static std::string escaped(std::string_view text);
  void end_row();
  /// Writes a whole header line from comma-separated names.
  void header(std::string_view names);
  /// Appends the bytes of another (uncompressed) file, for joining per-replicate parts.
  void append_file(const std::filesystem::path& part);
  /// Flushes and closes; throws OutputError if any write failed.
  void close();

 private:
  void separator();
  void flush();
  bool write_bytes(const char* data, std::size_t count);

  std::FILE* file_ = nullptr;
  gzFile_s* gz_ = nullptr;  // instead of file_ when compressed
  std::filesystem::path path_;
  std::string buffer_;
  bool row_started_ = false;
};

/// Splits one line of a CSV file this writer wrote (RFC 4180 quoting) back into its fields.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace tiesim
