{
  "targets": [
    {
      "target_name": "parzen_blas",
      "sources": ["src/parzen_blas.c", "src/parzen_kernels.c", "src/parzen_kernels_dense.c", "src/parzen_kernels_graph.c"],
      "include_dirs": ["<!(node -p \"process.env.PARZEN_BLAS_INCLUDE || ''\")"],
      "defines": ["NAPI_VERSION=8", "<!(node -p \"process.env.PARZEN_BLAS_DEFINE || 'PARZEN_CBLAS'\")"],
      "cflags": ["-O3", "-std=c11", "-fopenmp-simd"],
      "libraries": ["<!(node -p \"process.env.PARZEN_BLAS_LINK || '-lcblas'\")"]
    }
  ]
}
