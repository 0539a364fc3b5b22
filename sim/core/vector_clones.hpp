#pragma once
/// TIESIM_VECTOR_CLONES before a function builds it for AVX2 and AVX-512 too where the compiler can (GCC on
/// x86-64), the best chosen at load time. Only for code whose results cannot depend on the instruction set:
/// integer arithmetic, or floating-point loops that vectorise across independent results (each result's own
/// operations stay in order, and -ffp-contract=off forbids fused multiply-adds).
///
/// Not under ThreadSanitizer: the clones' resolver runs while the program is being loaded, before the TSan
/// runtime is set up, and its instrumented code crashes every program at start.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define TIESIM_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
#else
#define TIESIM_VECTOR_CLONES
#endif
