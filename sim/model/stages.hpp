#pragma once
/// The stages of step(), in the order it calls them (model/step.cpp). Internal to the model: each is defined
/// in the file named beside it, which opens with the equation it implements.
#include <cstdint>

#include "model/model.hpp"
#include "model/state.hpp"
#include "model/step.hpp"
#include "model/workspace.hpp"

namespace tiesim {

/// Effective weights: each actor's base weights plus every role in effect (model/events.cpp).
void refresh_weights(const Model& model, State& state);

/// 1. The step's exogenous events, dated and random, in order (model/events.cpp). Fills
/// workspace.situation.forced_review and workspace.pressure_shock.
void apply_events(const Model& model, State& state, std::uint64_t replicate_seed, Workspace& workspace,
                  StepRecord* record);

/// 2a. What every decision of the step shares: regimes in force, their targets, friends' hostility
/// (model/situation.cpp).
void derive_situation(const Model& model, const State& state, Workspace& workspace);

/// 2b. Pressure (model/pressure.cpp).
void update_pressure(const Model& model, State& state, Workspace& workspace);

/// 3a. The keys and thresholds of the step's review draws (model/review.cpp).
void plan_reviews(const Model& model, const State& state, std::uint64_t replicate_seed, ReviewPlan& plan);

/// 3b. Every reviewed tie's choice, row by row, into workspace.changes (model/decide.cpp).
void decide(const Model& model, const State& state, Workspace& workspace, const StepOptions& options);

/// 4. The decided changes applied in row order, logged, and felt by the partner (model/apply.cpp).
void apply_changes(const Model& model, State& state, Workspace& workspace, StepRecord* record);

/// 5. Affect (model/affect.cpp).
void update_affect(const Model& model, State& state, Workspace& workspace);

}  // namespace tiesim
