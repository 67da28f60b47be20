/*
 * parzen_blas: matrix products for TensorFlow.js's wasm backend over the system's CBLAS (Debian's OpenBLAS).
 *
 * Every function works in place on typed arrays the caller passes: for the wasm backend these are views into the
 * WebAssembly heap (backend.typedArrayFromHeap), so no element is copied. The call is synchronous and allocates no
 * JavaScript memory, so the heap cannot grow (and the views cannot be invalidated) while it runs.
 * Bounds are checked before BLAS is called: a short array is a TypeError in JavaScript, never a write out of range.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cblas.h>

#include "parzen_kernels.h"

#ifdef PARZEN_OPENBLAS
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
#endif

static int get_f32(napi_env env, napi_value v, const char *name, float **data, size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) goto bad;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, NULL, NULL) != napi_ok || type != napi_float32_array) goto bad;
  *data = (float *)ptr;
  return 1;
bad: {
    char msg[128];
    snprintf(msg, sizeof msg, "sgemmBatched: %s must be a Float32Array", name);
    napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
    return 0;
  }
}

static int get_i64(napi_env env, napi_value v, const char *name, int64_t *out) {
  if (napi_get_value_int64(env, v, out) != napi_ok || *out < 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "sgemmBatched: %s must be a non-negative integer", name);
    napi_throw_type_error(env, "PARZEN_NATIVE_ARG", msg);
    return 0;
  }
  return 1;
}

/*
 * sgemmBatched(a, b, out, batchA, batchB, m, n, k, transA, transB):
 * out[i] = op(a[i or 0]) · op(b[i or 0]) for i < max(batchA, batchB), row-major, op = transpose when flagged.
 * a holds batchA slices of m×k (k×m when transA), b batchB slices of k×n (n×k when transB), out max(batch) of m×n.
 * A batch of 1 broadcasts (TensorFlow's rule for a batch dimension of size 1).
 */
static napi_value SgemmBatched(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) {
    napi_throw_type_error(env, "PARZEN_NATIVE_ARG", "sgemmBatched: expected 10 arguments (a, b, out, batchA, batchB, m, n, k, transA, transB)");
    return NULL;
  }
  float *a, *b, *out;
  size_t la, lb, lo;
  int64_t batchA, batchB, m, n, k;
  bool transA, transB;
  if (!get_f32(env, argv[0], "a", &a, &la) || !get_f32(env, argv[1], "b", &b, &lb) || !get_f32(env, argv[2], "out", &out, &lo)) return NULL;
  if (!get_i64(env, argv[3], "batchA", &batchA) || !get_i64(env, argv[4], "batchB", &batchB) || !get_i64(env, argv[5], "m", &m) ||
      !get_i64(env, argv[6], "n", &n) || !get_i64(env, argv[7], "k", &k))
    return NULL;
  CHECK(env, napi_get_value_bool(env, argv[8], &transA));
  CHECK(env, napi_get_value_bool(env, argv[9], &transB));
  if (batchA < 1 || batchB < 1 || (batchA != batchB && batchA != 1 && batchB != 1)) {
    napi_throw_range_error(env, "PARZEN_NATIVE_ARG", "sgemmBatched: batch sizes must be equal or one of them 1");
    return NULL;
  }
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    napi_throw_range_error(env, "PARZEN_NATIVE_ARG", "sgemmBatched: a dimension exceeds 2^31-1");
    return NULL;
  }
  const int64_t batch = batchA > batchB ? batchA : batchB;
  const int64_t sa = m * k, sb = k * n, so = m * n;
  if ((int64_t)la < batchA * sa || (int64_t)lb < batchB * sb || (int64_t)lo < batch * so) {
    napi_throw_range_error(env, "PARZEN_NATIVE_ARG", "sgemmBatched: an array is shorter than its shape");
    return NULL;
  }
  if (k == 0) {
    memset(out, 0, (size_t)(batch * so) * sizeof(float));
    return NULL;
  }
  const int lda = (int)(transA ? m : k), ldb = (int)(transB ? k : n);
  for (int64_t i = 0; i < batch; i++) {
    const float *ai = a + (batchA == 1 ? 0 : i * sa);
    const float *bi = b + (batchB == 1 ? 0 : i * sb);
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, ai, lda, bi,
                ldb, 0.0f, out + i * so, (int)n);
  }
  return NULL;
}

/* setThreads(n): BLAS threads for this process (OpenBLAS only; other BLAS libraries ignore it). Returns the count in use. */
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  int32_t threads = 1;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &threads) != napi_ok || threads < 1) {
    napi_throw_type_error(env, "PARZEN_NATIVE_ARG", "setThreads: expected a positive integer");
    return NULL;
  }
#ifdef PARZEN_OPENBLAS
  openblas_set_num_threads(threads);
  threads = openblas_get_num_threads();
#else
  threads = 1;
#endif
  CHECK(env, napi_create_int32(env, threads, &result));
  return result;
}

/* info(): { library, config, threads } — what `tune doctor` and the trial attributes report. */
static napi_value Info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, v;
  CHECK(env, napi_create_object(env, &obj));
#ifdef PARZEN_OPENBLAS
  CHECK(env, napi_create_string_utf8(env, "OpenBLAS", NAPI_AUTO_LENGTH, &v));
  CHECK(env, napi_set_named_property(env, obj, "library", v));
  CHECK(env, napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &v));
  CHECK(env, napi_set_named_property(env, obj, "config", v));
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &v));
#else
  CHECK(env, napi_create_string_utf8(env, "CBLAS", NAPI_AUTO_LENGTH, &v));
  CHECK(env, napi_set_named_property(env, obj, "library", v));
  CHECK(env, napi_create_string_utf8(env, "system cblas", NAPI_AUTO_LENGTH, &v));
  CHECK(env, napi_set_named_property(env, obj, "config", v));
  CHECK(env, napi_create_int32(env, 1, &v));
#endif
  CHECK(env, napi_set_named_property(env, obj, "threads", v));
  return obj;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, SgemmBatched, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, Info, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  if (!parzen_define_kernels(env, exports)) {
    napi_throw_error(env, "PARZEN_NATIVE", "parzen_define_kernels failed");
    return NULL;
  }
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
