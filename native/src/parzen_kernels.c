/*
 * parzen_kernels: the element-wise and per-row parts of parzen's fused kernels (src/ml/kernels/fused-*.ts) in C,
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

#define CHECK(env, call)                                        \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error((env), "PARZEN_NATIVE", #call " failed"); \
      return NULL;                                              \
    }                                                           \
  } while (0)

/* ---- argument helpers: arrays first, then non-negative integers, then up to 8 numbers ---- */

typedef struct {
  void *data[8];
  size_t len[8];
  int64_t n[8];
  double real[8];
} args_t;

/*
 * Reads `nArrays` typed arrays (float32, or int32 where `types` says 'i'), `nInts` non-negative integers and
 * `nReals` (at most 8) numbers from the call; throws a TypeError naming the kernel and the argument otherwise.
 */
static int read_args(napi_env env, napi_callback_info info, const char *kernel, const char *types, int nInts, int nReals, args_t *a) {
  const int nArrays = (int)strlen(types);
  const size_t expected = (size_t)(nArrays + nInts + nReals);
  size_t argc = 16;
  napi_value argv[16];
  char msg[160];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != expected) {
    snprintf(msg, sizeof msg, "%s: expected %zu arguments, got %zu", kernel, expected, argc);
    napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
    return 0;
  }
  for (int i = 0; i < nArrays; i++) {
    bool is_ta = false;
    napi_typedarray_type type;
    const napi_typedarray_type want = types[i] == 'i' ? napi_int32_array : napi_float32_array;
    if (napi_is_typedarray(env, argv[i], &is_ta) != napi_ok || !is_ta ||
        napi_get_typedarray_info(env, argv[i], &type, &a->len[i], &a->data[i], NULL, NULL) != napi_ok || type != want) {
      snprintf(msg, sizeof msg, "%s: argument %d must be an %s", kernel, i, types[i] == 'i' ? "Int32Array" : "Float32Array");
      napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
      return 0;
    }
  }
  for (int i = 0; i < nInts; i++) {
    if (napi_get_value_int64(env, argv[nArrays + i], &a->n[i]) != napi_ok || a->n[i] < 0 || a->n[i] > INT32_MAX) {
      snprintf(msg, sizeof msg, "%s: argument %d must be an integer in [0, 2^31)", kernel, nArrays + i);
      napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
      return 0;
    }
  }
  for (int i = 0; i < nReals; i++) {
    if (napi_get_value_double(env, argv[nArrays + nInts + i], &a->real[i]) != napi_ok) {
      snprintf(msg, sizeof msg, "%s: argument %d must be a number", kernel, nArrays + nInts + i);
      napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
      return 0;
    }
  }
  return 1;
}

/* Throws a RangeError unless array i holds at least `need` elements. */
static int need_len(napi_env env, const char *kernel, const args_t *a, int i, int64_t need) {
  if ((int64_t)a->len[i] >= need) return 1;
  char msg[160];
  snprintf(msg, sizeof msg, "%s: argument %d holds %zu elements, its shape needs %lld", kernel, i, a->len[i], (long long)need);
  napi_throw_range_error(env, "PARZEN_NATIVE_ARG", msg);
  return 0;
}

/* ---- bias + GELU ---- */

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

VECTOR_CLONES
static void bias_gelu(const float *restrict x, const float *restrict bias, float *restrict y, float *restrict slope, int64_t rows, int64_t cols) {
  const float inv_sqrt_2pi = 0.398942280401432678f;
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols, *sr = slope + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      const float u = xr[c] + bias[c];
      const float a = fabsf(u) * 0.707106781186547524f;
      const float t = 1.0f / (1.0f + 0.3275911f * a);
      const float e = exp_nonpositive(-a * a);
      const float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
      /* erf(u/√2) = sign(u)·(1 − poly·e), so u·Φ(u) = u/2 + |u|·h and Φ(u) = 1/2 + sign(u)·h with h = (1 − poly·e)/2. */
      const float h = 0.5f * (1.0f - poly * e);
      yr[c] = 0.5f * u + fabsf(u) * h;
      sr[c] = 0.5f + copysignf(h, u) + u * e * inv_sqrt_2pi;
    }
  }
}

