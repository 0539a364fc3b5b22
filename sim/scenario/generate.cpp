#include "scenario/generate.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string_view>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "core/date.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"

namespace tiesim {

namespace {

/// A generic channel of the catalogue, with the levels a pair starts at: everyone (`base`), members of one
/// regional bloc (`bloc`), members of one alliance (`ally`).
struct ChannelSpec {
  std::string_view id, name;
  bool mutual;
  std::vector<std::string_view> levels;
  std::vector<double> values;  // empty, or one per level
  std::string_view unit;
  double visibility, salience, benefit, upkeep, openness, cost_up, cost_down, review_rate;
  std::string_view cameo_up, cameo_down;
  int base, bloc, ally;
};

// Taken in this order; more channels than this repeat it with a suffix ("trade_2"). Visibility follows
// MODEL.md: flights, ports and workers draw sanctions scrutiny, embassies and culture little.
const std::vector<ChannelSpec>& catalogue() {
  static const std::vector<ChannelSpec> specs = {
      {"embassy", "Embassy", false, {"none", "charge", "minister", "ambassador"}, {}, "",
       0.2, 0.9, 0.4, 0.1, 0.3, 0.4, 0.3, 0.03, "050", "161", 1, 3, 3},
      {"trade", "Trade", true, {"none", "small", "medium", "large"}, {0, 10, 100, 1000}, "USD m",
       0.8, 0.2, 1.0, 0.2, 0.1, 0.3, 0.3, 0.08, "061", "163", 1, 2, 2},
      {"visa", "Visa waiver", false, {"required", "waived"}, {}, "",
       0.4, 0.6, 0.3, 0.0, 0.0, 0.3, 0.2, 0.03, "081", "172", 0, 1, 1},
      {"aviation", "Landing rights", false, {"none", "charter", "scheduled"}, {}, "",
       0.9, 0.3, 0.5, 0.1, 0.1, 0.3, 0.2, 0.05, "060", "172", 0, 2, 1},
      {"port", "Port access", false, {"closed", "restricted", "open"}, {}, "",
       0.9, 0.3, 0.5, 0.1, 0.1, 0.3, 0.2, 0.05, "060", "172", 1, 2, 2},
      {"culture", "Cultural exchange", true, {"none", "exchanges", "programme"}, {}, "",
       0.1, 0.5, 0.3, 0.05, 0.2, 0.2, 0.2, 0.03, "043", "160", 0, 2, 1},
      {"workers", "Work permits", false, {"none", "some", "many"}, {}, "",
       1.0, 0.2, 0.6, 0.1, 0.0, 0.3, 0.2, 0.05, "060", "174", 0, 1, 1},
      {"security", "Security co-operation", true, {"none", "dialogue", "exercises", "treaty"}, {}, "",
       0.5, 0.8, 0.3, 0.2, 0.0, 0.5, 0.5, 0.02, "062", "166", 0, 1, 3},
      {"investment", "Investment", false, {"none", "small", "large"}, {}, "",
       0.7, 0.2, 0.8, 0.2, 0.0, 0.3, 0.3, 0.05, "061", "163", 0, 1, 2},
      {"science", "Science co-operation", true, {"none", "projects"}, {}, "",
       0.3, 0.3, 0.3, 0.05, 0.1, 0.2, 0.2, 0.03, "064", "160", 0, 1, 1},
      {"fisheries", "Fishing licences", false, {"closed", "licensed"}, {}, "",
       0.6, 0.2, 0.4, 0.1, 0.0, 0.2, 0.2, 0.05, "060", "172", 0, 1, 0},
      {"aid", "Development aid", false, {"none", "projects", "programme"}, {}, "",
       0.5, 0.6, 0.3, 0.1, 0.1, 0.3, 0.3, 0.04, "070", "162", 0, 1, 1},
  };
  return specs;
}

/// Random draws of one purpose. Each purpose has its own stream (core/rng.hpp), so that, for example,
/// asking for more channels changes no actor's weights. Boost's distributions: fixed algorithms, so a seed
/// gives the same file on every platform.
class Draws {
 public:
  Draws(std::uint64_t seed, std::string_view purpose) : engine_(combine_key({seed, name_key(purpose)})) {}
  double uniform(double low, double high) { return low + (high - low) * boost::random::uniform_01<double>()(engine_); }
  int integer(int low, int high) { return boost::random::uniform_int_distribution<int>(low, high)(engine_); }
  bool chance(double probability) { return uniform(0, 1) < probability; }
  /// A random order of 0..n−1 (Fisher–Yates).
  std::vector<int> permutation(int n) {
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) order[static_cast<std::size_t>(k)] = k;
    for (int k = n - 1; k > 0; --k) std::swap(order[static_cast<std::size_t>(k)], order[static_cast<std::size_t>(integer(0, k))]);
    return order;
  }

