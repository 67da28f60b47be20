/*
 * The transformer's and the optimizer's per-row kernels in C (see parzen_kernel_args.h): bias + GELU and its gradient,
 * column sums, causal softmax and its gradient, layer norm and its gradient, the AdamW step.
 */
#include "parzen_kernel_args.h"

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

int parzen_define_dense_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"biasGelu", NULL, BiasGelu, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, LayerNorm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, LayerNormGrad, NULL, NULL, NULL, napi_default, NULL},
      {"biasGeluGrad", NULL, BiasGeluGrad, NULL, NULL, NULL, napi_default, NULL},
      {"columnSum", NULL, ColumnSum, NULL, NULL, NULL, napi_default, NULL},
      {"adamUpdate", NULL, AdamUpdate, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmax", NULL, CausalSoftmax, NULL, NULL, NULL, napi_default, NULL},
      {"causalSoftmaxGrad", NULL, CausalSoftmaxGrad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
