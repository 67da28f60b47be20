/*
 * parzen_kernels_dense.c, parzen_kernels_graph.c: the element-wise and per-row parts of parzen's fused kernels (src/ml/kernels/fused-*.ts) in C,
 * for the same zero-copy views of the wasm heap the matrix products take. Each is the JS kernel's loop written so
 * the compiler vectorises it (one clone per vector width, picked at load time), with no branch on the data: the
 * JS versions cost 3-15 ns an element, mostly Math.exp and branch mispredictions on signs.
 *
 * The maths, and the JS versions these must agree with (tests/ml/kernels/native-kernels-match-the-js-kernels):
 *   biasGelu(Grad)   src/ml/kernels/fused-gelu.ts (A&S 7.1.26 erf, the form tfjs' Erf kernel uses)
 *   columnSum        src/ml/kernels/fused-column-sum.ts
 *   causalSoftmax(Grad) src/ml/kernels/fused-causal-softmax.ts
 *   layerNorm(Grad)  src/ml/kernels/fused-layer-norm.ts
 *   gatv2Scores(Grad) src/ml/kernels/fused-gatv2-scores.ts
 *   segmentSum       src/ml/kernels/unsorted-segment-sum.ts (float32 values, int32 ids)
 *   gatherRows       src/ml/kernels/fused-gather-rows.ts
 *   segmentSoftmax   src/ml/kernels/fused-segment-softmax.ts (forward)
 *   weightedSegmentSum(Grad) src/ml/kernels/fused-weighted-segment-sum.ts
 *   adamUpdate       src/ml/kernels/adam-update.ts (in double, rounded to float32 on store, as the JS loop)
 * Array lengths are checked against the dimensions before any loop runs: a short array is a RangeError in
 * JavaScript, never a read or write out of range.
 */
#ifndef PARZEN_KERNEL_ARGS_H
#define PARZEN_KERNEL_ARGS_H
#include <math.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parzen_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/* ---- argument helpers (parzen_kernels.c): arrays first, then non-negative integers, then up to 8 numbers ---- */

typedef struct {
  void *data[8];
  size_t len[8];
  int64_t n[8];
  double real[8];
} args_t;

int read_args(napi_env env, napi_callback_info info, const char *kernel, const char *types, int nInts, int nReals, args_t *a);
int need_len(napi_env env, const char *kernel, const args_t *a, int i, int64_t need);
/* A scratch array of n doubles: `stack` when it fits, else the heap (NULL when that fails; the caller throws). */
double *scratch(double *stack, int64_t fits, int64_t n);
/* Returns -1, or the first position e < E whose id is outside [0, numSegments). */
int64_t first_bad_id(const int32_t *ids, int64_t E, int64_t numSegments);

int parzen_define_dense_kernels(napi_env env, napi_value exports);
int parzen_define_graph_kernels(napi_env env, napi_value exports);


/*
 * e^x for x <= 0 in float32 without a branch: x = k·ln2 + r, |r| <= ln2/2, e^r by its degree-6 Taylor polynomial
 * (relative error < 2e-7 on that range), 2^k built in the exponent bits. Below -87 the result is 0 (e^-87 ≈ 1.6e-38,
 * the smallest normal float, and A&S's erf needs no more).
 */
static inline float exp_nonpositive(float x) {
  const float xc = x < -87.0f ? -87.0f : x;
  /* k = round(xc / ln2) by the 1.5·2^23 trick (float addition rounds to nearest; the compiler vectorises it). */
  const float k = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = xc - k * 0.693145751953125f - k * 1.42860682030941723e-6f;
  const float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
  const int32_t bits = ((int32_t)k + 127) << 23;
  float two_k;
  memcpy(&two_k, &bits, sizeof two_k);
  return x < -87.0f ? 0.0f : p * two_k;
}


#endif