 private:
  KeyedEngine engine_;
};

/// `value` rounded to `decimals` places, written as TOML reads it back.
std::string number(double value, int decimals = 2) {
  const double scale = std::pow(10.0, decimals);
  return format_number(std::round(value * scale) / scale);
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

/// A TOML list of actor ids.
std::string id_list(const std::vector<int>& actors, const std::vector<std::string>& ids) {
  std::string text = "[";
  for (std::size_t k = 0; k < actors.size(); ++k) text += (k ? ", " : "") + quoted(ids[static_cast<std::size_t>(actors[k])]);
  return text + "]";
}

}  // namespace

std::vector<std::string> world_option_problems(const WorldOptions& options) {
  std::vector<std::string> problems;
  if (options.actors < world_min_actors || options.actors > world_max_actors)
    problems.push_back("--actors must be from " + std::to_string(world_min_actors) + " to " + std::to_string(world_max_actors) +
                       " (a world needs two alliance leaders, a sanctions target and a bystander), got " +
                       std::to_string(options.actors));
  if (options.channels < world_min_channels || options.channels > world_max_channels)
    problems.push_back("--channels must be from " + std::to_string(world_min_channels) + " to " +
                       std::to_string(world_max_channels) + ", got " + std::to_string(options.channels));
  if (options.years < world_min_years || options.years > world_max_years)
    problems.push_back("--years must be from " + std::to_string(world_min_years) + " to " + std::to_string(world_max_years) +
                       ", got " + std::to_string(options.years));
  const long long ties = static_cast<long long>(options.actors) * options.actors * options.channels;
  if (problems.empty() && ties > 50'000'000)
    problems.push_back("--actors " + std::to_string(options.actors) + " with --channels " + std::to_string(options.channels) +
                       " makes " + std::to_string(ties) + " ties (actors² × channels); scenarios allow at most 50000000");
  return problems;
}

std::string generate_world(const WorldOptions& options) {
  const int n = options.actors;
  const int months = 12 * options.years;
  const Date start = Date::from_ymd(2000, 1, 1);
  Calendar calendar{start, Date::from_ymd(2000 + options.years - 1, 12, 1), StepUnit::month};
  // the date `share` of the way through the run (first of a month plus a few days), never past its end
  auto date_at = [&](double share, int extra_months = 0, unsigned day = 1) {
    const int month = std::clamp(static_cast<int>(share * months) + extra_months, 0, months - 1);
    const Date first = calendar.date_of(month);
    const auto ymd = first.ymd();
    return Date::from_ymd(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), day).iso();
  };

  // ---- actors: sizes are lognormal (capabilities are heavy-tailed), weights spread around the ordinary
  std::vector<std::string> ids;
  const int width = std::max(3, static_cast<int>(std::to_string(n).size()));
  for (int k = 1; k <= n; ++k) {
    std::string digits = std::to_string(k);
    ids.push_back("A" + std::string(static_cast<std::size_t>(width) - digits.size(), '0') + digits);
  }
  Draws actor_draws(options.seed, "actors");
  std::vector<double> size(static_cast<std::size_t>(n));
  for (auto& s : size) {
    // exp of a sum of uniforms (≈ normal, σ ≈ 1.2): sizes span two orders of magnitude
    double z = 0;
    for (int k = 0; k < 4; ++k) z += actor_draws.uniform(-1.0, 1.0);
    s = std::max(0.05, std::round(10.0 * std::exp(1.04 * z)) / 10.0);
  }
  std::vector<int> by_size(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) by_size[static_cast<std::size_t>(k)] = k;
  std::stable_sort(by_size.begin(), by_size.end(), [&](int a, int b) { return size[static_cast<std::size_t>(a)] > size[static_cast<std::size_t>(b)]; });
  const int leader_1 = by_size[0], leader_2 = by_size[1], bystander = by_size[2];
  // the target: a middle-sized state, as sanctioned states usually are
  Draws role_draws(options.seed, "roles");
  const int target = by_size[static_cast<std::size_t>(role_draws.integer(std::max(3, n / 3), std::max(3, (2 * n) / 3 - 1)))];
  auto ix = [](int actor) { return static_cast<std::size_t>(actor); };

