#include "output/run_json.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "output/csv.hpp"
#include "output/json.hpp"
#include "core/version.hpp"

namespace tiesim {

using nlohmann::ordered_json;

namespace {

std::string_view channel_kind_name(ChannelKind kind) { return kind == ChannelKind::mutual ? "mutual" : "directed"; }

std::string_view regime_kind_name(RegimeKind kind) {
  switch (kind) {
    case RegimeKind::sanctions: return "sanctions";
    case RegimeKind::commitment: return "commitment";
    case RegimeKind::alliance: return "alliance";
    case RegimeKind::bloc: return "bloc";
  }
  return "";
}

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::resolution: return "resolution";
    case EventKind::provocation: return "provocation";
    case EventKind::incident: return "incident";
    case EventKind::agreement: return "agreement";
    case EventKind::role: return "role";
    case EventKind::lobbying: return "lobbying";
  }
  return "";
}

/// A TOML value as JSON: dates and times as their TOML text, tables' keys in the table's order.
ordered_json from_toml(const toml::node& node) {
  if (const auto* table = node.as_table()) {
    ordered_json object = ordered_json::object();
    for (const auto& [key, value] : *table) object[std::string(key.str())] = from_toml(value);
    return object;
  }
  if (const auto* array = node.as_array()) {
    ordered_json list = ordered_json::array();
    for (const auto& value : *array) list.push_back(from_toml(value));
    return list;
  }
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return integer->get();
  if (const auto* number = node.as_floating_point()) return number->get();
  if (const auto* flag = node.as_boolean()) return flag->get();
  std::ostringstream text;  // date, time, date-time
  if (const auto* date = node.as_date()) text << date->get();
  else if (const auto* time = node.as_time()) text << time->get();
  else if (const auto* date_time = node.as_date_time()) text << date_time->get();
  return text.str();
}

