#include <catch2/catch.hpp>

#include <cstdlib>

#include "experiment/distributed.hpp"

using namespace tiesim;

TEST_CASE("the process count a launcher gives is read from its environment", "[distributed]") {
  const char* names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS"};
  for (const char* name : names) ::unsetenv(name);
  CHECK(launched_process_count() == 1);
  ::setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
  CHECK(launched_process_count() == 4);
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  ::setenv("PMI_SIZE", "3", 1);
  CHECK(launched_process_count() == 3);
  ::setenv("PMI_SIZE", "junk", 1);
  CHECK(launched_process_count() == 1);
  ::unsetenv("PMI_SIZE");
  // srun's task count counts only under PMIx: a batch script with --ntasks=8 is still one process
  ::setenv("SLURM_STEP_NUM_TASKS", "8", 1);
  CHECK(launched_process_count() == 1);
  ::setenv("PMIX_RANK", "0", 1);
  CHECK(launched_process_count() == 8);
  for (const char* name : names) ::unsetenv(name);
}