  // ---- blocs: a balanced random partition into regions of about twelve
  const int bloc_count = std::clamp((n + 6) / 12, 2, 40);
  Draws bloc_draws(options.seed, "blocs");
  std::vector<std::vector<int>> blocs(static_cast<std::size_t>(bloc_count));
  std::vector<int> bloc_of(static_cast<std::size_t>(n));
  {
    const auto order = bloc_draws.permutation(n);
    for (int p = 0; p < n; ++p) {
      const int actor = order[static_cast<std::size_t>(p)];
      bloc_of[ix(actor)] = p % bloc_count;
      blocs[static_cast<std::size_t>(p % bloc_count)].push_back(actor);
    }
    for (auto& members : blocs) std::sort(members.begin(), members.end());
  }

  // ---- alliances: the two largest lead rival camps; the target leans on the second leader
  Draws alliance_draws(options.seed, "alliances");
  std::vector<int> alliance_1{leader_1}, alliance_2{leader_2, target};
  std::vector<char> camp(static_cast<std::size_t>(n), 0);  // 1, 2 or 0 (non-aligned)
  camp[ix(leader_1)] = 1;
  camp[ix(leader_2)] = camp[ix(target)] = 2;
  for (int k = 0; k < n; ++k) {
    if (camp[ix(k)] || k == bystander) continue;
    const double draw = alliance_draws.uniform(0, 1);
    if (draw < 0.25) camp[ix(k)] = 1, alliance_1.push_back(k);
    else if (draw < 0.35) camp[ix(k)] = 2, alliance_2.push_back(k);
  }
  std::sort(alliance_1.begin(), alliance_1.end());
  std::sort(alliance_2.begin(), alliance_2.end());

  // ---- rivalries: pairs of neighbours (same bloc) with bad blood, the authors of random incidents
  std::vector<std::pair<int, int>> rivals;
  Draws rival_draws(options.seed, "rivals");
  for (int tries = 0; tries < 4 * n && static_cast<int>(rivals.size()) < std::max(1, n / 20); ++tries) {
    const auto& bloc = blocs[static_cast<std::size_t>(rival_draws.integer(0, bloc_count - 1))];
    if (bloc.size() < 2) continue;
    const int a = bloc[static_cast<std::size_t>(rival_draws.integer(0, static_cast<int>(bloc.size()) - 1))];
    const int b = bloc[static_cast<std::size_t>(rival_draws.integer(0, static_cast<int>(bloc.size()) - 1))];
    if (a == b || a == target || b == target) continue;
    if (std::find(rivals.begin(), rivals.end(), std::pair{std::min(a, b), std::max(a, b)}) != rivals.end()) continue;
    rivals.emplace_back(std::min(a, b), std::max(a, b));
  }

  // ---- channels
  struct ChannelOut {
    std::string id;
    const ChannelSpec* spec;
    int top;
  };
  std::vector<ChannelOut> channels;
  for (int c = 0; c < options.channels; ++c) {
    const auto& spec = catalogue()[static_cast<std::size_t>(c) % catalogue().size()];
    const int round = c / static_cast<int>(catalogue().size());
    channels.push_back({std::string(spec.id) + (round ? "_" + std::to_string(round + 1) : ""), &spec,
                        static_cast<int>(spec.levels.size()) - 1});
  }
  auto find_channel = [&](std::string_view id) -> const ChannelOut* {
    for (const auto& channel : channels)
      if (channel.id == id) return &channel;
    return nullptr;
  };
  // caps: `level(channel)` for every channel visible enough to be listed by a sanctions committee
  auto caps = [&](double min_visibility, auto level) {
    std::string text;
    for (const auto& channel : channels) {
      if (channel.spec->visibility < min_visibility) continue;
      text += (text.empty() ? "" : ", ") + channel.id + " = " + std::to_string(level(channel));
    }
    return "{ " + text + (text.empty() ? "}" : " }");
  };