/* biasGelu(x, bias, y, slope, rows, cols) */
static napi_value BiasGelu(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "biasGelu", "ffff", 2, 0, &a)) return NULL;
  const int64_t rows = a.n[0], cols = a.n[1];
  if (!need_len(env, "biasGelu", &a, 0, rows * cols) || !need_len(env, "biasGelu", &a, 1, cols) || !need_len(env, "biasGelu", &a, 2, rows * cols) ||
      !need_len(env, "biasGelu", &a, 3, rows * cols))
    return NULL;
  bias_gelu(a.data[0], a.data[1], a.data[2], a.data[3], rows, cols);
  return NULL;
}

/* dx = dy·slope (dy/du saved by the forward), dBias = Σ_rows dx in double (`acc`, cols doubles). */
VECTOR_CLONES
static void bias_gelu_grad(const float *restrict dy, const float *restrict slope, float *restrict dx, float *restrict dBias, double *restrict acc, int64_t rows,
                           int64_t cols) {
  memset(acc, 0, (size_t)cols * sizeof(double));
  for (int64_t r = 0; r < rows; r++) {
    const float *dyr = dy + r * cols, *sr = slope + r * cols;
    float *dxr = dx + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      const float g = dyr[c] * sr[c];
      dxr[c] = g;
      acc[c] += (double)g;
    }
  }
  for (int64_t c = 0; c < cols; c++) dBias[c] = (float)acc[c];
}

/* Column sums of x [rows, cols] in double (`acc`, cols doubles), written to out [cols]. */
VECTOR_CLONES
static void column_sum(const float *restrict x, float *restrict out, double *restrict acc, int64_t rows, int64_t cols) {
  memset(acc, 0, (size_t)cols * sizeof(double));
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    for (int64_t c = 0; c < cols; c++) acc[c] += (double)xr[c];
  }
  for (int64_t c = 0; c < cols; c++) out[c] = (float)acc[c];
}

/* A scratch array of n doubles: `stack` when it fits, else the heap (NULL when that fails; the caller throws). */
static double *scratch(double *stack, int64_t fits, int64_t n) { return n <= fits ? stack : malloc((size_t)n * sizeof(double)); }

/* biasGeluGrad(dy, slope, dx, dBias, rows, cols) */
static napi_value BiasGeluGrad(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "biasGeluGrad", "ffff", 2, 0, &a)) return NULL;
  const int64_t rows = a.n[0], cols = a.n[1];
  for (int i = 0; i < 4; i++)
    if (!need_len(env, "biasGeluGrad", &a, i, i == 3 ? cols : rows * cols)) return NULL;
  double stack[4096];
  double *acc = scratch(stack, 4096, cols);
  if (acc == NULL) {
    napi_throw_error(env, "PARZEN_NATIVE", "biasGeluGrad: out of memory");
    return NULL;
  }
  bias_gelu_grad(a.data[0], a.data[1], a.data[2], a.data[3], acc, rows, cols);
  if (acc != stack) free(acc);
  return NULL;
}

/* columnSum(x, out, rows, cols) */
static napi_value ColumnSum(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "columnSum", "ff", 2, 0, &a)) return NULL;
  const int64_t rows = a.n[0], cols = a.n[1];
  if (!need_len(env, "columnSum", &a, 0, rows * cols) || !need_len(env, "columnSum", &a, 1, cols)) return NULL;
  double stack[4096];
  double *acc = scratch(stack, 4096, cols);
  if (acc == NULL) {
    napi_throw_error(env, "PARZEN_NATIVE", "columnSum: out of memory");
    return NULL;
  }
  column_sum(a.data[0], a.data[1], acc, rows, cols);
  if (acc != stack) free(acc);
  return NULL;
}

/* ---- causal softmax ---- */

