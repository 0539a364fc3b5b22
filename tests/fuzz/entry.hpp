#pragma once
/// The entry points the fuzzers and the regression replay share: bytes in, never a crash out. Bad input ends
/// as an InputError, which is caught; anything else (another exception, a broken invariant, a sanitizer
/// report) escapes and is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace tiesim::fuzz {

/// Where the inputs pretend to live, inside the source tree, so that a relative `extends = "minimal.toml"`
/// (scenario) or `scenario = "../minimal.toml"` (experiment) resolves as it does for the shipped files.
std::filesystem::path scenario_input_path();
std::filesystem::path experiment_input_path();

/// A scenario file's bytes. Leading lines "#--set PATH=VALUE" (TOML comments) are also applied as --set
/// overrides. A scenario that loads and is small enough is run for a few steps, checking every invariant.
void scenario_input(const std::uint8_t* data, std::size_t size);

/// An experiment file's bytes, checked as `tiesim sweep` checks them (its scenario is read from disk).
void experiment_input(const std::uint8_t* data, std::size_t size);

/// A runs.csv's bytes, read back as `tiesim sensitivity` reads them (and so as `tiesim merge` checks rows).
void runs_input(const std::uint8_t* data, std::size_t size);

/// --set overrides, one PATH=VALUE a line, applied to scenarios/minimal.toml as `tiesim run --set` applies
/// them; a scenario that loads is run, checking every invariant.
void overrides_input(const std::uint8_t* data, std::size_t size);

/// The kinds of input, as the fuzz targets and tests/data/fuzz-regressions/ name them.
inline constexpr const char* input_kinds[] = {"scenario", "experiment", "runs", "overrides"};

/// Feeds `kind`'s entry point.
void input(const std::string& kind, const std::uint8_t* data, std::size_t size);

}  // namespace tiesim::fuzz