  std::ostringstream out;
  out << "# A synthetic world, generated by:\n#   tiesim generate world --actors " << n << " --channels " << options.channels
      << " --years " << options.years << " --seed " << options.seed << "\n"
      << "# Structure: " << bloc_count << " regional blocs, two rival alliances led by the two largest actors ("
      << ids[ix(leader_1)] << ", " << ids[ix(leader_2)] << "), a sanctions target (" << ids[ix(target)]
      << ") leaning on the second leader,\n# a sanctions regime brought into force and tightened by three dated resolutions,"
      << " random provocations by the target and\n# random incidents between rival neighbours. Ids are generic (A001 …);"
      << " no actor stands for a real state.\n\n";

  out << "[scenario]\nname = \"world\"\n"
      << "description = \"Synthetic world: " << n << " actors, " << options.channels << " channels, " << options.years
      << " years (seed " << options.seed << ")\"\n"
      << "start = " << start.iso() << "\nend = " << calendar.end.iso() << "\nstep = \"month\"\n"
      << "spinup_steps = 24           # two years with no events so starting ties settle\n\n";

  out << "[model]\nbenefit_curvature = 0.5\nsize_exponent = 0.25\npressure_decay = 0.8\npressure_diffusion = 0.1\n"
      << "balance = 0.05\nreciprocity = 0.5\nevent_affect_scale = 0.5\naffect_default = 0.0\n\n";

  for (int k = 0; k < n; ++k) {
    const bool great = k == leader_1 || k == leader_2 || k == bystander;
    out << "[actors." << ids[ix(k)] << "]\nname = \"Actor " << (k + 1) << "\"\nsize = " << number(size[ix(k)], 2) << "\n"
        << "benefit = " << number(actor_draws.uniform(0.8, 1.5)) << "\n"
        << "affinity = " << number(actor_draws.uniform(1.5, 3.0)) << "\n"
        << "autonomy = " << number(actor_draws.uniform(0.0, 1.0)) << "\n";
    // the target rejects the regime against it and feels no scrutiny; everyone else values it somewhat
    const double compliance = actor_draws.uniform(0.3, 1.5), sensitivity = actor_draws.uniform(0.02, 0.2);
    out << "compliance = " << (k == target ? "0.0" : number(compliance)) << "\n"
        << "pressure_sensitivity = " << (k == target ? "0.0" : number(sensitivity)) << "\n"
        << "alignment = " << number(actor_draws.uniform(0.2, 0.6)) << "\n"
        << "anchoring = 0.1\nprecision = " << number(actor_draws.uniform(8.0, 15.0), 0) << "\n";
    const double strength = actor_draws.uniform(0.005, 0.01);
    if (great && k != leader_2) out << "pressure_strength = " << number(strength, 3) << "\n";
    out << "\n";
  }

  for (const auto& channel : channels) {
    const ChannelSpec& s = *channel.spec;
    out << "[channels." << channel.id << "]\nname = \"" << s.name << "\"\nkind = \"" << (s.mutual ? "mutual" : "directed") << "\"\nlevels = [";
    for (std::size_t l = 0; l < s.levels.size(); ++l) out << (l ? ", " : "") << quoted(s.levels[l]);
    out << "]\n";
    if (!s.values.empty()) {
      out << "values = [";
      for (std::size_t l = 0; l < s.values.size(); ++l) out << (l ? ", " : "") << format_number(s.values[l]);
      out << "]\nunit = " << quoted(s.unit) << "\n";
    }
    out << "visibility = " << number(s.visibility) << "\nsalience = " << number(s.salience) << "\nbenefit = " << number(s.benefit)
        << "\nupkeep = " << number(s.upkeep) << "\nopenness = " << number(s.openness) << "\ncost_up = " << number(s.cost_up)
        << "\ncost_down = " << number(s.cost_down) << "\nreview_rate = " << number(s.review_rate, 3) << "\ncameo_up = "
        << quoted(s.cameo_up) << "\ncameo_down = " << quoted(s.cameo_down) << "\n\n";
  }