/* p = softmax(scale·s) over keys 0..q of each row (q = row index mod T), 0 above the diagonal; s, p [rows, T]. */
VECTOR_CLONES
static void causal_softmax(const float *restrict s, float *restrict p, int64_t rows, int64_t T, float scale) {
  for (int64_t r = 0; r < rows; r++) {
    const float *sr = s + r * T;
    float *pr = p + r * T;
    const int64_t q = r % T;
    float max = -INFINITY;
    for (int64_t k = 0; k <= q; k++) max = scale * sr[k] > max ? scale * sr[k] : max;
    float sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t k = 0; k <= q; k++) {
      const float e = exp_nonpositive(scale * sr[k] - max);
      pr[k] = e;
      sum += e;
    }
    const float inv = 1.0f / sum;
    for (int64_t k = 0; k <= q; k++) pr[k] *= inv;
    for (int64_t k = q + 1; k < T; k++) pr[k] = 0;
  }
}

/* ds = scale·p ⊙ (dp − Σ_k dp·p) row by row, 0 above the diagonal. */
VECTOR_CLONES
static void causal_softmax_grad(const float *restrict dp, const float *restrict p, float *restrict ds, int64_t rows, int64_t T, float scale) {
  for (int64_t r = 0; r < rows; r++) {
    const float *dpr = dp + r * T, *pr = p + r * T;
    float *dsr = ds + r * T;
    const int64_t q = r % T;
    float dot = 0;
#pragma omp simd reduction(+ : dot)
    for (int64_t k = 0; k <= q; k++) dot += dpr[k] * pr[k];
    for (int64_t k = 0; k <= q; k++) dsr[k] = scale * pr[k] * (dpr[k] - dot);
    for (int64_t k = q + 1; k < T; k++) dsr[k] = 0;
  }
}

/* causalSoftmax(s, p, rows, T, scale) */
static napi_value CausalSoftmax(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "causalSoftmax", "ff", 2, 1, &a)) return NULL;
  const int64_t rows = a.n[0], T = a.n[1];
  if (!need_len(env, "causalSoftmax", &a, 0, rows * T) || !need_len(env, "causalSoftmax", &a, 1, rows * T)) return NULL;
  if (T > 0) causal_softmax(a.data[0], a.data[1], rows, T, (float)a.real[0]);
  return NULL;
}

/* causalSoftmaxGrad(dp, p, ds, rows, T, scale) */
static napi_value CausalSoftmaxGrad(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "causalSoftmaxGrad", "fff", 2, 1, &a)) return NULL;
  const int64_t rows = a.n[0], T = a.n[1];
  for (int i = 0; i < 3; i++)
    if (!need_len(env, "causalSoftmaxGrad", &a, i, rows * T)) return NULL;
  if (T > 0) causal_softmax_grad(a.data[0], a.data[1], a.data[2], rows, T, (float)a.real[0]);
  return NULL;
}

/* ---- layer norm ---- */

/* Inlined into each vector clone of its callers. */
static inline void row_stats(const float *restrict x, int64_t cols, double eps, double *mean, double *rstd) {
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t c = 0; c < cols; c++) sum += x[c];
  const double m = sum / (double)cols;
  double sq = 0;
#pragma omp simd reduction(+ : sq)
  for (int64_t c = 0; c < cols; c++) {
    const double d = x[c] - m;
    sq += d * d;
  }
  *mean = m;
  *rstd = 1.0 / sqrt(sq / (double)cols + eps);
}

VECTOR_CLONES
static void layer_norm(const float *restrict x, const float *restrict gain, const float *restrict bias, float *restrict y, int64_t rows, int64_t cols, double eps) {
  for (int64_t r = 0; r < rows; r++) {
    double mean, rstd;
    row_stats(x + r * cols, cols, eps, &mean, &rstd);
    const float m = (float)mean, s = (float)rstd;
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    for (int64_t c = 0; c < cols; c++) yr[c] = (xr[c] - m) * s * gain[c] + bias[c];
  }
}

