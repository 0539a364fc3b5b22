#include "scenario/loader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "core/cameo.hpp"
#include "core/text.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/reader.hpp"

namespace tiesim {

namespace {

// sizes beyond these are refused as input errors instead of exhausting memory
constexpr int max_actors = 2000;
constexpr long long max_ties = 50'000'000;  // N x N x C
constexpr int max_steps = 100'000;
constexpr int max_levels = 256;             // levels are stored in one byte

constexpr double infinity = std::numeric_limits<double>::infinity();

bool valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '_' || ch == '-';
  });
}

class ModelBuilder {
 public:
  explicit ModelBuilder(const ScenarioDocument& document)
      : document_(document), diagnostics_(document.files.empty() ? std::string() : document.files.back().path) {}

  Model build(const std::string& default_name) {
    TableReader root(document_.root, "", diagnostics_);
    read_scenario(root, default_name);
    read_parameters(root);
    read_actors(root);
    read_rules(root);
    read_channels(root);
    diagnostics_.throw_if_any();  // everything below refers to actors and channels
    allocate();
    read_ties(root);
    read_affect(root);
    read_regimes(root);
    apply_affect();  // the affect rule needs the alliances; [[affect]] entries then override it
    read_events(root);
    read_random_events(root);
    read_plot(root);
    root.node("targets");  // read by read_targets once the model is complete
    root.finish();
    diagnostics_.throw_if_any();
    model_.finalize();
    return std::move(model_);
  }

 private:
  /// The weights a role may change, by their key.
  static constexpr std::pair<const char*, double Weights::*> weight_keys[] = {
      {"benefit", &Weights::benefit},       {"affinity", &Weights::affinity},
      {"autonomy", &Weights::autonomy},     {"compliance", &Weights::compliance},
      {"pressure_sensitivity", &Weights::pressure_sensitivity}, {"alignment", &Weights::alignment},
      {"reciprocation", &Weights::reciprocation}};

  /// What a [rules.W] may set: the weights and pressure_strength, by key. Anchoring, precision and size are not
  /// ruled: they are how an actor weighs and decides, not what it weighs.
  static constexpr const char* ruled_keys[] = {"benefit",   "affinity",      "autonomy",         "compliance",
                                               "pressure_sensitivity", "alignment", "reciprocation", "pressure_strength"};
  static_assert(std::size(ruled_keys) == std::size(weight_keys) + 1);

  static double& ruled_value(Actor& actor, std::size_t k) {
    if (k < std::size(weight_keys)) return actor.weights.*(weight_keys[k].second);
    return actor.pressure_strength;
  }

  /// What an actor's table says beyond its Actor: its covariates and which ruled values it gives itself.
  struct ActorInput {
    const toml::table* table = nullptr;
    const toml::table* covariates_table = nullptr;
    std::map<std::string, double> covariates;
    std::set<std::string> refused;  // covariates given with a bad value
    bool own[std::size(ruled_keys)] = {};
  };
  struct AffectRule {
    std::string covariate;
    double neutral_distance, slope, alliance;
  };
  struct ListedAffect {
    int from, to;
    double value;
  };

  // ---- helpers -------------------------------------------------------------------------------------

