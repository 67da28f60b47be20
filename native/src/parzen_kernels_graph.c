/*
 * The graph network's per-edge kernels in C (see parzen_kernel_args.h): GATv2 scores and their gradient, the segment
 * sum, row gathers, the segment softmax, the attention-weighted segment sum and its gradient.
 */
#include "parzen_kernel_args.h"

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

int parzen_define_graph_kernels(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gatv2Scores", NULL, Gatv2Scores, NULL, NULL, NULL, napi_default, NULL},
      {"gatv2ScoresGrad", NULL, Gatv2ScoresGrad, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSum", NULL, SegmentSum, NULL, NULL, NULL, napi_default, NULL},
      {"gatherRows", NULL, GatherRows, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSoftmax", NULL, SegmentSoftmax, NULL, NULL, NULL, napi_default, NULL},
      {"weightedSegmentSum", NULL, WeightedSegmentSum, NULL, NULL, NULL, napi_default, NULL},
      {"weightedSegmentSumGrad", NULL, WeightedSegmentSumGrad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