/* layerNorm(x, gain, bias, y, rows, cols, eps) */
static napi_value LayerNorm(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "layerNorm", "ffff", 2, 1, &a)) return NULL;
  const int64_t rows = a.n[0], cols = a.n[1];
  if (!need_len(env, "layerNorm", &a, 0, rows * cols) || !need_len(env, "layerNorm", &a, 1, cols) || !need_len(env, "layerNorm", &a, 2, cols) ||
      !need_len(env, "layerNorm", &a, 3, rows * cols))
    return NULL;
  if (cols > 0) layer_norm(a.data[0], a.data[1], a.data[2], a.data[3], rows, cols, a.real[0]);
  return NULL;
}

/*
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ; dγ = Σ_rows dy·x̂, dβ = Σ_rows dy (accumulated in double in
 * `acc`, 2·cols doubles the caller provides, then written to dGain and dBias).
 */
VECTOR_CLONES
static void layer_norm_grad(const float *restrict dy, const float *restrict x, const float *restrict gain, float *restrict dx, float *restrict dGain,
                            float *restrict dBias, double *restrict acc, int64_t rows, int64_t cols, double eps) {
  double *accGain = acc, *accBias = acc + cols;
  memset(acc, 0, (size_t)(2 * cols) * sizeof(double));
  for (int64_t r = 0; r < rows; r++) {
    double mean, rstd;
    const float *xr = x + r * cols, *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    row_stats(xr, cols, eps, &mean, &rstd);
    const float m = (float)mean, s = (float)rstd;
    float sumG = 0, sumGx = 0;
#pragma omp simd reduction(+ : sumG, sumGx)
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - m) * s;
      const float g = dyr[c] * gain[c];
      sumG += g;
      sumGx += g * xhat;
    }
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - m) * s;
      accGain[c] += (double)(dyr[c] * xhat);
      accBias[c] += (double)dyr[c];
    }
    const float meanG = sumG / (float)cols, meanGx = sumGx / (float)cols;
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - m) * s;
      dxr[c] = s * (dyr[c] * gain[c] - meanG - xhat * meanGx);
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    dGain[c] = (float)accGain[c];
    dBias[c] = (float)accBias[c];
  }
}

/* layerNormGrad(dy, x, gain, dx, dGain, dBias, rows, cols, eps) */
static napi_value LayerNormGrad(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "layerNormGrad", "ffffff", 2, 1, &a)) return NULL;
  const int64_t rows = a.n[0], cols = a.n[1];
  for (int i = 0; i < 6; i++) {
    const int64_t need = (i == 2 || i == 4 || i == 5) ? cols : rows * cols;
    if (!need_len(env, "layerNormGrad", &a, i, need)) return NULL;
  }
  if (cols == 0) return NULL;
  double stack[2 * 1024];
  double *acc = cols <= 1024 ? stack : malloc((size_t)(2 * cols) * sizeof(double));
  if (acc == NULL) {
    napi_throw_error(env, "PARZEN_NATIVE", "layerNormGrad: out of memory");
    return NULL;
  }
  layer_norm_grad(a.data[0], a.data[1], a.data[2], a.data[3], a.data[4], a.data[5], acc, rows, cols, a.real[0]);
  if (acc != stack) free(acc);
  return NULL;
}

/* ---- GATv2 attention logits ---- */

/* e[i, h] = Σ_d a[h, d]·LeakyReLU(src + dst + edge)[i, h, d], LeakyReLU(z) = p·z + q·|z|. */
VECTOR_CLONES
static void gatv2_scores(const float *restrict src, const float *restrict dst, const float *restrict edge, const float *restrict attn, float *restrict scores,
                         int64_t E, int64_t H, int64_t hd, float slope) {
  const float p = 0.5f * (1 + slope), q = 0.5f * (1 - slope);
  for (int64_t i = 0; i < E; i++) {
    for (int64_t h = 0; h < H; h++) {
      const int64_t base = (i * H + h) * hd;
      const float *ah = attn + h * hd;
      float acc = 0;
#pragma omp simd reduction(+ : acc)
      for (int64_t d = 0; d < hd; d++) {
        const float z = src[base + d] + dst[base + d] + edge[base + d];
        acc += ah[d] * (p * z + q * fabsf(z));
      }
      scores[i * H + h] = acc;
    }
  }
}

