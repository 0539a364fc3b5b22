#pragma once
/// Sweeps across MPI ranks (`mpirun -np N tiesim sweep …`): rank 0 hands out runs one at a time and writes
/// the results in run order; the other ranks compute. Built when TIESIM_MPI is on; otherwise every function
/// here describes a single process.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace tiesim {

/// Starts MPI when the program was launched by mpirun (or srun); does nothing otherwise. Idempotent.
void start_distributed(int& argc, char**& argv);
/// Ends MPI if it was started.
void stop_distributed();
int process_rank();   // 0 in a single process
int process_count();  // 1 in a single process

/// Whether this program was built with MPI (TIESIM_MPI).
bool built_with_mpi();
/// How many processes a launcher started side by side, as its environment says (Open MPI's
/// OMPI_COMM_WORLD_SIZE, MPICH's and Intel MPI's PMI_SIZE, MVAPICH's MV2_COMM_WORLD_SIZE, srun's
/// SLURM_STEP_NUM_TASKS under PMIx); 1 when none did. A build without MPI refuses to run as several.
int launched_process_count();

/// The work of a sweep, as the distributed layer sees it: run → row text and whether the run failed.
struct RunWork {
  std::function<std::pair<std::string, bool>(std::size_t run)> compute;
};

/// Rank 0: hands runs [first, end) to the other ranks and to `local` (called on a thread of its own, it takes
/// runs from the same counter via `next`), delivering every result to `deliver` on the calling thread.
/// Returns when every run is delivered, or when a stop was requested (throws Interrupted).
void coordinate_runs(std::size_t first, std::size_t end, const RunWork& work,
                     const std::function<void(std::size_t, std::string, bool)>& deliver);

/// Other ranks: compute the runs rank 0 sends until it says stop.
void serve_runs(const RunWork& work);

/// Rank 0, on an error before or while coordinating: tells every waiting rank to stop.
void release_ranks();

/// For work every rank steps through together (ABC-SMC's batches of proposals): each rank has filled the
/// entries it owns (index % process_count() == process_rank()) and left the others 0; afterwards every rank
/// holds every entry. Exact, since each entry is one rank's value summed with zeros. Nothing in a single process.
void share_owned_entries(std::vector<double>& values);

}  // namespace tiesim
