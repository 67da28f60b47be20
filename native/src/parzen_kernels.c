/* parzen_kernels: the argument helpers the kernels share, and the registration of every kernel (parzen_kernel_args.h). */
#include "parzen_kernel_args.h"
#include "parzen_kernels.h"

/*
 * Reads `nArrays` typed arrays (float32, or int32 where `types` says 'i'), `nInts` non-negative integers and
 * `nReals` (at most 8) numbers from the call; throws a TypeError naming the kernel and the argument otherwise.
 */
int read_args(napi_env env, napi_callback_info info, const char *kernel, const char *types, int nInts, int nReals, args_t *a) {
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
int need_len(napi_env env, const char *kernel, const args_t *a, int i, int64_t need) {
  if ((int64_t)a->len[i] >= need) return 1;
  char msg[160];
  snprintf(msg, sizeof msg, "%s: argument %d holds %zu elements, its shape needs %lld", kernel, i, a->len[i], (long long)need);
  napi_throw_range_error(env, "PARZEN_NATIVE_ARG", msg);
  return 0;
}

double *scratch(double *stack, int64_t fits, int64_t n) { return n <= fits ? stack : malloc((size_t)n * sizeof(double)); }

int64_t first_bad_id(const int32_t *ids, int64_t E, int64_t numSegments) {
  for (int64_t e = 0; e < E; e++)
    if (ids[e] < 0 || ids[e] >= numSegments) return e;
  return -1;
}

int parzen_define_kernels(napi_env env, napi_value exports) { return parzen_define_dense_kernels(env, exports) && parzen_define_graph_kernels(env, exports); }