/* gatv2Scores(src, dst, edge, attn, scores, E, H, hd, slope) */
static napi_value Gatv2Scores(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "gatv2Scores", "fffff", 3, 1, &a)) return NULL;
  const int64_t E = a.n[0], H = a.n[1], hd = a.n[2];
  for (int i = 0; i < 5; i++) {
    const int64_t need = i < 3 ? E * H * hd : i == 3 ? H * hd : E * H;
    if (!need_len(env, "gatv2Scores", &a, i, need)) return NULL;
  }
  gatv2_scores(a.data[0], a.data[1], a.data[2], a.data[3], a.data[4], E, H, hd, (float)a.real[0]);
  return NULL;
}

/*
 * dz[i, h, d] = de[i, h]·a[h, d]·(z > 0 ? 1 : slope) (the slope at z = 0, as tfjs' LeakyReLU gradient);
 * da[h, d] = Σ_i de[i, h]·LeakyReLU(z) in double, in `acc` (H·hd doubles).
 */
VECTOR_CLONES
static void gatv2_scores_grad(const float *restrict dScores, const float *restrict src, const float *restrict dst, const float *restrict edge,
                              const float *restrict attn, float *restrict dz, float *restrict dAttn, double *restrict acc, int64_t E, int64_t H, int64_t hd,
                              float slope) {
  const float p = 0.5f * (1 + slope), q = 0.5f * (1 - slope);
  memset(acc, 0, (size_t)(H * hd) * sizeof(double));
  for (int64_t i = 0; i < E; i++) {
    for (int64_t h = 0; h < H; h++) {
      const int64_t base = (i * H + h) * hd;
      const float g = dScores[i * H + h];
      const float *ah = attn + h * hd;
      double *acch = acc + h * hd;
      for (int64_t d = 0; d < hd; d++) {
        const float z = src[base + d] + dst[base + d] + edge[base + d];
        dz[base + d] = g * ah[d] * (z > 0 ? 1.0f : slope);
        acch[d] += (double)(g * (p * z + q * fabsf(z)));
      }
    }
  }
  for (int64_t j = 0; j < H * hd; j++) dAttn[j] = (float)acc[j];
}

/* gatv2ScoresGrad(dScores, src, dst, edge, attn, dz, dAttn, E, H, hd, slope) */
static napi_value Gatv2ScoresGrad(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "gatv2ScoresGrad", "fffffff", 3, 1, &a)) return NULL;
  const int64_t E = a.n[0], H = a.n[1], hd = a.n[2];
  for (int i = 0; i < 7; i++) {
    const int64_t need = i == 0 ? E * H : (i == 4 || i == 6) ? H * hd : E * H * hd;
    if (!need_len(env, "gatv2ScoresGrad", &a, i, need)) return NULL;
  }
  double stack[4096];
  double *acc = H * hd <= 4096 ? stack : malloc((size_t)(H * hd) * sizeof(double));
  if (acc == NULL) {
    napi_throw_error(env, "PARZEN_NATIVE", "gatv2ScoresGrad: out of memory");
    return NULL;
  }
  gatv2_scores_grad(a.data[0], a.data[1], a.data[2], a.data[3], a.data[4], a.data[5], a.data[6], acc, E, H, hd, (float)a.real[0]);
  if (acc != stack) free(acc);
  return NULL;
}

/* ---- segment sum ---- */

VECTOR_CLONES
static void segment_sum(const float *restrict values, const int32_t *restrict ids, float *restrict out, int64_t n, int64_t inner) {
  for (int64_t i = 0; i < n; i++) {
    const int32_t s = ids[i];
    if (s < 0) continue;
    const float *v = values + i * inner;
    float *o = out + (int64_t)s * inner;
    for (int64_t j = 0; j < inner; j++) o[j] += v[j];
  }
}