  /// The entries of a table of tables (`[actors.X]`), in the order they were written (base file first).
  std::vector<std::pair<std::string, const toml::table*>> entries(TableReader& parent, std::string_view key) {
    std::vector<std::pair<std::string, const toml::table*>> list;
    const toml::table* table = parent.table(key);
    if (!table) return list;
    std::vector<std::tuple<int, std::size_t, std::size_t, std::string, const toml::node*>> ordered;
    for (const auto& [name, value] : *table) {
      const auto& where = value.source();
      ordered.emplace_back(document_.rank_of(where), where.begin.line, where.begin.column, std::string(name.str()), &value);
    }
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
             std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
    });
    for (const auto& [rank, line, column, name, value] : ordered) {
      const std::string path = std::string(key) + "." + shortened(name);
      if (!value->is_table()) {
        diagnostics_.error(place_of(value, *table), path + ": expected a table such as [" + path + "], got " + type_name(*value));
        continue;
      }
      if (!valid_id(name)) {
        diagnostics_.error(place_of(value, *table), path + ": an id must be 1 to 64 letters, digits, '_' or '-'",
                           "ids appear in CSV files and in --set paths");
        continue;
      }
      list.emplace_back(name, value->as_table());
    }
    return list;
  }

  /// The elements of an array of tables (`[[ties]]`).
  std::vector<const toml::table*> array_entries(TableReader& parent, std::string_view key) {
    std::vector<const toml::table*> list;
    const toml::node* node = parent.node(key);
    if (!node) return list;
    const toml::array* array = node->as_array();
    if (!array) {
      diagnostics_.error(node->source(), std::string(key) + ": expected an array of tables such as [[" + std::string(key) +
                                             "]], got " + type_name(*node));
      return list;
    }
    for (const auto& element : *array) {
      if (auto table = element.as_table()) list.push_back(table);
      else diagnostics_.error(place_of(&element, *node), std::string(key) + ": expected tables in [[" + std::string(key) + "]], got " + type_name(element));
    }
    return list;
  }

  int find(const std::vector<std::string>& ids, const std::string& id) const {
    auto it = std::find(ids.begin(), ids.end(), id);
    return it == ids.end() ? -1 : static_cast<int>(it - ids.begin());
  }

  std::optional<int> actor(TableReader& reader, std::string_view key, bool required) {
    return lookup_id(reader, key, actor_ids_, "actor", required);
  }

  std::optional<std::vector<int>> id_list(TableReader& reader, std::string_view key, const std::vector<std::string>& ids,
                                          std::string_view what, bool required) {
    return lookup_ids(reader, key, ids, what, required);
  }

  /// A level of `channel`: a number within the ladder or a level name.
  std::optional<int> level(TableReader& reader, std::string_view key, const Channel& channel) {
    const toml::node* node = reader.node(key);
    if (!node) return std::nullopt;
    const std::string ladder = "a level of channel '" + channel.id + "': 0 to " + std::to_string(channel.top_level()) +
                               " or one of its names";
    if (auto text = node->as_string()) {
      auto it = std::find(channel.level_names.begin(), channel.level_names.end(), text->get());
      if (it == channel.level_names.end()) {
        reader.error(key, "'" + text->get() + "' is not " + ladder, suggestion(text->get(), channel.level_names));
        return std::nullopt;
      }
      return static_cast<int>(it - channel.level_names.begin());
    }
    if (auto number = node->as_integer()) {
      if (number->get() < 0 || number->get() > channel.top_level()) {
        reader.error(key, "expected " + ladder + ", got " + std::to_string(number->get()));
        return std::nullopt;
      }
      return static_cast<int>(number->get());
    }
    reader.error(key, "expected " + ladder + ", got " + type_name(*node));
    return std::nullopt;
  }

  /// Per-channel caps from a table `channel = level`; `uncapped` for channels not named.
  std::vector<int> caps(TableReader& reader, std::string_view key) {
    std::vector<int> result(model_.channels.size(), uncapped);
    const toml::table* table = reader.table(key);
    if (!table) return result;
    TableReader caps_reader(*table, reader.key_path(key), diagnostics_);
    for (const auto& [name, value] : *table) {
      const int c = find(channel_ids_, std::string(name.str()));
      if (c < 0) {
        caps_reader.error(name.str(), "unknown channel '" + std::string(name.str()) + "'", suggestion(name.str(), channel_ids_));
        caps_reader.node(name.str());  // reported once, here
        continue;
      }
      if (auto cap = level(caps_reader, name.str(), model_.channels[static_cast<std::size_t>(c)])) result[static_cast<std::size_t>(c)] = *cap;
    }
    caps_reader.finish();
    return result;
  }

  /// The Goldstein weight of an event from `goldstein` or `cameo` (or `default_cameo`).
  void goldstein(TableReader& reader, std::string& cameo, double& weight, std::string_view default_cameo, bool required) {
    auto code = reader.string("cameo");
    auto given = reader.number("goldstein", Range::between(-10, 10));
    if (code) {
      if (!goldstein_weight(*code)) {
        std::vector<std::string> known;
        for (const auto& entry : cameo_codes()) known.emplace_back(entry.code);
        reader.error("cameo", "unknown CAMEO code '" + *code + "'", suggestion(*code, known) + " (or give 'goldstein' directly)");
        return;
      }
      cameo = *code;
      weight = *goldstein_weight(*code);
    } else if (!given) {
      if (required && !reader.has("goldstein")) reader.missing("cameo", "a CAMEO code such as \"186\", or a 'goldstein' weight from -10 to 10");
      if (!default_cameo.empty()) {
        cameo = default_cameo;
        weight = *goldstein_weight(default_cameo);
      }
    }
    if (given) weight = *given;
  }

  int step_of(Date date) const { return model_.calendar.step_of(date); }

  // ---- sections ------------------------------------------------------------------------------------

  void read_scenario(TableReader& root, const std::string& default_name) {
    const toml::table* table = root.table("scenario");
    if (!table) {
      if (!root.has("scenario")) root.missing("scenario", "a [scenario] table with start and end dates");
      return;
    }
    TableReader reader(*table, "scenario", diagnostics_);
    model_.name = reader.string("name").value_or(default_name);
    // the name makes the default output directory out/NAME: it must not climb out of out/ or vanish
    const bool control = std::any_of(model_.name.begin(), model_.name.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; });
    if (model_.name.empty() || model_.name.size() > 128 || model_.name == "." || model_.name == ".." || control ||
        model_.name.find_first_of("/\\") != std::string::npos) {
      const std::string problem = (control ? std::string("a name with control characters") : "'" + model_.name.substr(0, 128) + "'") +
                                  " cannot name the default output directory out/NAME";
      const std::string hint = "use 1 to 128 characters without '/', '\\' or control characters, and not '.' or '..'";
      if (reader.has("name")) reader.error("name", problem, hint);
      else reader.error("name", "the file name " + problem, "give scenario.name; " + hint);
    }
    model_.description = reader.string("description").value_or("");
    auto start = reader.required_date("start");
    auto end = reader.required_date("end");
    if (auto unit_name = reader.string("step")) {
      if (auto unit = parse_step_unit(*unit_name)) model_.calendar.unit = *unit;
      else reader.error("step", "unknown step '" + *unit_name + "'", suggestion(*unit_name, {"day", "week", "month", "quarter", "year"}));
    }
    model_.spinup_steps = static_cast<int>(reader.integer("spinup_steps", 0, max_steps).value_or(0));
    // a spin-up given as a duration covers the same time whatever the step: months in steps, to the nearest
    // step (exact for a monthly step)
    if (auto months = reader.integer("spinup_months", 0, 1'000'000)) {
      const long long steps = std::llround(static_cast<double>(*months) * model_.calendar.steps_per_year() / 12.0);
      if (reader.has("spinup_steps"))
        reader.error("spinup_months", "spinup_steps and spinup_months both give the spin-up",
                     "give one: spinup_months, a duration, keeps its length whatever the step");
      else if (steps > max_steps)
        reader.error("spinup_months", std::to_string(*months) + " months are " + std::to_string(steps) + " " +
                                          std::string(step_unit_name(model_.calendar.unit)) + " steps; at most " +
                                          std::to_string(max_steps) + " are allowed",
                     "use a shorter spin-up, or a longer step");
      else
        model_.spinup_steps = static_cast<int>(steps);
    }
    if (start && end) {
      model_.calendar.start = *start;
      model_.calendar.end = *end;
      if (*end < *start) {
        reader.error("end", "the run ends (" + end->iso() + ") before it starts (" + start->iso() + ")");
      } else if (model_.calendar.step_count() > max_steps) {
        reader.error("end", "the run has " + std::to_string(model_.calendar.step_count()) + " steps; at most " +
                                std::to_string(max_steps) + " are allowed", "use a longer step, or a later start");
      } else {
        dates_ok_ = true;
      }
    }
    reader.finish();
  }

  void read_parameters(TableReader& root) {
    const toml::table* table = root.table("model");
    if (!table) return;
    TableReader reader(*table, "model", diagnostics_);
    auto& p = model_.parameters;
    p.benefit_curvature = reader.number("benefit_curvature", p.benefit_curvature, Range{0, 1, true});
    p.size_exponent = reader.number("size_exponent", p.size_exponent, Range::between(0, 4));
    p.pressure_decay = reader.number("pressure_decay", p.pressure_decay, Range::between(0, 1));
    p.pressure_diffusion = reader.number("pressure_diffusion", p.pressure_diffusion, Range::between(0, 1));
    p.balance = reader.number("balance", p.balance, Range::between(0, 1));
    p.reciprocity = reader.number("reciprocity", p.reciprocity, Range::between(0, 10));
    p.event_affect_scale = reader.number("event_affect_scale", p.event_affect_scale, Range::between(0, 10));
    p.affect_default = reader.number("affect_default", p.affect_default, Range::between(-1, 1));
    p.follow_through = reader.boolean("follow_through").value_or(p.follow_through);
    // half-lives are read over a wide range and checked here, so that the message can say what they mean
    auto half_life = [&](std::string_view key, double fallback, bool zero_is_off, std::string_view meaning) {
      const double years = reader.number(key, fallback, Range::between(-1e6, 1e6));
      if (years > 0 || (zero_is_off && years == 0)) return years;
      reader.error(key, "expected a half-life in years " + std::string(zero_is_off ? "≥ 0" : "> 0") + ", got " + format_number(years),
                   std::string(meaning));
      return fallback;
    };
    p.memory_half_life = half_life("memory_half_life", p.memory_half_life, false,
                                   "the years for the memory of a partner's moves to halve: 1 (the default) halves it each year");
    p.grievance_half_life = half_life("grievance_half_life", p.grievance_half_life, true,
                                      "the years for an incident's grievance to halve; 0 (the default) turns lasting grievance off");
    p.suspend_below = reader.number("suspend_below", p.suspend_below, Range::between(-1, 1));
    reader.finish();
  }

  static Weights read_weights(TableReader& reader, const Weights& base, Range range) {
    Weights w;
    w.benefit = reader.number("benefit", base.benefit, range);
    w.affinity = reader.number("affinity", base.affinity, range);
    w.autonomy = reader.number("autonomy", base.autonomy, range);
    w.compliance = reader.number("compliance", base.compliance, range);
    w.pressure_sensitivity = reader.number("pressure_sensitivity", base.pressure_sensitivity, range);
    w.alignment = reader.number("alignment", base.alignment, range);
    w.reciprocation = reader.number("reciprocation", base.reciprocation, range);
    return w;
  }

  void read_actors(TableReader& root) {
    if (!root.has("actors")) {
      root.missing("actors", "at least one [actors.ID] table");
      return;
    }
    auto list = entries(root, "actors");
    if (static_cast<int>(list.size()) > max_actors) {
      root.error("actors", std::to_string(list.size()) + " actors; at most " + std::to_string(max_actors) + " are allowed");
      return;
    }
    for (const auto& [id, table] : list) {
      TableReader reader(*table, "actors." + id, diagnostics_);
      Actor actor;
      actor.id = id;
      actor.name = reader.string("name").value_or(id);
      actor.size = reader.required_number("size", Range{0, 1e12, true}).value_or(1.0);
      actor.weights = read_weights(reader, Weights{}, Range::between(0, 1e6));
      actor.anchoring = reader.number("anchoring", actor.anchoring, Range::between(0, 1));
      actor.precision = reader.number("precision", actor.precision, Range::between(0, 1000));
      actor.pressure_strength = reader.number("pressure_strength", actor.pressure_strength, Range::between(0, 1e6));
      ActorInput input;
      input.table = table;
      for (std::size_t k = 0; k < std::size(ruled_keys); ++k) input.own[k] = reader.has(ruled_keys[k]);
      input.covariates_table = read_covariates(reader, input);
      reader.finish();
      actor_inputs_.push_back(std::move(input));
      actor_ids_.push_back(id);
      model_.actors.push_back(std::move(actor));
    }
    if (list.empty() && root.has("actors")) root.error("actors", "no actors: a scenario needs at least one [actors.ID] table");
  }

  /// An actor's `[actors.ID.covariates]`: name → finite number, the data a `[rules.W]` reads. Returns the table.
  const toml::table* read_covariates(TableReader& actor, ActorInput& input) {
    const toml::table* table = actor.table("covariates");
    if (!table) return nullptr;
    TableReader reader(*table, actor.key_path("covariates"), diagnostics_);
    for (const auto& [name, value] : *table) {
      const std::string key(name.str());
      reader.node(key);
      if (auto problem = id_problem(key, "a covariate name"); !problem.empty()) {
        diagnostics_.error(place_of(&value, *table), reader.key_path(shortened(key)) + ": " + problem,
                           "a covariate is named in [rules.W] keys and --set paths");
        continue;
      }
      if (auto number = reader.number(key, Range{})) input.covariates[key] = *number;
      else input.refused.insert(key);  // reported here; not again as missing where a rule reads it
    }
    reader.finish();
    return table;
  }

  /// Every covariate name some actor has, sorted: what a rule may name.
  std::vector<std::string> covariate_names() const {
    std::set<std::string> names;
    for (const auto& input : actor_inputs_) {
      for (const auto& entry : input.covariates) names.insert(entry.first);
      names.insert(input.refused.begin(), input.refused.end());
    }
    return {names.begin(), names.end()};
  }

  /// The hint for a covariate no actor has: a near name, or where covariates are given.
  std::string covariate_hint(const std::string& name) const {
    const auto names = covariate_names();
    const std::string near = closest_match(name, names);
    if (!near.empty()) return "did you mean '" + near + "'?";
    return "give it to the actors in [actors.ID.covariates], e.g. " + shortened(name) + " = 1.0";
  }

  /// `[rules]`: a rule per actor weight (`[rules.compliance]`) and the affect rule (`[rules.affect]`, applied
  /// by apply_affect once the alliances are known).
  void read_rules(TableReader& root) {
    const toml::table* rules = root.table("rules");
    if (!rules) return;
    TableReader reader(*rules, "rules", diagnostics_);
    std::vector<std::string> names(std::begin(ruled_keys), std::end(ruled_keys));
    names.emplace_back("affect");
    for (const auto& [name, value] : *rules) {
      const std::string key(name.str());
      if (key == "affect") {
        if (const toml::table* table = reader.table(key)) read_affect_rule(*table);
        continue;
      }
      const auto found = std::find(std::begin(ruled_keys), std::end(ruled_keys), key);
      if (found == std::end(ruled_keys)) {
        reader.node(key);
        const std::string shown = "rules." + shortened(key) + ": ";
        if (key == "anchoring" || key == "precision" || key == "size")
          diagnostics_.error(place_of(&value, *rules), shown + "'" + key + "' cannot be set by a rule: a rule sets an actor weight or pressure_strength",
                             "give " + key + " in each [actors.ID]");
        else
          diagnostics_.error(place_of(&value, *rules), shown + "unknown rule '" + shortened(key) + "': a rule sets an actor weight, or starting affect",
                             suggestion(key, names));
        continue;
      }
      if (const toml::table* table = reader.table(key)) read_weight_rule(static_cast<std::size_t>(found - std::begin(ruled_keys)), *table);
    }
    reader.finish();
  }

  /// `[rules.W]`: W_i = base × exp(Σ_k coef_k × x_ik) for every actor that does not give W itself, or with
  /// `link = "linear"` W_i = base + Σ_k coef_k × x_ik, which can be exactly 0 (a weight that only the actors
  /// with an indicator covariate have, as pressure_strength) and must not be negative.
  void read_weight_rule(std::size_t k, const toml::table& table) {
    const std::string path = std::string("rules.") + ruled_keys[k];
    TableReader reader(table, path, diagnostics_);
    const auto base = reader.required_number("base", Range::between(0, 1e6));
    bool linear = false;
    if (auto link = reader.string("link")) {
      if (*link == "linear") linear = true;
      else if (*link != "log") reader.error("link", "unknown link '" + shortened(*link) + "'", suggestion(*link, {"log", "linear"}));
    }
    struct Term {
      std::string covariate;
      double coefficient;
      const toml::node* node;
    };
    std::vector<Term> terms;
    bool ok = base.has_value();
    for (const auto& [name, value] : table) {
      const std::string key(name.str());
      if (key == "base" || key == "link") continue;
      reader.node(key);
      if (auto problem = id_problem(key, "a covariate name"); !problem.empty()) {
        diagnostics_.error(place_of(&value, table), path + "." + shortened(key) + ": " + problem,
                           "besides 'base', a rule's keys name covariates of [actors.ID.covariates]");
        ok = false;
        continue;
      }
      if (auto coefficient = reader.number(key, Range{})) terms.push_back({key, *coefficient, &value});
      else ok = false;
    }
    reader.finish();
    const auto names = covariate_names();
    for (const Term& term : terms)
      if (!std::binary_search(names.begin(), names.end(), term.covariate)) {
        reader.error(term.covariate, "no actor has a covariate '" + shortened(term.covariate) + "'", covariate_hint(term.covariate));
        ok = false;
      }
    if (!ok) return;

    for (std::size_t a = 0; a < model_.actors.size(); ++a) {
      const ActorInput& input = actor_inputs_[a];
      Actor& actor = model_.actors[a];
      if (input.own[k]) continue;  // an actor's own value wins over the rule
      double exponent = 0;
      bool complete = true;
      const Term* largest = nullptr;  // the term that adds most: blamed for a weight too large
      for (const Term& term : terms) {
        const auto x = input.covariates.find(term.covariate);
        if (x == input.covariates.end()) {
          complete = false;
          if (input.refused.count(term.covariate)) continue;
          diagnostics_.error(place_of(input.covariates_table, *input.table),
                             "actors." + actor.id + ": rule '" + path + "' uses covariate '" + term.covariate + "', which " + actor.id + " lacks",
                             "add " + term.covariate + " to [actors." + actor.id + ".covariates], or give " + actor.id + "'s own " +
                                 ruled_keys[k] + " (an actor's own value wins over the rule)");
          continue;
        }
        const double added = term.coefficient * x->second;
        if (!largest || added > largest->coefficient * input.covariates.at(largest->covariate)) largest = &term;
        exponent += added;
      }
      if (!complete) continue;
      const double weight = linear ? *base + exponent : *base * std::exp(exponent);
      if (linear && weight < 0) {
        diagnostics_.error(place_of(table.get("base"), table),
                           path + ": gives actor " + actor.id + " a " + ruled_keys[k] + " of " + format_number(weight) + " (base " +
                               format_number(*base) + " + " + format_number(exponent) + "); a weight is at least 0",
                           "raise the base or change the coefficients, or give " + actor.id + "'s own " + ruled_keys[k]);
        continue;
      }
      if (!(weight <= 1e6)) {  // also refuses NaN
        const toml::node* blamed = largest && largest->coefficient * input.covariates.at(largest->covariate) > 0 ? largest->node : table.get("base");
        diagnostics_.error(place_of(blamed, table),
                           path + ": gives actor " + actor.id + " a " + ruled_keys[k] + " of " +
                               (std::isfinite(weight) ? format_number(weight) : std::string("no finite number")) + " (base " +
                               format_number(*base) + " × exp(" + format_number(exponent) + ")); a weight is at most 10^6",
                           "lower the base or the coefficients, or give " + actor.id + "'s own " + ruled_keys[k]);
        continue;
      }
      ruled_value(actor, k) = weight;
    }
  }

  /// `[rules.affect]`: read here, applied by apply_affect.
  void read_affect_rule(const toml::table& table) {
    TableReader reader(table, "rules.affect", diagnostics_);
    auto covariate = reader.required_string("covariate");
    auto neutral = reader.required_number("neutral_distance", Range{0, 1e6, true});
    auto slope = reader.required_number("slope", Range::between(0, 1e6));
    const auto alliance = reader.number("alliance", Range::between(-2, 2));
    reader.finish();
    if (!covariate || !neutral || !slope || (reader.has("alliance") && !alliance)) return;
    const auto names = covariate_names();
    if (!std::binary_search(names.begin(), names.end(), *covariate)) {
      reader.error("covariate", "no actor has a covariate '" + shortened(*covariate) + "'", covariate_hint(*covariate));
      return;
    }
    affect_rule_ = AffectRule{*covariate, *neutral, *slope, alliance.value_or(0.0)};
  }

  void read_channels(TableReader& root) {
    if (!root.has("channels")) {
      root.missing("channels", "at least one [channels.ID] table");
      return;
    }
    const auto list = entries(root, "channels");
    std::vector<std::string> ids;  // every channel's id, for `reciprocal` naming one read later
    for (const auto& entry : list) ids.push_back(entry.first);
    for (const auto& [id, table] : list) {
      TableReader reader(*table, "channels." + id, diagnostics_);
      Channel channel;
      channel.id = id;
      channel.name = reader.string("name").value_or(id);
      if (auto kind = reader.required_string("kind")) {
        if (*kind == "mutual") channel.kind = ChannelKind::mutual;
        else if (*kind == "directed") channel.kind = ChannelKind::directed;
        else reader.error("kind", "expected \"mutual\" or \"directed\", got \"" + *kind + "\"", suggestion(*kind, {"mutual", "directed"}));
      }
      if (!reader.has("levels")) reader.missing("levels", "a list of at least two level names, lowest first");
      if (auto levels = reader.strings("levels")) {
        std::set<std::string> seen;
        for (const auto& name : *levels) {
          if (name.empty()) reader.error("levels", "a level name is empty");
          else if (!seen.insert(name).second) reader.error("levels", "level name '" + name + "' appears twice");
        }
        if (levels->size() < 2 || levels->size() > static_cast<std::size_t>(max_levels))
          reader.error("levels", "expected 2 to " + std::to_string(max_levels) + " levels, got " + std::to_string(levels->size()));
        else channel.level_names = *levels;
      }
      if (channel.level_names.empty()) channel.level_names = {"0", "1"};  // keeps later checks meaningful
      if (const toml::node* values = reader.node("values")) {
        const toml::array* array = values->as_array();
        bool ok = array && array->size() == channel.level_names.size();
        if (ok)
          for (const auto& value : *array) {
            auto number = value.value<double>();
            if (!number || !std::isfinite(*number) || value.is_boolean()) ok = false;
            else channel.level_values.push_back(*number);
          }
        if (!ok) {
          reader.error("values", "expected " + std::to_string(channel.level_names.size()) + " finite numbers, one per level");
          channel.level_values.clear();
        }
      }
      channel.unit = reader.string("unit").value_or("");
      channel.visibility = reader.number("visibility", channel.visibility, Range::between(0, 1));
      channel.salience = reader.number("salience", channel.salience, Range::between(0, 1));
      channel.benefit = reader.number("benefit", channel.benefit, Range::between(0, 1e6));
      channel.benefit_curvature = reader.number("benefit_curvature", 0.0, Range{0, 1, true});
      channel.upkeep = reader.number("upkeep", channel.upkeep, Range::between(0, 1e6));
      channel.openness = reader.number("openness", channel.openness, Range::between(0, 1e6));
      channel.cost_up = reader.number("cost_up", channel.cost_up, Range::between(0, 1e6));
      channel.cost_down = reader.number("cost_down", channel.cost_down, Range::between(0, 1e6));
      channel.review_rate = reader.number("review_rate", channel.review_rate, Range::between(0, 1));
      channel.index_weight = reader.number("index_weight", channel.index_weight, Range::between(0, 1e6));
      read_channel_codes(reader, channel);
      channel.host_consent = reader.boolean("host_consent").value_or(false);
      if (channel.host_consent && channel.kind == ChannelKind::mutual)
        reader.error("host_consent", "channel '" + id + "' is mutual: its level is already both sides' choice",
                     "host_consent is for directed channels (a mission, workers, flights or ships kept in the partner)");
      if (auto reciprocal = reader.string("reciprocal")) {
        const auto found = std::find(ids.begin(), ids.end(), *reciprocal);
        if (found == ids.end()) reader.error("reciprocal", "unknown channel '" + *reciprocal + "'", suggestion(*reciprocal, ids));
        else channel.reciprocal = static_cast<int>(found - ids.begin());
      }
      reader.finish();
      channel_ids_.push_back(id);
      model_.channels.push_back(std::move(channel));
    }
    if (model_.channels.empty() && root.has("channels")) root.error("channels", "no channels: a scenario needs at least one [channels.ID] table");
    const long long ties = static_cast<long long>(model_.actors.size()) * static_cast<long long>(model_.actors.size()) *
                           static_cast<long long>(model_.channels.size());
    if (ties > max_ties)
      root.error("channels", std::to_string(ties) + " ties (actors² × channels); at most " + std::to_string(max_ties) + " are allowed");
  }

  void read_channel_codes(TableReader& reader, Channel& channel) {
    std::vector<std::string> known;
    for (const auto& entry : cameo_codes()) known.emplace_back(entry.code);
    auto code = [&](std::string_view key, std::string_view fallback, double& weight) {
      std::string value = reader.string(key).value_or(std::string(fallback));
      if (auto found = goldstein_weight(value)) weight = *found;
      else reader.error(key, "unknown CAMEO code '" + value + "'", suggestion(value, known));
      return value;
    };
    channel.cameo_up = code("cameo_up", "050", channel.goldstein_up);
    channel.cameo_down = code("cameo_down", "160", channel.goldstein_down);
    channel.cameo_expel = code("cameo_expel", "166", channel.goldstein_expel);
    channel.goldstein_up = reader.number("goldstein_up", channel.goldstein_up, Range::between(-10, 10));
    channel.goldstein_down = reader.number("goldstein_down", channel.goldstein_down, Range::between(-10, 10));
    channel.goldstein_expel = reader.number("goldstein_expel", channel.goldstein_expel, Range::between(-10, 10));
  }

  void allocate() {
    const auto n = static_cast<Eigen::Index>(model_.actors.size());
    model_.initial_levels.assign(static_cast<std::size_t>(n * n) * model_.channels.size(), 0);
    model_.max_levels.assign(model_.initial_levels.size(), 0);
    for (std::size_t tie = 0; tie < model_.max_levels.size(); ++tie)
      model_.max_levels[tie] = static_cast<std::uint8_t>(model_.channels[tie % model_.channels.size()].top_level());
    model_.affect_anchor = Eigen::MatrixXd::Constant(n, n, model_.parameters.affect_default);
    model_.affect_anchor.diagonal().setZero();
  }

  /// An entry naming one actor on both sides would be skipped without a word: refuse it. Lists and "*" may come
  /// down to one actor (a one-member bloc's ties among its members), so only two plain ids are checked.
  bool joins_two_actors(TableReader& reader, const std::vector<int>& from, const std::vector<int>& to) {
    auto plain_id = [&](std::string_view key) {
      const auto text = reader.node(key)->value<std::string>();
      return text && *text != "*";
    };
    if (!plain_id("from") || !plain_id("to") || from != to) return true;
    reader.error("to", "'" + actor_ids_[static_cast<std::size_t>(from.front())] + "' is on both sides: no pair of different actors",
                 "a tie or an affect joins two actors; self-ties do not exist");
    return false;
  }

  void read_ties(TableReader& root) {
    for (const toml::table* table : array_entries(root, "ties")) {
      TableReader reader(*table, "ties", diagnostics_);
      auto from = id_list(reader, "from", actor_ids_, "actor", true);
      auto to = id_list(reader, "to", actor_ids_, "actor", true);
      auto channels = id_list(reader, "channel", channel_ids_, "channel", true);
      const bool both_ways = reader.boolean("both_ways").value_or(false);
      if (!reader.node("level") && !reader.node("max_level"))
        reader.missing("level", "a level number or name (or a max_level: the highest level the pair can have)");
      if (both_ways && channels && !(reader.node("channel")->is_string() && reader.node("channel")->as_string()->get() == "*"))
        for (int c : *channels)
          if (model_.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual)
            reader.error("both_ways", "channel '" + channel_ids_[static_cast<std::size_t>(c)] +
                                          "' is mutual: its level is shared by the pair already",
                         "both_ways is for directed channels only; remove it");
      const bool pairs = from && to && joins_two_actors(reader, *from, *to);
      if (channels) {
        for (int c : *channels) {
          const Channel& channel = model_.channels[static_cast<std::size_t>(c)];
          const bool has_level = reader.node("level") != nullptr, has_max = reader.node("max_level") != nullptr;
          auto value = has_level ? level(reader, "level", channel) : std::optional<int>{};
          auto ceiling = has_max ? level(reader, "max_level", channel) : std::optional<int>{};
          if ((has_level && !value) || (has_max && !ceiling) || !pairs) continue;
          if (value && ceiling && *value > *ceiling) {
            reader.error("level", "level " + std::to_string(*value) + " of channel '" + channel.id + "' is above the pair's max_level " +
                                      std::to_string(*ceiling), "lower the level, or raise max_level");
            continue;
          }
          const bool mutual = channel.kind == ChannelKind::mutual;
          bool clash = false;  // with a level or ceiling an earlier entry gave a pair: reported once per entry
          auto set = [&](int owner, int partner) {
            const std::size_t tie = model_.tie_index(owner, partner, c);
            const int level_now = value ? *value : model_.initial_levels[tie];
            const int ceiling_now = ceiling ? *ceiling : model_.max_levels[tie];
            if (level_now > ceiling_now) {
              // name the first pair that clashes, since the entry's lists may cover many
              if (!clash)
                reader.error(value ? "level" : "max_level", "the level " + std::to_string(level_now) + " of " + actor_ids_[static_cast<std::size_t>(owner)] +
                                 " → " + actor_ids_[static_cast<std::size_t>(partner)] + " on channel '" + channel.id +
                                 "' would be above its max_level " + std::to_string(ceiling_now) + " (set by another [[ties]] entry)",
                             "a tie cannot start above the highest level its pair can have");
              clash = true;
              return;
            }
            model_.initial_levels[tie] = static_cast<std::uint8_t>(level_now);
            model_.max_levels[tie] = static_cast<std::uint8_t>(ceiling_now);
          };
          for (int i : *from)
            for (int j : *to) {
              if (i == j) continue;
              set(i, j);
              if (mutual || both_ways) set(j, i);
            }
        }
      }
      reader.finish();
    }
  }

  void read_affect(TableReader& root) {
    for (const toml::table* table : array_entries(root, "affect")) {
      TableReader reader(*table, "affect", diagnostics_);
      auto from = id_list(reader, "from", actor_ids_, "actor", true);
      auto to = id_list(reader, "to", actor_ids_, "actor", true);
      auto value = reader.required_number("value", Range::between(-1, 1));
      const bool both_ways = reader.boolean("both_ways").value_or(false);
      reader.finish();
      if (!from || !to || !value || !joins_two_actors(reader, *from, *to)) continue;
      for (int i : *from)
        for (int j : *to) {
          if (i == j) continue;
          listed_affect_.push_back({i, j, *value});
          if (both_ways) listed_affect_.push_back({j, i, *value});
        }
    }
  }

  /// Starting affect and its anchor: `affect_default` (set by allocate), then the affect rule for the pairs
  /// whose actors both have its covariate, then each [[affect]] entry in file order.
  void apply_affect() {
    if (affect_rule_) {
      const AffectRule& rule = *affect_rule_;
      const std::size_t n = model_.actors.size();
      std::vector<char> allied(n * n, 0);
      for (const Regime& regime : model_.regimes)
        if (regime.kind == RegimeKind::alliance)
          for (int i : regime.members)
            for (int j : regime.members) allied[static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j)] = 1;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& xi = actor_inputs_[i].covariates;
        const auto found_i = xi.find(rule.covariate);
        if (found_i == xi.end()) continue;
        for (std::size_t j = 0; j < n; ++j) {
          const auto& xj = actor_inputs_[j].covariates;
          const auto found_j = xj.find(rule.covariate);
          if (i == j || found_j == xj.end()) continue;
          // a slope of 0 gives 0 even for a distance that overflows to infinity
          const double distance = std::abs(found_i->second - found_j->second);
          double value = rule.slope == 0 ? 0.0 : rule.slope * (rule.neutral_distance - distance);
          if (allied[i * n + j]) value += rule.alliance;
          model_.affect_anchor(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = std::clamp(value, -1.0, 1.0);
        }
      }
    }
    for (const auto& [i, j, value] : listed_affect_) model_.affect_anchor(i, j) = value;
  }

  void read_regimes(TableReader& root) {
    for (const auto& [id, table] : entries(root, "regimes")) {
      TableReader reader(*table, "regimes." + id, diagnostics_);
      Regime regime;
      regime.id = id;
      regime.name = reader.string("name").value_or(id);
      regime.caps.assign(model_.channels.size(), uncapped);
      auto kind = reader.required_string("kind");
      const std::vector<std::string> kinds = {"sanctions", "commitment", "alliance", "bloc"};
      if (kind) {
        if (*kind == "sanctions") regime.kind = RegimeKind::sanctions;
        else if (*kind == "commitment") regime.kind = RegimeKind::commitment;
        else if (*kind == "alliance") regime.kind = RegimeKind::alliance;
        else if (*kind == "bloc") regime.kind = RegimeKind::bloc;
        else {
          reader.error("kind", "unknown regime kind '" + *kind + "'", suggestion(*kind, kinds));
          reader.accept_all();
        }
      }
      if (regime.binds()) {
        regime.targets = id_list(reader, "targets", actor_ids_, "actor", true).value_or(std::vector<int>{});
        auto members = id_list(reader, "members", actor_ids_, "actor", true).value_or(std::vector<int>{});
        // "*" and explicit lists alike: a target is never bound by its own sanctions
        for (int member : members)
          if (std::find(regime.targets.begin(), regime.targets.end(), member) == regime.targets.end())
            regime.members.push_back(member);
        regime.caps = caps(reader, "caps");
        regime.enforcement = reader.number("enforcement", regime.enforcement, Range::between(0, 1e6));
        if (auto date = reader.date("in_force")) {
          // before the start: in force from step 0; after the end it would never bind
          if (dates_ok_ && *date > model_.calendar.end)
            reader.error("in_force", "date " + date->iso() + " is after the run's end (" + model_.calendar.end.iso() + "): the regime would never bind",
                         "move in_force, or change scenario.end");
          regime.in_force_step = dates_ok_ ? std::max(0, step_of(*date)) : 0;
        }
        regime.implementation_months = reader.number("implementation_months", 0.0, Range::between(0, 1200));
        reader.forbid("cohesion", "cohesion is for alliances and blocs");
      } else {
        regime.members = id_list(reader, "members", actor_ids_, "actor", true).value_or(std::vector<int>{});
        regime.cohesion = reader.number("cohesion", regime.cohesion, Range::between(0, 1));
        for (auto key : {"targets", "caps", "enforcement", "in_force", "implementation_months"})
          reader.forbid(key, "it applies to sanctions and commitments, not to an " + std::string(kind.value_or("alliance")));
      }
      reader.finish();
      regime_ids_.push_back(id);
      model_.regimes.push_back(std::move(regime));
    }
  }

  /// An event's date, checked to lie within the run.
  std::optional<Date> event_date(TableReader& reader, std::string_view key, bool required) {
    auto date = required ? reader.required_date(key) : reader.date(key);
    if (!date || !dates_ok_) return std::nullopt;
    if (*date < model_.calendar.start || *date > model_.calendar.end) {
      reader.error(key, "date " + date->iso() + " is outside the run (" + model_.calendar.start.iso() + " to " +
                            model_.calendar.end.iso() + ")",
                   "move the event, or change scenario.start / scenario.end");
      return std::nullopt;
    }
    return date;
  }

  void read_events(TableReader& root) {
    const std::vector<std::string> kinds = {"resolution", "provocation", "incident", "agreement", "role", "lobbying"};
    std::vector<std::tuple<int, Date, int, std::size_t, std::size_t, Event, const toml::table*>> ordered;
    for (const auto& [id, table] : entries(root, "events")) {
      TableReader reader(*table, "events." + id, diagnostics_);
      Event event;
      event.id = id;
      event.label = reader.string("label").value_or(id);
      auto date = event_date(reader, "date", true);
      auto kind = reader.required_string("kind");
      event.intensity = reader.number("intensity", 1.0, Range::between(0, 1e3));
      if (!kind) {
        reader.accept_all();
        reader.finish();
        continue;
      }
      if (*kind == "resolution") {
        event.kind = EventKind::resolution;
        goldstein(reader, event.cameo, event.goldstein, "163", false);
        if (auto regime = regime_ref(reader)) event.regime = *regime;
        if (auto enforcement = reader.number("enforcement", Range::between(0, 1e6))) {
          event.sets_enforcement = true;
          event.enforcement = *enforcement;
        }
        event.caps = caps(reader, "caps");
        if (auto due = event_date(reader, "report_due", false)) {
          if (date && *due < *date) reader.error("report_due", "the report is due before the resolution is adopted");
          event.report_step = step_of(*due);
        }
        event.report_boost = reader.number("report_boost", 0.0, Range::between(0, 1e6));
        if (reader.has("report_boost") && !reader.has("report_due")) reader.missing("report_due", "the date the report_boost applies");
      } else if (*kind == "provocation") {
        event.kind = EventKind::provocation;
        goldstein(reader, event.cameo, event.goldstein, "", true);
        event.actor = actor(reader, "actor", true).value_or(-1);
      } else if (*kind == "incident") {
        event.kind = EventKind::incident;
        goldstein(reader, event.cameo, event.goldstein, "", true);
        read_pair(reader, event);
      } else if (*kind == "agreement") {
        event.kind = EventKind::agreement;
        goldstein(reader, event.cameo, event.goldstein, "057", false);
        read_pair(reader, event);
        const toml::node* channel = reader.node("channel");
        if (!channel) reader.missing("channel", "the channel the agreement covers");
        else if (!channel->is_string() || find(channel_ids_, channel->as_string()->get()) < 0)
          reader.error("channel", "unknown channel " + (channel->is_string() ? "'" + channel->as_string()->get() + "'" : type_name(*channel)),
                       channel->is_string() ? suggestion(channel->as_string()->get(), channel_ids_) : "");
        else event.channel = find(channel_ids_, channel->as_string()->get());
        event.benefit = reader.number("benefit", 0.5, Range::between(0, 1e3));
        if (auto until = reader.date("until")) {
          event.until_step = until_step(reader, date, *until);
          // an end after the run's is never reached: the agreement would silently hold to the last step
          if (dates_ok_ && model_.calendar.end < *until && !(date && *until < *date))
            reader.error("until", "agreement ends (" + until->iso() + ") after the run does (" + model_.calendar.end.iso() + ")",
                         "leave 'until' out for an agreement that lasts the whole run, or extend scenario.end");
        }
      } else if (*kind == "role") {
        event.kind = EventKind::role;
        event.actor = actor(reader, "actor", true).value_or(-1);
        event.weight_change = read_weights(reader, Weights{0, 0, 0, 0, 0, 0}, Range::between(-1e6, 1e6));
        if (!reader.has("until")) reader.missing("until", "the last date of the role");
        else if (auto until = reader.date("until")) event.until_step = until_step(reader, date, *until);
        if (event.actor >= 0) check_role(reader, event);
      } else if (*kind == "lobbying") {
        event.kind = EventKind::lobbying;
        read_pair(reader, event);
        if (auto against = actor(reader, "against", false)) {
          // the pressed state's affect toward itself is not part of the model
          if (*against >= 0 && *against == event.partner) reader.error("against", "lobbying against the pressed state itself", "'against' names a third state");
          event.against = *against;
        }
        event.pressure = reader.number("pressure", 0.0, Range::between(0, 1e6));
        event.affect = reader.number("affect", 0.0, Range::between(0, 2));
      } else {
        reader.error("kind", "unknown event kind '" + *kind + "'", suggestion(*kind, kinds));
        reader.accept_all();
      }
      reader.finish();
      if (!date) continue;
      event.date = *date;
      event.step = step_of(*date);
      const auto& where = table->source();
      ordered.emplace_back(event.step, event.date, document_.rank_of(where), where.begin.line, where.begin.column, std::move(event),
                           table);
    }
    // date order, then file order (base before variant, then line)
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a), std::get<4>(a)) <
             std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b), std::get<4>(b));
    });
    std::vector<const toml::table*> tables;  // per event
    for (auto& entry : ordered) {
      model_.events.push_back(std::move(std::get<5>(entry)));
      tables.push_back(std::get<6>(entry));
    }
    check_overlapping_roles(tables);
  }

  std::optional<int> regime_ref(TableReader& reader) {
    const toml::node* node = reader.node("regime");
    if (!node) {
      reader.missing("regime", "the id of a sanctions or commitment regime");
      return std::nullopt;
    }
    const auto name = node->value<std::string>().value_or("");
    const int index = find(regime_ids_, name);
    if (index < 0) {
      reader.error("regime", "unknown regime '" + name + "'", suggestion(name, regime_ids_));
      return std::nullopt;
    }
    if (!model_.regimes[static_cast<std::size_t>(index)].binds()) {
      reader.error("regime", "regime '" + name + "' is an alliance or bloc; a resolution needs sanctions or a commitment");
      return std::nullopt;
    }
    return index;
  }

  void read_pair(TableReader& reader, Event& event) {
    event.actor = actor(reader, "actor", true).value_or(-1);
    event.partner = actor(reader, "partner", true).value_or(-1);
    if (event.actor >= 0 && event.actor == event.partner) reader.error("partner", "an event's partner must differ from its actor");
  }

  int until_step(TableReader& reader, const std::optional<Date>& date, Date until) {
    if (date && until < *date) reader.error("until", "ends (" + until.iso() + ") before it starts (" + date->iso() + ")");
    return step_of(until);
  }


  /// The actor's weights with this role alone in effect.
  void check_role(TableReader& reader, const Event& event) {
    Weights total = model_.actors[static_cast<std::size_t>(event.actor)].weights;
    total += event.weight_change;
    for (const auto& [key, weight] : weight_keys)
      if (total.*weight < 0) reader.error(key, "would make the actor's weight negative (" + std::to_string(total.*weight) + ")");
  }

  /// The actors' weights with every combination of roles that is ever in effect at once. `tables` holds each
  /// event's table, for the place of an error. The roles in effect change only in a step where one begins or
  /// in the step after one ends, so only those steps are checked; the sum is taken as step() takes it (base,
  /// then the roles in the order they began), so what is accepted here is what the run computes.
  void check_overlapping_roles(const std::vector<const toml::table*>& tables) {
    const int last_step = model_.calendar.step_count() - 1;
    for (int actor = 0; actor < model_.actor_count(); ++actor) {
      std::vector<int> roles;  // event indices: the order step() applies them
      for (std::size_t e = 0; e < model_.events.size(); ++e) {
        const Event& event = model_.events[e];
        if (event.kind == EventKind::role && event.actor == actor && event.until_step >= event.step) roles.push_back(static_cast<int>(e));
      }
      if (roles.size() < 2) continue;
      const Weights& base = model_.actors[static_cast<std::size_t>(actor)].weights;
      // a weight one role alone takes below 0 is reported where the role is read; not again for each overlap
      bool reported[std::size(weight_keys)] = {};
      for (int e : roles)
        for (std::size_t w = 0; w < std::size(weight_keys); ++w) {
          const auto weight = weight_keys[w].second;
          reported[w] = reported[w] || base.*weight + model_.events[static_cast<std::size_t>(e)].weight_change.*weight < 0;
        }

      // where the set in effect changes: a role's first step, and the step after its last (within the run)
      struct Boundary {
        int step;
        int event;
        bool begins;
      };
      std::vector<Boundary> boundaries;
      for (int e : roles) {
        const Event& role = model_.events[static_cast<std::size_t>(e)];
        boundaries.push_back({role.step, e, true});
        if (role.until_step < last_step) boundaries.push_back({role.until_step + 1, e, false});
      }
      std::stable_sort(boundaries.begin(), boundaries.end(), [](const Boundary& a, const Boundary& b) { return a.step < b.step; });

      // a running sum finds the steps where a weight may be below 0; the exact sum decides. Its rounding
      // error is far below 1e-9 of the magnitudes summed, so a sum above that margin cannot be negative.
      std::set<int> in_effect;
      Weights running = base, magnitude{0, 0, 0, 0, 0, 0};
      for (std::size_t next = 0; next < boundaries.size();) {
        const int step = boundaries[next].step;
        std::vector<int> ended;
        for (; next < boundaries.size() && boundaries[next].step == step; ++next) {
          const Boundary& boundary = boundaries[next];
          const Weights& change = model_.events[static_cast<std::size_t>(boundary.event)].weight_change;
          const double sign = boundary.begins ? 1 : -1;
          for (const auto& [key, weight] : weight_keys) {
            running.*weight += sign * change.*weight;
            magnitude.*weight += sign * std::abs(change.*weight);
          }
          if (boundary.begins) in_effect.insert(boundary.event);
          else {
            in_effect.erase(boundary.event);
            ended.push_back(boundary.event);
          }
        }
        if (in_effect.size() < 2) continue;
        for (std::size_t w = 0; w < std::size(weight_keys); ++w) {
          const auto weight = weight_keys[w].second;
          if (reported[w] || running.*weight >= 1e-9 * (std::abs(base.*weight) + magnitude.*weight)) continue;
          double total = base.*weight;
          for (int e : in_effect) total += model_.events[static_cast<std::size_t>(e)].weight_change.*weight;
          if (total >= 0) continue;
          reported[w] = true;
          report_overlap(tables, actor, weight_keys[w].first, weight, step, total, in_effect, ended);
        }
      }
    }
  }

  /// The error of roles that together take a weight below 0, at the role that began last among those that
  /// lower it.
  void report_overlap(const std::vector<const toml::table*>& tables, int actor, const char* key, double Weights::*weight, int step,
                      double total, const std::set<int>& in_effect, const std::vector<int>& ended) {
    auto name = [&](int e) { return "'" + model_.events[static_cast<std::size_t>(e)].id + "'"; };
    auto listed = [&](const std::vector<int>& events) {
      std::string text;
      for (std::size_t k = 0; k < events.size(); ++k)
        text += (k == 0 ? "" : k + 1 == events.size() ? " and " : ", ") + name(events[k]);
      return text;
    };
    int blamed = -1;
    Date from = model_.calendar.date_of(step);
    for (int e : in_effect) {
      const Event& role = model_.events[static_cast<std::size_t>(e)];
      if (role.weight_change.*weight < 0) blamed = e;
      if (role.step == step) from = std::max(from, role.date);  // the overlap begins with the role, not the step
    }
    std::string terms = "base " + format_number(model_.actors[static_cast<std::size_t>(actor)].weights.*weight);
    for (int e : in_effect) terms += ", " + name(e) + " " + format_number(model_.events[static_cast<std::size_t>(e)].weight_change.*weight);
    const std::string when = ended.empty() ? "" : "when " + std::string(ended.size() > 1 ? "roles " : "role ") + listed(ended) + " ends, ";
    const toml::table& table = *tables[static_cast<std::size_t>(blamed)];
    diagnostics_.error(place_of(table.get(key), table),
                       "events." + model_.events[static_cast<std::size_t>(blamed)].id + "." + key + ": " + when + "roles " +
                           listed(std::vector<int>(in_effect.begin(), in_effect.end())) + " of " +
                           model_.actors[static_cast<std::size_t>(actor)].id + " are in effect together from " + from.iso() +
                           " and take its " + key + " weight to " + format_number(total) + " (" + terms + ")",
                       "a role holds through its 'until' date: end one before the other begins, or make the changes smaller");
  }

  void read_random_events(TableReader& root) {
    for (const auto& [id, table] : entries(root, "random_events")) {
      TableReader reader(*table, "random_events." + id, diagnostics_);
      RandomEvent random;
      random.id = id;
      random.label = reader.string("label").value_or(id);
      auto kind = reader.required_string("kind");
      if (kind && *kind == "provocation") {
        random.kind = EventKind::provocation;
        random.actor = actor(reader, "actor", true).value_or(-1);
      } else if (kind && *kind == "incident") {
        random.kind = EventKind::incident;
        random.actor = actor(reader, "actor", true).value_or(-1);
        random.partner = actor(reader, "partner", true).value_or(-1);
        if (random.actor >= 0 && random.actor == random.partner) reader.error("partner", "an event's partner must differ from its actor");
      } else if (kind) {
        reader.error("kind", "random events are \"provocation\" or \"incident\", got \"" + *kind + "\"",
                     suggestion(*kind, {"provocation", "incident"}));
        reader.accept_all();
      }
      goldstein(reader, random.cameo, random.goldstein, "", true);
      random.intensity = reader.number("intensity", 1.0, Range::between(0, 1e3));
      auto rate = reader.required_number("rate", Range::between(0, 1000));
      if (rate && dates_ok_) random.rate_per_step = *rate / model_.calendar.steps_per_year();
      random.from_step = 0;
      random.until_step = dates_ok_ ? model_.calendar.step_count() - 1 : 0;
      if (auto from = event_date(reader, "from", false)) random.from_step = step_of(*from);
      if (auto until = event_date(reader, "until", false)) random.until_step = step_of(*until);
      if (random.until_step < random.from_step) reader.error("until", "the window ends before it starts");
      reader.finish();
      model_.random_events.push_back(std::move(random));
    }
  }

  void read_plot(TableReader& root) {
    const toml::table* table = root.table("plot");
    if (!table) return;
    TableReader reader(*table, "plot", diagnostics_);
    // a list, so that "*" does not pass for a pair in a two-actor world
    const std::string expected = "expected two actor ids, the focal dyad, e.g. [\"A\", \"B\"]";
    if (const toml::node* node = reader.node("focal"); node && !node->is_array()) reader.error("focal", expected + ", got " + type_name(*node));
    else if (auto focal = id_list(reader, "focal", actor_ids_, "actor", false); focal && focal->size() != 2) reader.error("focal", expected);
    reader.finish();
  }

  const ScenarioDocument& document_;
  Diagnostics diagnostics_;
  Model model_;
  std::vector<ActorInput> actor_inputs_;  // one per actor, in model_.actors' order
  std::optional<AffectRule> affect_rule_;
  std::vector<ListedAffect> listed_affect_;  // [[affect]] entries, pair by pair, in file order
  std::vector<std::string> actor_ids_, channel_ids_, regime_ids_;
  bool dates_ok_ = false;
};

}  // namespace