  // ---- starting ties: everyone, then blocs, then alliances, then the target (later entries override)
  auto ties = [&](const std::string& from, const std::string& to, const ChannelOut& channel, int level, bool both_ways) {
    out << "[[ties]]\nfrom = " << from << "\nto = " << to << "\nchannel = " << quoted(channel.id) << "\nlevel = "
        << std::min(level, channel.top) << "\n";
    if (both_ways && !channel.spec->mutual) out << "both_ways = true\n";
    out << "\n";
  };
  for (const auto& channel : channels) ties("\"*\"", "\"*\"", channel, channel.spec->base, false);
  for (const auto& bloc : blocs)
    for (const auto& channel : channels) ties(id_list(bloc, ids), id_list(bloc, ids), channel, channel.spec->bloc, false);
  for (const auto* alliance : {&alliance_1, &alliance_2})
    for (const auto& channel : channels) ties(id_list(*alliance, ids), id_list(*alliance, ids), channel, channel.spec->ally, false);
  for (const int great : {leader_1, leader_2, bystander})
    if (const auto* embassy = find_channel("embassy")) ties(quoted(ids[ix(great)]), "\"*\"", *embassy, embassy->top, true);
  if (const auto* security = find_channel("security")) ties(id_list(alliance_1, ids), id_list(alliance_2, ids), *security, 0, false);
  out << "[[ties]]                    # the first camp keeps nothing with the target\nfrom = " << id_list(alliance_1, ids)
      << "\nto = " << quoted(ids[ix(target)]) << "\nchannel = \"*\"\nlevel = 0\nboth_ways = true\n\n";

  // ---- affect and its anchors: blocs warm, camps warm inside and cool across, the target disliked
  auto affect = [&](const std::string& from, const std::string& to, double value, bool both_ways) {
    out << "[[affect]]\nfrom = " << from << "\nto = " << to << "\nvalue = " << number(value) << "\n"
        << (both_ways ? "both_ways = true\n" : "") << "\n";
  };
  Draws affect_draws(options.seed, "affect");
  affect("\"*\"", quoted(ids[ix(target)]), -0.2, false);
  for (const auto& bloc : blocs) affect(id_list(bloc, ids), id_list(bloc, ids), affect_draws.uniform(0.2, 0.5), false);
  affect(id_list(alliance_1, ids), id_list(alliance_1, ids), 0.6, false);
  affect(id_list(alliance_2, ids), id_list(alliance_2, ids), 0.6, false);
  affect(id_list(alliance_1, ids), id_list(alliance_2, ids), -0.2, true);
  affect(quoted(ids[ix(leader_1)]), quoted(ids[ix(leader_2)]), -0.6, true);
  affect(id_list(alliance_1, ids), quoted(ids[ix(target)]), -0.6, true);
  affect(quoted(ids[ix(leader_2)]), quoted(ids[ix(target)]), 0.5, true);
  for (const auto& [a, b] : rivals) affect(quoted(ids[ix(a)]), quoted(ids[ix(b)]), -0.4, true);

  // ---- regimes
  for (std::size_t b = 0; b < blocs.size(); ++b)
    out << "[regimes.bloc_" << (b + 1) << "]\nname = \"Regional bloc " << (b + 1) << "\"\nkind = \"bloc\"\nmembers = "
        << id_list(blocs[b], ids) << "\ncohesion = " << number(bloc_draws.uniform(0.3, 0.7)) << "\n\n";
  out << "[regimes.alliance_1]\nname = \"First alliance\"\nkind = \"alliance\"\nmembers = " << id_list(alliance_1, ids)
      << "\ncohesion = 0.8\n\n";
  out << "[regimes.alliance_2]\nname = \"Second alliance\"\nkind = \"alliance\"\nmembers = " << id_list(alliance_2, ids)
      << "\ncohesion = 0.8\n\n";
  const std::string first_resolution = date_at(0.2, 0, 15);
  out << "[regimes.sanctions]\nname = \"Sanctions on " << ids[ix(target)] << "\"\nkind = \"sanctions\"\nmembers = \"*\"\ntargets = ["
      << quoted(ids[ix(target)]) << "]\ncaps = " << caps(0.95, [](const ChannelOut& c) { return c.top - 1; })
      << "\nenforcement = 0.5\nin_force = " << first_resolution << "\n\n";
  out << "[regimes.export_controls]   # the first leader's own law\nname = \"Export controls of " << ids[ix(leader_1)]
      << "\"\nkind = \"commitment\"\nmembers = [" << quoted(ids[ix(leader_1)]) << "]\ntargets = [" << quoted(ids[ix(target)])
      << "]\ncaps = " << caps(0.7, [](const ChannelOut&) { return 0; }) << "\nenforcement = 1.0\n\n";