/*
 * segmentSum(values, ids, out, n, inner, numSegments): out[s] = Σ_{i: ids[i] = s} values[i] over rows of `inner`
 * floats, in float32 in place in `out` (zeroed first); negative ids are dropped. Returns -1, or the first
 * position whose id is >= numSegments (nothing is written then), for the caller's error message.
 */
static napi_value SegmentSum(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "segmentSum", "fif", 3, 0, &a)) return NULL;
  const int64_t n = a.n[0], inner = a.n[1], numSegments = a.n[2];
  if (!need_len(env, "segmentSum", &a, 0, n * inner) || !need_len(env, "segmentSum", &a, 1, n) || !need_len(env, "segmentSum", &a, 2, numSegments * inner))
    return NULL;
  const int32_t *ids = a.data[1];
  int64_t bad = -1;
  for (int64_t i = 0; i < n && bad < 0; i++)
    if (ids[i] >= numSegments) bad = i;
  if (bad < 0) {
    memset(a.data[2], 0, (size_t)(numSegments * inner) * sizeof(float));
    segment_sum(a.data[0], ids, a.data[2], n, inner);
  }
  napi_value result;
  CHECK(env, napi_create_int64(env, bad, &result));
  return result;
}

/*
 * gatherRows(x, idx, out, rows, D, n): out[r] = x[idx[r]] for r < n, rows of D floats. Returns -1, or the first
 * position whose index is outside [0, rows) (nothing is written then), for the caller's error message.
 */
static napi_value GatherRows(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "gatherRows", "fif", 3, 0, &a)) return NULL;
  const int64_t rows = a.n[0], D = a.n[1], n = a.n[2];
  if (!need_len(env, "gatherRows", &a, 0, rows * D) || !need_len(env, "gatherRows", &a, 1, n) || !need_len(env, "gatherRows", &a, 2, n * D)) return NULL;
  const int32_t *idx = a.data[1];
  int64_t bad = -1;
  for (int64_t r = 0; r < n && bad < 0; r++)
    if (idx[r] < 0 || idx[r] >= rows) bad = r;
  if (bad < 0) {
    const float *x = a.data[0];
    float *out = a.data[2];
    for (int64_t r = 0; r < n; r++) memcpy(out + r * D, x + (int64_t)idx[r] * D, (size_t)D * sizeof(float));
  }
  napi_value result;
  CHECK(env, napi_create_int64(env, bad, &result));
  return result;
}

/* ---- segment softmax ---- */

/*
 * α[e, h] = exp(l[e, h] − max_s) / Σ_s exp(…) over the rows e with ids[e] = s, per column h; `work` holds
 * 2·numSegments·H floats (maxima, then sums). Ids are in range (the caller checks).
 */
static void segment_softmax(const float *restrict logits, const int32_t *restrict ids, float *restrict alpha, float *restrict work, int64_t E, int64_t H,
                            int64_t numSegments) {
  float *max = work, *sum = work + numSegments * H;
  for (int64_t j = 0; j < numSegments * H; j++) {
    max[j] = -INFINITY;
    sum[j] = 0;
  }
  for (int64_t e = 0; e < E; e++) {
    float *m = max + (int64_t)ids[e] * H;
    const float *l = logits + e * H;
    for (int64_t h = 0; h < H; h++) m[h] = l[h] > m[h] ? l[h] : m[h];
  }
  for (int64_t e = 0; e < E; e++) {
    const int64_t s = (int64_t)ids[e] * H;
    for (int64_t h = 0; h < H; h++) {
      const float ex = exp_nonpositive(logits[e * H + h] - max[s + h]);
      alpha[e * H + h] = ex;
      sum[s + h] += ex;
    }
  }
  for (int64_t e = 0; e < E; e++) {
    const int64_t s = (int64_t)ids[e] * H;
    for (int64_t h = 0; h < H; h++) alpha[e * H + h] /= sum[s + h];
  }
}