Model build_model(const ScenarioDocument& document, const std::string& default_name) {
  return ModelBuilder(document).build(default_name);
}

namespace {

/// The actor indices of [plot] focal, which build_model has checked: two known, distinct ids.
std::vector<int> focal_dyad(const ScenarioDocument& document, const Model& model) {
  std::vector<int> focal;
  if (const toml::array* ids = document.root.at_path("plot.focal").as_array())
    for (const auto& id : *ids)
      for (int i = 0; i < model.actor_count(); ++i)
        if (model.actors[static_cast<std::size_t>(i)].id == id.value_or(std::string())) focal.push_back(i);
  return focal;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  Scenario scenario;
  scenario.path = path.string();
  scenario.document = load_document(path, overrides);
  scenario.model = build_model(scenario.document, path.stem().string());
  scenario.targets = read_targets(scenario.document, scenario.model, &scenario.warnings);
  scenario.focal = focal_dyad(scenario.document, scenario.model);
  return scenario;
}

Scenario load_scenario_text(const std::string& text, const std::filesystem::path& name, const std::vector<std::string>& overrides) {
  Scenario scenario;
  scenario.path = name.string();
  scenario.document = load_document_text(text, name, overrides);
  scenario.model = build_model(scenario.document, name.stem().string());
  scenario.targets = read_targets(scenario.document, scenario.model, &scenario.warnings);
  scenario.focal = focal_dyad(scenario.document, scenario.model);
  return scenario;
}

}  // namespace tiesim
