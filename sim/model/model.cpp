#include "model/model.hpp"

#include "core/rng.hpp"

namespace tiesim {

Weights& Weights::operator+=(const Weights& other) {
  benefit += other.benefit;
  affinity += other.affinity;
  autonomy += other.autonomy;
  compliance += other.compliance;
  pressure_sensitivity += other.pressure_sensitivity;
  alignment += other.alignment;
  return *this;
}

void Model::finalize() {
  actor_keys.clear();
  channel_keys.clear();
  for (const auto& actor : actors) actor_keys.push_back(name_key(actor.id));
  for (const auto& channel : channels) channel_keys.push_back(name_key(channel.id));
}

}  // namespace tiesim