/* segmentSoftmax(logits, ids, alpha, E, H, numSegments): returns -1, or the first position whose id is outside [0, numSegments). */
static napi_value SegmentSoftmax(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "segmentSoftmax", "fif", 3, 0, &a)) return NULL;
  const int64_t E = a.n[0], H = a.n[1], numSegments = a.n[2];
  if (!need_len(env, "segmentSoftmax", &a, 0, E * H) || !need_len(env, "segmentSoftmax", &a, 1, E) || !need_len(env, "segmentSoftmax", &a, 2, E * H)) return NULL;
  const int32_t *ids = a.data[1];
  int64_t bad = -1;
  for (int64_t e = 0; e < E && bad < 0; e++)
    if (ids[e] < 0 || ids[e] >= numSegments) bad = e;
  if (bad < 0 && E > 0 && H > 0) {
    float *work = malloc((size_t)(2 * numSegments * H) * sizeof(float));
    if (work == NULL) {
      napi_throw_error(env, "PARZEN_NATIVE", "segmentSoftmax: out of memory");
      return NULL;
    }
    segment_softmax(a.data[0], ids, a.data[2], work, E, H, numSegments);
    free(work);
  }
  napi_value result;
  CHECK(env, napi_create_int64(env, bad, &result));
  return result;
}

/* ---- attention-weighted segment sum ---- */

/* Returns -1, or the first position e < E whose id is outside [0, numSegments). */
static int64_t first_bad_id(const int32_t *ids, int64_t E, int64_t numSegments) {
  for (int64_t e = 0; e < E; e++)
    if (ids[e] < 0 || ids[e] >= numSegments) return e;
  return -1;
}

/* out[s, h, :] = Σ_{e : ids[e] = s} α[e, h]·x[e, h, :]; out [numSegments, H·hd] zeroed first. */
VECTOR_CLONES
static void weighted_segment_sum(const float *restrict x, const float *restrict alpha, const int32_t *restrict ids, float *restrict out, int64_t E, int64_t H,
                                 int64_t hd, int64_t numSegments) {
  const int64_t D = H * hd;
  memset(out, 0, (size_t)(numSegments * D) * sizeof(float));
  for (int64_t e = 0; e < E; e++) {
    float *o = out + (int64_t)ids[e] * D;
    const float *xe = x + e * D;
    for (int64_t h = 0; h < H; h++) {
      const float a = alpha[e * H + h];
      for (int64_t d = 0; d < hd; d++) o[h * hd + d] += a * xe[h * hd + d];
    }
  }
}

/* dx[e, h, :] = α[e, h]·dy[ids[e], h, :]; dα[e, h] = Σ_d dy[ids[e], h, d]·x[e, h, d]. */
VECTOR_CLONES
static void weighted_segment_sum_grad(const float *restrict dy, const float *restrict x, const float *restrict alpha, const int32_t *restrict ids,
                                      float *restrict dx, float *restrict dAlpha, int64_t E, int64_t H, int64_t hd) {
  const int64_t D = H * hd;
  for (int64_t e = 0; e < E; e++) {
    const float *g = dy + (int64_t)ids[e] * D;
    const float *xe = x + e * D;
    float *dxe = dx + e * D;
    for (int64_t h = 0; h < H; h++) {
      const float a = alpha[e * H + h];
      float acc = 0;
#pragma omp simd reduction(+ : acc)
      for (int64_t d = 0; d < hd; d++) {
        dxe[h * hd + d] = a * g[h * hd + d];
        acc += g[h * hd + d] * xe[h * hd + d];
      }
      dAlpha[e * H + h] = acc;
    }
  }
}

/* weightedSegmentSum(x, alpha, ids, out, E, H, hd, numSegments) */
static napi_value WeightedSegmentSum(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "weightedSegmentSum", "ffif", 4, 0, &a)) return NULL;
  const int64_t E = a.n[0], H = a.n[1], hd = a.n[2], numSegments = a.n[3];
  if (!need_len(env, "weightedSegmentSum", &a, 0, E * H * hd) || !need_len(env, "weightedSegmentSum", &a, 1, E * H) || !need_len(env, "weightedSegmentSum", &a, 2, E) ||
      !need_len(env, "weightedSegmentSum", &a, 3, numSegments * H * hd))
    return NULL;
  const int64_t bad = first_bad_id(a.data[2], E, numSegments);
  if (bad < 0) weighted_segment_sum(a.data[0], a.data[1], a.data[2], a.data[3], E, H, hd, numSegments);
  napi_value result;
  CHECK(env, napi_create_int64(env, bad, &result));
  return result;
}