/// Every parameter the run used, after `extends`, `--set` and defaults, with the scenario file's keys.
ordered_json effective_parameters(const Model& model) {
  const auto date_of = [&](int step) { return model.calendar.date_of(step).iso(); };
  const auto actor_id = [&](int actor) { return model.actors[static_cast<std::size_t>(actor)].id; };
  const auto actor_ids = [&](const std::vector<int>& actors) {
    ordered_json ids = ordered_json::array();
    for (int actor : actors) ids.push_back(actor_id(actor));
    return ids;
  };
  // per-channel caps as {channel: highest level}, only the channels capped
  const auto caps_of = [&](const std::vector<int>& caps) {
    ordered_json object = ordered_json::object();
    for (std::size_t c = 0; c < caps.size() && c < model.channels.size(); ++c)
      if (caps[c] != uncapped) object[model.channels[c].id] = caps[c];
    return object;
  };
  const auto add_weights = [](ordered_json& object, const Weights& weights) {
    object["benefit"] = weights.benefit;
    object["affinity"] = weights.affinity;
    object["autonomy"] = weights.autonomy;
    object["compliance"] = weights.compliance;
    object["pressure_sensitivity"] = weights.pressure_sensitivity;
    object["alignment"] = weights.alignment;
    object["reciprocation"] = weights.reciprocation;
  };

  ordered_json effective;
  effective["scenario"] = {{"name", model.name},
                           {"description", model.description},
                           {"start", model.calendar.start.iso()},
                           {"end", model.calendar.end.iso()},
                           {"step", step_unit_name(model.calendar.unit)},
                           {"spinup_steps", model.spinup_steps}};
  const Parameters& parameters = model.parameters;
  effective["model"] = {{"benefit_curvature", parameters.benefit_curvature},
                        {"size_exponent", parameters.size_exponent},
                        {"pressure_decay", parameters.pressure_decay},
                        {"pressure_diffusion", parameters.pressure_diffusion},
                        {"balance", parameters.balance},
                        {"reciprocity", parameters.reciprocity},
                        {"event_affect_scale", parameters.event_affect_scale},
                        {"affect_default", parameters.affect_default},
                        {"follow_through", parameters.follow_through}};

  ordered_json actors = ordered_json::object();
  for (const Actor& actor : model.actors) {
    ordered_json entry = {{"name", actor.name}, {"size", actor.size}};
    add_weights(entry, actor.weights);
    entry["anchoring"] = actor.anchoring;
    entry["precision"] = actor.precision;
    entry["pressure_strength"] = actor.pressure_strength;
    actors[actor.id] = std::move(entry);
  }
  effective["actors"] = std::move(actors);

  ordered_json channels = ordered_json::object();
  for (const Channel& channel : model.channels) {
    channels[channel.id] = {
        {"name", channel.name},
        {"kind", channel_kind_name(channel.kind)},
        {"levels", channel.level_names},
        {"values", channel.level_values},
        {"unit", channel.unit},
        {"visibility", channel.visibility},
        {"salience", channel.salience},
        {"benefit", channel.benefit},
        // 0 in the model means "the model's θ": written as the θ the channel uses
        {"benefit_curvature", channel.benefit_curvature > 0 ? channel.benefit_curvature : parameters.benefit_curvature},
        {"upkeep", channel.upkeep},
        {"openness", channel.openness},
        {"cost_up", channel.cost_up},
        {"cost_down", channel.cost_down},
        {"review_rate", channel.review_rate},
        {"cameo_up", channel.cameo_up},
        {"cameo_down", channel.cameo_down},
        {"goldstein_up", channel.goldstein_up},
        {"goldstein_down", channel.goldstein_down},
        {"index_weight", channel.index_weight}};
  }
  effective["channels"] = std::move(channels);

  ordered_json regimes = ordered_json::object();
  for (const Regime& regime : model.regimes) {
    ordered_json entry = {{"name", regime.name}, {"kind", regime_kind_name(regime.kind)}, {"members", actor_ids(regime.members)}};
    if (regime.binds()) {
      entry["targets"] = actor_ids(regime.targets);
      entry["caps"] = caps_of(regime.caps);
      entry["enforcement"] = regime.enforcement;
      // the first day of the first step in which it binds
      entry["in_force"] = date_of(std::max(0, regime.in_force_step));
    } else {
      entry["cohesion"] = regime.cohesion;
    }
    regimes[regime.id] = std::move(entry);
  }
  effective["regimes"] = std::move(regimes);

  // dated events, each with the fields of its kind; dates are the first day of the step it acts in
  ordered_json events = ordered_json::object();
  for (const Event& event : model.events) {
    ordered_json entry = {{"kind", event_kind_name(event.kind)}, {"label", event.label}, {"date", event.date.iso()},
                          {"step", event.step}};
    if (event.actor >= 0) entry["actor"] = actor_id(event.actor);
    if (event.partner >= 0) entry["partner"] = actor_id(event.partner);
    if (event.against >= 0) entry["against"] = actor_id(event.against);
    if (event.regime >= 0) entry["regime"] = model.regimes[static_cast<std::size_t>(event.regime)].id;
    if (event.channel >= 0) entry["channel"] = model.channels[static_cast<std::size_t>(event.channel)].id;
    switch (event.kind) {
      case EventKind::resolution:
        if (event.sets_enforcement) entry["enforcement"] = event.enforcement;
        entry["caps"] = caps_of(event.caps);
        if (event.report_step >= 0) {
          entry["report_due"] = date_of(event.report_step);
          entry["report_boost"] = event.report_boost;
        }
        break;
      case EventKind::provocation:
      case EventKind::incident:
        entry["cameo"] = event.cameo;
        entry["goldstein"] = event.goldstein;
        entry["intensity"] = event.intensity;
        break;
      case EventKind::agreement:
        entry["benefit"] = event.benefit;
        if (event.until_step >= 0) entry["until"] = date_of(event.until_step);
        break;
      case EventKind::role:
        add_weights(entry, event.weight_change);
        if (event.until_step >= 0) entry["until"] = date_of(event.until_step);
        break;
      case EventKind::lobbying:
        entry["pressure"] = event.pressure;
        entry["affect"] = event.affect;
        break;
    }
    events[event.id] = std::move(entry);
  }
  effective["events"] = std::move(events);

  ordered_json random_events = ordered_json::object();
  for (const RandomEvent& event : model.random_events) {
    ordered_json entry = {{"kind", event_kind_name(event.kind)}, {"label", event.label}};
    if (event.actor >= 0) entry["actor"] = actor_id(event.actor);
    if (event.partner >= 0) entry["partner"] = actor_id(event.partner);
    entry["rate_per_step"] = event.rate_per_step;
    entry["from"] = date_of(event.from_step);
    entry["until"] = date_of(event.until_step);
    entry["cameo"] = event.cameo;
    entry["goldstein"] = event.goldstein;
    entry["intensity"] = event.intensity;
    random_events[event.id] = std::move(entry);
  }
  effective["random_events"] = std::move(random_events);
  return effective;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void write_run_json(const std::filesystem::path& path, const Scenario& scenario, const RunMetadata& metadata) {
  const Model& model = scenario.model;
  ordered_json json;
  json["program"] = {{"name", "tiesim"}, {"version", version}};
  json["command"] = metadata.command;
  ordered_json files = ordered_json::array();
  for (const auto& file : scenario.document.files) files.push_back({{"path", file.path}, {"sha256", file.sha256}});
  json["scenario"] = {{"path", scenario.path},
                      {"name", model.name},
                      {"sha256", scenario.document.files.back().sha256},
                      {"files", files}};
  json["overrides"] = scenario.document.overrides;
  json["seed"] = metadata.seed;
  json["replicates"] = metadata.replicates;
  json["replicate_seeds"] = metadata.replicate_seeds;
  json["calendar"] = {{"start", model.calendar.start.iso()},
                      {"end", model.calendar.end.iso()},
                      {"step", step_unit_name(model.calendar.unit)},
                      {"steps", model.calendar.step_count()},
                      {"spinup_steps", model.spinup_steps}};
  // each step's date, by step number: what changes.csv's rebuild into the full panel dates its rows by
  ordered_json dates = ordered_json::array();
  for (int step = 0; step < model.calendar.step_count(); ++step) dates.push_back(model.calendar.date_of(step).iso());
  json["calendar"]["dates"] = std::move(dates);
  ordered_json record = {{"every", metadata.record.every}, {"files", metadata.files}};
  // the rows recorded, when `run --actors` or `--channels` chose some (absent: every row)
  if (!metadata.record.actors.empty()) {
    ordered_json ids = ordered_json::array();
    for (int a : metadata.record.actors) ids.push_back(model.actors[static_cast<std::size_t>(a)].id);
    record["actors"] = ids;
  }
  if (!metadata.record.channels.empty()) {
    ordered_json ids = ordered_json::array();
    for (int c : metadata.record.channels) ids.push_back(model.channels[static_cast<std::size_t>(c)].id);
    record["channels"] = ids;
  }
  json["record"] = std::move(record);
  if (metadata.holdout)
    json["holdout"] = {{"until", metadata.holdout->until},
                       {"in_sample", metadata.holdout->in_sample},
                       {"out_of_sample", metadata.holdout->out_of_sample}};
  if (metadata.posterior) {
    const PosteriorRecord& posterior = *metadata.posterior;
    ordered_json values = ordered_json::object();
    for (std::size_t k = 0; k < posterior.parameters.size(); ++k) values[posterior.parameters[k]] = posterior.values[k];
    json["posterior"] = {{"path", posterior.path},
                         {"sha256", posterior.sha256},
                         {"particles", posterior.particles},
                         {"parameters", posterior.parameters},
                         {"particle", posterior.particle},
                         {"values", std::move(values)}};
  }
  json["effective"] = effective_parameters(model);
  json["document"] = from_toml(scenario.document.root);

  // a key per line down to each actor, channel, regime and event, which keep one line each
  const std::string text = json_document(json, 3);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw OutputError("cannot write '" + path.string() + "'");
}

}  // namespace tiesim
