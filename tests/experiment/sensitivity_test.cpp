#include <catch2/catch.hpp>

#include <cmath>

#include "experiment/design.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/sweep.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"

using namespace tiesim;

namespace {

// Ishigami & Homma (1990): f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³
double ishigami(const std::vector<double>& x) {
  const double a = 7, b = 0.1;
  return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) + b * std::pow(x[2], 4) * std::sin(x[0]);
}

const SensitivityIndex& find(const std::vector<SensitivityIndex>& indices, const std::string& parameter, const std::string& index) {
  for (const auto& entry : indices)
    if (entry.parameter == parameter && entry.index == index) return entry;
  FAIL("no index " << index << " for " << parameter);
  return indices.front();
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match the analytic values", "[sensitivity]") {
  const double pi = std::acos(-1.0);
  std::vector<ParameterRange> parameters = {{"x.1", -pi, pi, {}, 3}, {"x.2", -pi, pi, {}, 3}, {"x.3", -pi, pi, {}, 3}};
  DesignOptions options;
  options.kind = DesignKind::sobol;
  options.samples = 8192;
  const Design design = make_design(parameters, options);
  std::vector<std::vector<double>> outputs;
  for (std::size_t j = 0; j < design.points.size(); j += 5) {
    std::vector<double> block;
    for (std::size_t k = 0; k < 5; ++k) block.push_back(ishigami(design.points[j + k]));
    outputs.push_back(block);
  }
  const auto indices = sobol_indices(outputs, {"x.1", "x.2", "x.3"}, 200, 7);
  // analytic values (a = 7, b = 0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
  const double s1[] = {0.3139, 0.4424, 0.0}, st[] = {0.5576, 0.4424, 0.2437};
  for (int i = 0; i < 3; ++i) {
    const std::string name = "x." + std::to_string(i + 1);
    const auto& first = find(indices, name, "S1");
    const auto& total = find(indices, name, "ST");
    INFO(name << " S1 " << first.value << " [" << first.low << ", " << first.high << "], ST " << total.value << " ["
              << total.low << ", " << total.high << "]");
    CHECK(first.value == Approx(s1[i]).margin(0.03));
    CHECK(total.value == Approx(st[i]).margin(0.03));
    // the known value lies within the bootstrap interval (a little slack for a 95% interval)
    CHECK(first.low - 0.01 <= s1[i]);
    CHECK(s1[i] <= first.high + 0.01);
    CHECK(total.low - 0.01 <= st[i]);
    CHECK(st[i] <= total.high + 0.01);
    CHECK(first.low < first.high);
  }
}

TEST_CASE("Morris μ* of a linear function is each coefficient times its range", "[sensitivity]") {
  std::vector<ParameterRange> parameters = {{"x.1", 0, 1, {}, 3}, {"x.2", 0, 10, {}, 3}, {"x.3", -1, 1, {}, 3}};
  DesignOptions options;
  options.kind = DesignKind::morris;
  options.samples = 20;
  const Design design = make_design(parameters, options);
  std::vector<MorrisTrajectory> trajectories;
  for (std::size_t t = 0; t < 20; ++t) {
    MorrisTrajectory trajectory;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto& x = design.points[t * 4 + k];
      std::vector<double> unit(3);
      for (std::size_t d = 0; d < 3; ++d) unit[d] = (x[d] - parameters[d].low) / (parameters[d].high - parameters[d].low);
      trajectory.unit_points.push_back(unit);
      trajectory.outputs.push_back(3 * x[0] - 0.5 * x[1] + 0 * x[2]);
    }
    trajectories.push_back(trajectory);
  }
  const auto indices = morris_indices(trajectories, {"x.1", "x.2", "x.3"});
  CHECK(find(indices, "x.1", "mu_star").value == Approx(3.0));
  CHECK(find(indices, "x.2", "mu_star").value == Approx(5.0));
  CHECK(find(indices, "x.3", "mu_star").value == Approx(0.0).margin(1e-12));
  CHECK(find(indices, "x.1", "sigma").value == Approx(0.0).margin(1e-9));  // linear: every effect equal
}

