#ifndef PARZEN_KERNELS_H
#define PARZEN_KERNELS_H
#include <node_api.h>

/* An N-API call that must succeed: on failure, throw naming the call and return NULL from the binding. */
#define CHECK(env, call)                                        \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error((env), "PARZEN_NATIVE", #call " failed"); \
      return NULL;                                              \
    }                                                           \
  } while (0)

/* Adds the fused kernels of parzen_kernels.c to the addon's exports; 0 on failure. */
int parzen_define_kernels(napi_env env, napi_value exports);

#endif
