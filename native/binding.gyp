{
  "targets": [
    {
      "target_name": "parzen_blas",
      "sources": ["src/parzen_blas.c"],
      "include_dirs": ["<!(node -p \"process.env.PARZEN_BLAS_INCLUDE || ''\")"],
      "defines": ["NAPI_VERSION=8", "<!(node -p \"process.env.PARZEN_BLAS_DEFINE || 'PARZEN_CBLAS'\")"],
      "cflags": ["-O2", "-std=c11"],
      "libraries": ["<!(node -p \"process.env.PARZEN_BLAS_LINK || '-lcblas'\")"]
    }
  ]
}
