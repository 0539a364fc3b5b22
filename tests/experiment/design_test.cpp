#include <catch2/catch.hpp>

#include <set>

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>

#include "experiment/design.hpp"

using namespace tiesim;

namespace {
std::vector<ParameterRange> box(int dimensions) {
  std::vector<ParameterRange> parameters;
  for (int k = 0; k < dimensions; ++k) parameters.push_back({"p." + std::to_string(k), -1.0 - k, 2.0 + k, {}, 3});
  return parameters;
}
}  // namespace

TEST_CASE("a grid is the full product, the last parameter turning fastest", "[design]") {
  std::vector<ParameterRange> parameters = {{"a.x", 0, 1, {}, 3}, {"b.y", 0, 0, {10, 20}, 3}};
  DesignOptions options;
  const Design design = make_design(parameters, options);
  REQUIRE(design.points.size() == 6);
  CHECK(design.points[0] == std::vector<double>{0.0, 10.0});
  CHECK(design.points[1] == std::vector<double>{0.0, 20.0});
  CHECK(design.points[2] == std::vector<double>{0.5, 10.0});
  CHECK(design.points[5] == std::vector<double>{1.0, 20.0});
}

TEST_CASE("a Latin hypercube uses every stratum of every parameter exactly once", "[design]") {
  const auto parameters = box(3);
  DesignOptions options;
  options.kind = DesignKind::latin_hypercube;
  options.samples = 50;
  options.seed = 11;
  const Design design = make_design(parameters, options);
  REQUIRE(design.points.size() == 50);
  for (std::size_t d = 0; d < parameters.size(); ++d) {
    std::set<int> strata;
    for (const auto& point : design.points) {
      const double unit = (point[d] - parameters[d].low) / (parameters[d].high - parameters[d].low);
      REQUIRE(unit >= 0.0);
      REQUIRE(unit < 1.0);
      strata.insert(static_cast<int>(unit * 50));
    }
    CHECK(strata.size() == 50);
  }
  // another seed, another hypercube; the same seed, the same one
  options.seed = 12;
  CHECK(make_design(parameters, options).points != design.points);
  options.seed = 11;
  CHECK(make_design(parameters, options).points == design.points);
}

TEST_CASE("Sobol points are Boost's sequence", "[design]") {
  const auto points = sobol_points(4, 64);
  boost::random::sobol engine(4);
  boost::random::uniform_01<double> unit;
  for (const auto& point : points)
    for (double coordinate : point) REQUIRE(coordinate == unit(engine));
}

TEST_CASE("Saltelli's scheme: A, B, then A with one column of B", "[design]") {
  const auto parameters = box(3);
  DesignOptions options;
  options.kind = DesignKind::sobol;
  options.samples = 8;
  const Design design = make_design(parameters, options);
  REQUIRE(design.points.size() == 8 * (3 + 2));
  for (std::size_t j = 0; j < 8; ++j) {
    const auto& a = design.points[j * 5];
    const auto& b = design.points[j * 5 + 1];
    CHECK(design.roles[j * 5] == "A");
    CHECK(design.roles[j * 5 + 1] == "B");
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& mixed = design.points[j * 5 + 2 + i];
      CHECK(design.roles[j * 5 + 2 + i] == "AB" + std::to_string(i + 1));
      for (std::size_t k = 0; k < 3; ++k) CHECK(mixed[k] == (k == i ? b[k] : a[k]));
    }
  }
}

TEST_CASE("Morris trajectories move one parameter at a time by Δ", "[design]") {
  const auto parameters = box(4);
  DesignOptions options;
  options.kind = DesignKind::morris;
  options.samples = 10;
  options.morris_levels = 4;
  const Design design = make_design(parameters, options);
  REQUIRE(design.points.size() == 10 * 5);
  const double delta = 4.0 / (2.0 * 3.0);
  for (std::size_t t = 0; t < 10; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t k = 1; k < 5; ++k) {
      const auto& before = design.points[t * 5 + k - 1];
      const auto& after = design.points[t * 5 + k];
      int changes = 0;
      for (std::size_t d = 0; d < 4; ++d) {
        const double step = (after[d] - before[d]) / (parameters[d].high - parameters[d].low);
        if (step != 0) {
          ++changes;
          moved.insert(d);
          CHECK(std::abs(step) == Approx(delta));
        }
        REQUIRE(after[d] >= parameters[d].low - 1e-12);
        REQUIRE(after[d] <= parameters[d].high + 1e-12);
      }
      CHECK(changes == 1);
    }
    CHECK(moved.size() == 4);  // every parameter moves once per trajectory
  }
}

TEST_CASE("random points stay in their box and depend on the seed only", "[design]") {
  const auto parameters = box(2);
  DesignOptions options;
  options.kind = DesignKind::random;
  options.samples = 200;
  const Design design = make_design(parameters, options);
  for (const auto& point : design.points)
    for (std::size_t d = 0; d < 2; ++d) {
      REQUIRE(point[d] >= parameters[d].low);
      REQUIRE(point[d] <= parameters[d].high);
    }
  CHECK(make_design(parameters, options).points == design.points);
}
