#ifndef PARZEN_KERNELS_H
#define PARZEN_KERNELS_H
#include <node_api.h>

/* Adds the fused kernels of parzen_kernels.c to the addon's exports; 0 on failure. */
int parzen_define_kernels(napi_env env, napi_value exports);

#endif