/* weightedSegmentSumGrad(dy, x, alpha, ids, dx, dAlpha, E, H, hd, numSegments) */
static napi_value WeightedSegmentSumGrad(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "weightedSegmentSumGrad", "fffiff", 4, 0, &a)) return NULL;
  const int64_t E = a.n[0], H = a.n[1], hd = a.n[2], numSegments = a.n[3];
  const int64_t need[6] = {numSegments * H * hd, E * H * hd, E * H, E, E * H * hd, E * H};
  for (int i = 0; i < 6; i++)
    if (!need_len(env, "weightedSegmentSumGrad", &a, i, need[i])) return NULL;
  const int64_t bad = first_bad_id(a.data[3], E, numSegments);
  if (bad < 0) weighted_segment_sum_grad(a.data[0], a.data[1], a.data[2], a.data[3], a.data[4], a.data[5], E, H, hd);
  napi_value result;
  CHECK(env, napi_create_int64(env, bad, &result));
  return result;
}

/* ---- Adam with decoupled decay ---- */

VECTOR_CLONES
static void adam_update(const float *restrict w, const float *restrict g, float *restrict m, float *restrict v, float *restrict out, int64_t n, double beta1,
                        double beta2, double epsilon, double stepSize, double decay) {
  const double c1 = 1 - beta1, c2 = 1 - beta2;
  for (int64_t i = 0; i < n; i++) {
    const double gi = g[i];
    const float mi = (float)(beta1 * m[i] + c1 * gi);
    const float vi = (float)(beta2 * v[i] + c2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    const double wi = w[i];
    out[i] = (float)(wi - (stepSize * mi) / (sqrt((double)vi) + epsilon) - decay * wi);
  }
}

/*
 * adamUpdate(w, g, m, v, out, n, beta1, beta2, epsilon, stepSize, decay): m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²
 * in place; out = w − stepSize·m/(√v + ε) − decay·w.
 */
static napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, "adamUpdate", "fffff", 1, 5, &a)) return NULL;
  const int64_t n = a.n[0];
  for (int i = 0; i < 5; i++)
    if (!need_len(env, "adamUpdate", &a, i, n)) return NULL;
  adam_update(a.data[0], a.data[1], a.data[2], a.data[3], a.data[4], n, a.real[0], a.real[1], a.real[2], a.real[3], a.real[4]);
  return NULL;
}

int parzen_define_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"biasGelu", NULL, BiasGelu, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, LayerNorm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, LayerNormGrad, NULL, NULL, NULL, napi_default, NULL},
      {"gatv2Scores", NULL, Gatv2Scores, NULL, NULL, NULL, napi_default, NULL},
      {"gatv2ScoresGrad", NULL, Gatv2ScoresGrad, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSum", NULL, SegmentSum, NULL, NULL, NULL, napi_default, NULL},
      {"gatherRows", NULL, GatherRows, NULL, NULL, NULL, napi_default, NULL},
      {"biasGeluGrad", NULL, BiasGeluGrad, NULL, NULL, NULL, napi_default, NULL},
      {"columnSum", NULL, ColumnSum, NULL, NULL, NULL, napi_default, NULL},
      {"adamUpdate", NULL, AdamUpdate, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSoftmax", NULL, SegmentSoftmax, NULL, NULL, NULL, napi_default, NULL},
      {"weightedSegmentSum", NULL, WeightedSegmentSum, NULL, NULL, NULL, napi_default, NULL},
      {"weightedSegmentSumGrad", NULL, WeightedSegmentSumGrad, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmax", NULL, CausalSoftmax, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmaxGrad", NULL, CausalSoftmaxGrad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
