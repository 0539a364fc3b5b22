#include <catch2/catch.hpp>

#include "core/progress.hpp"

using namespace tiesim;

TEST_CASE("a progress line gives the count, the share, the rate and the time left", "[progress]") {
  CHECK(progress_text("runs", 3, 10, 3, 2.0) == "runs 3/10 (30%)  1.5 runs/s  ETA 5 s");
  // a resumed sweep: the rate counts only what this process did
  CHECK(progress_text("runs", 6, 10, 2, 4.0) == "runs 6/10 (60%)  0.5 runs/s  ETA 8 s");
  CHECK(progress_text("evaluations", 4, 4, 4, 1.0, "best loss 0.25") ==
        "evaluations 4/4 (100%)  4.0 evaluations/s  ETA 0 s  best loss 0.25");
  // nothing done yet: no rate, no estimate
  CHECK(progress_text("replicates", 0, 0, 0, 0.0) == "replicates 0/0 (100%)  0.0 replicates/s  ETA 0 s");
}

TEST_CASE("a progress line draws nothing unless asked and on a terminal", "[progress]") {
  ProgressLine unwanted("runs", 5, 0, false);
  CHECK_FALSE(unwanted.shown());
  unwanted.advance();
  unwanted.finish();
}