TEST_CASE("a runs.csv that was edited or cut short is refused with its line", "[sensitivity][bad-input]") {
  test::TempDir dir;
  const Experiment experiment = load_experiment(dir.write(
      "e.toml", "[experiment]\nscenario = \"" + test::source_path("scenarios/minimal.toml").generic_string() +
                    "\"\nreplicates = 2\n[design]\nkind = \"sobol\"\nsamples = 4\n"
                    "[[parameters]]\npath = \"actors.MID.compliance\"\nlow = 0\nhigh = 2\n"
                    "[[parameters]]\npath = \"actors.MID.pressure_sensitivity\"\nlow = 0\nhigh = 4\n"
                    "[[metrics]]\nname = \"p\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2006-01-01\n"));
  SweepOptions options;
  options.quiet = true;
  options.threads = 1;
  run_sweep(experiment, options, dir / "out");
  const auto runs = dir / "out" / "runs.csv";
  const std::string text = test::read_text(runs);
  REQUIRE(analyse_runs(runs, 100, 1).size() == 2 * 2);  // S1 and ST of two parameters: the untouched file is fine

  auto error_of = [&](const std::string& edited) {
    dir.write("out/runs.csv", edited);
    try {
      analyse_runs(runs, 100, 1);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  auto line_start = [&](int line) {  // offset of 1-based line `line`
    std::size_t at = 0;
    for (int k = 1; k < line; ++k) at = text.find('\n', at) + 1;
    return at;
  };
  const std::string without_row_4 = text.substr(0, line_start(4)) + text.substr(line_start(5));
  CHECK_THAT(error_of(without_row_4), Catch::Contains("runs.csv:4:1: error: expected run 2, got '3'"));
  CHECK_THAT(error_of(text.substr(0, text.size() - 3)), Catch::Contains("the last line has no line end"));
  std::string nan_metric = text;
  nan_metric.replace(nan_metric.find(",ok\n") - 1, 0, "x");
  CHECK_THAT(error_of(nan_metric), Catch::Contains("runs.csv:2:1: error: p: expected a number, a date or nothing"));
  std::string swapped_roles = text;
  for (std::size_t at = 0; (at = swapped_roles.find(",AB1,", at)) != std::string::npos;) swapped_roles.replace(at, 5, ",AB2,");
  CHECK_THAT(error_of(swapped_roles), Catch::Contains("has role 'AB2', expected 'AB1'"));
}

TEST_CASE("a metric that gets no indices is named, with the reason, never dropped in silence", "[sensitivity]") {
  // two Sobol blocks of one parameter: A, B, AB1; 'p' has values everywhere, 'never' at no point,
  // 'sometimes' at all but one
  std::string text = "run,point,replicate,seed,role,actors.A.size,p,never,sometimes,status\n";
  const char* roles[] = {"A", "B", "AB1"};
  for (int k = 0; k < 6; ++k) {
    const std::string value = std::to_string(k + 1);
    text += std::to_string(k) + "," + std::to_string(k) + ",0,1," + roles[k % 3] + "," + value + "," + value + ",," + (k == 4 ? "" : value) + ",ok\n";
  }
  std::vector<std::string> notes;
  const auto indices = analyse_runs_text(text, "runs.csv", 0, 1, &notes);
  CHECK(std::all_of(indices.begin(), indices.end(), [](const SensitivityIndex& index) { return index.metric == "p"; }));
  REQUIRE(notes.size() == 2);
  CHECK_THAT(notes[0], Catch::StartsWith("metric 'never' got no indices: it has no value at 6 of 6 points"));
  CHECK_THAT(notes[1], Catch::StartsWith("metric 'sometimes' got no indices: it has no value at 1 of 6 points"));
}