  // ---- dated events: tests, then resolutions that bring the regime in and tighten it
  for (int k = 0; k < 3; ++k) {
    const double share = 0.18 + 0.2 * k;
    out << "[events.test_" << (k + 1) << "]\ndate = " << date_at(share, 0, 9) << "\nkind = \"provocation\"\nactor = "
        << quoted(ids[ix(target)]) << "\ngoldstein = -9.0\nlabel = \"Test " << (k + 1) << "\"\n\n";
    out << "[events.resolution_" << (k + 1) << "]\ndate = " << (k == 0 ? first_resolution : date_at(share + 0.02, 0, 15))
        << "\nkind = \"resolution\"\nregime = \"sanctions\"\nenforcement = " << number(0.5 + 0.5 * k) << "\ncaps = "
        << caps(0.5 + 0.2 * (2 - k), [k](const ChannelOut& c) { return k == 2 ? 0 : c.top / 2; }) << "\n";
    if (k == 1 && static_cast<int>((share + 0.02) * months) + 6 < months)
      out << "report_due = " << date_at(share + 0.02, 6, 15) << "\nreport_boost = 0.3\n";
    out << "label = \"Resolution " << (k + 1) << "\"\n\n";
  }
  if (!rivals.empty())
    out << "[events.incident_1]\ndate = " << date_at(0.3, 0, 20) << "\nkind = \"incident\"\nactor = " << quoted(ids[ix(rivals[0].first)])
        << "\npartner = " << quoted(ids[ix(rivals[0].second)]) << "\ncameo = \"174\"\nlabel = \"Diplomats expelled\"\n\n";
  {
    const auto& bloc = blocs[static_cast<std::size_t>(bloc_of[ix(leader_1)])];
    const int partner = bloc.front() == leader_1 ? bloc.back() : bloc.front();
    const auto* channel = find_channel("trade") ? find_channel("trade") : &channels.front();
    // five years, or the rest of the run when it is shorter (an agreement may not end after the run)
    const std::string until = date_at(0.1, 60, 5);
    out << "[events.agreement_1]\ndate = " << date_at(0.1, 0, 5) << "\nkind = \"agreement\"\nactor = " << quoted(ids[ix(leader_1)])
        << "\npartner = " << quoted(ids[ix(partner)]) << "\nchannel = " << quoted(channel->id) << "\nbenefit = 0.5\n"
        << (until <= calendar.end.iso() ? "until = " + until + "\n" : std::string()) << "label = \"Trade agreement\"\n\n";
  }
  out << "[events.council_seat]\ndate = " << date_at(0.25) << "\nkind = \"role\"\nactor = " << quoted(ids[ix(bystander)])
      << "\ncompliance = 0.5\nuntil = " << date_at(0.25, 23) << "\nlabel = \"Council seat\"\n\n";
  {
    const auto& bloc = blocs[static_cast<std::size_t>(bloc_of[ix(target)])];
    int pressed = bystander;
    for (int member : bloc)
      if (member != target && member != leader_1) pressed = member;
    out << "[events.lobbying_1]\ndate = " << date_at(0.45, 0, 10) << "\nkind = \"lobbying\"\nactor = " << quoted(ids[ix(leader_1)])
        << "\npartner = " << quoted(ids[ix(pressed)]) << "\nagainst = " << quoted(ids[ix(target)])
        << "\npressure = 1.0\naffect = 0.1\nlabel = \"Pressed over its ties with the target\"\n\n";
    out << "[plot]\nfocal = [" << quoted(ids[ix(pressed)]) << ", " << quoted(ids[ix(target)]) << "]\n\n";
  }

  // ---- random events: the target's tests, and incidents between rival neighbours
  out << "[random_events.tests]\nkind = \"provocation\"\nactor = " << quoted(ids[ix(target)])
      << "\nrate = 1.0\ngoldstein = -9.0\nlabel = \"Unscheduled test\"\n\n";
  for (std::size_t r = 0; r < std::min<std::size_t>(rivals.size(), 3); ++r)
    out << "[random_events.incidents_" << (r + 1) << "]\nkind = \"incident\"\nactor = " << quoted(ids[ix(rivals[r].first)])
        << "\npartner = " << quoted(ids[ix(rivals[r].second)]) << "\nrate = 0.2\ncameo = \"174\"\nlabel = \"Border incident\"\n\n";
  return out.str();
}

}  // namespace tiesim
