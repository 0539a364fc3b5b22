#pragma once
/// Synthetic worlds: scenario files of any size with the structure of a real case (regional blocs, two
/// rival alliances, a sanctions target with its regime, caps and dated resolutions, random provocations),
/// for benchmarks, scaling studies and tests. The output is an ordinary scenario file; nothing in the
/// engine knows it was generated.
#include <cstdint>
#include <string>
#include <vector>

namespace tiesim {

struct WorldOptions {
  int actors = 50;         // N, ids A001 … (no real-world names)
  int channels = 6;        // C, taken in order from a fixed catalogue of generic channels
  int years = 20;          // monthly steps from 2000-01-01, 12 per year
  std::uint64_t seed = 1;  // the same options give the same file, byte for byte
};

/// Bounds of the options. The loader refuses more than 2000 actors and 50 million ties (N² × C).
inline constexpr int world_min_actors = 4, world_max_actors = 2000;
inline constexpr int world_min_channels = 1, world_max_channels = 64;
inline constexpr int world_min_years = 1, world_max_years = 1000;

/// What is wrong with the options, one sentence each; empty when they can be generated.
std::vector<std::string> world_option_problems(const WorldOptions& options);

/// The scenario as TOML text. Precondition: world_option_problems(options) is empty.
std::string generate_world(const WorldOptions& options);

}  // namespace tiesim
