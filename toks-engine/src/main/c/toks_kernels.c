/*
 * The library's entry points (toks_kernels.h) and the one place that picks, per GGML type, which
 * instruction set's kernel runs: kernels_avx512.c where the build has the 512-bit kernel,
 * kernels_avx2.c otherwise, kernels_scalar.c for what needs no vectors. The choice is fixed when
 * the library is built (kernels_internal.h says how); this file checks arguments, keeps the
 * per-thread activation buffers, and answers what the build has.
 */
#include <stdlib.h>

#include "ggml_types.h"
#include "kernels_internal.h"
#include "toks_kernels.h"

void toks_quantize_q8(const float *x, int n, int8_t *q, float *d, float *dsum) {
    quantize_q8_avx2(x, n, q, d, dsum);
}

int toks_matvec_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   float *out, int from, int to, int cols) {
    if (cols % QB != 0) return -1;
    switch (type) {
        case GGML_TYPE_Q8_0:
#if TOKS_AVX512_VNNI_BW_DQ
            rows_q8_0_avx512(w, row_bytes, q, d, out, from, to, cols);
#else
            rows_q8_0_avx2(w, row_bytes, q, d, out, from, to, cols);
#endif
            return 0;
        case GGML_TYPE_Q4_0:
#if TOKS_AVX512_VNNI_DQ
            rows_q4_0_avx512(w, row_bytes, q, d, dsum, out, from, to, cols);
#else
            rows_q4_0_avx2(w, row_bytes, q, d, dsum, out, from, to, cols);
#endif
            return 0;
        case GGML_TYPE_Q4_1: rows_q4_1_avx2(w, row_bytes, q, d, dsum, out, from, to, cols); return 0;
        case GGML_TYPE_Q4_K:
            if (cols % QK_K) return -1;
            rows_q4_K_avx2(w, row_bytes, q, d, dsum, out, from, to, cols);
            return 0;
        case GGML_TYPE_Q5_K:
            if (cols % QK_K) return -1;
            rows_q5_K_avx2(w, row_bytes, q, d, dsum, out, from, to, cols);
            return 0;
        case GGML_TYPE_Q6_K:
            if (cols % QK_K) return -1;
            rows_q6_K_avx2(w, row_bytes, q, d, out, from, to, cols);
            return 0;
        default: return -1;
    }
}

/* The calling thread's activations of toks_matvec, quantized; grown to the longest row seen. */
static __thread int8_t *tq;
static __thread float *td, *ts;
static __thread int tcap;

static int activations(const float *x, int cols) {
    if (tcap < cols) {
        free(tq);
        free(td);
        free(ts);
        tq = malloc(cols);
        td = malloc(sizeof(float) * (cols / QB));
        ts = malloc(sizeof(float) * (cols / QB));
        if (!tq || !td || !ts) {
            tcap = 0;
            return -1;
        }
        tcap = cols;
    }
    toks_quantize_q8(x, cols, tq, td, ts);
    return 0;
}

/*
 * F32 and BF16 weights have a native product only with 512-bit kernels: with 256-bit ones Java
 * decoded them as fast (docs/performance.md, "Float-weight decode").
 */
int toks_matvec(int type, const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    if (type == GGML_TYPE_F16) {
#if TOKS_AVX512F
        rows_f16_avx512(w, row_bytes, x, out, from, to, cols);
#else
        rows_f16_avx2(w, row_bytes, x, out, from, to, cols);
#endif
        return 0;
    }
#if TOKS_AVX512F
    if (type == GGML_TYPE_BF16) {
        rows_bf16_avx512(w, row_bytes, x, out, from, to, cols);
        return 0;
    }
    if (type == GGML_TYPE_F32) {
        rows_f32_avx512(w, row_bytes, x, out, from, to, cols);
        return 0;
    }
#endif
    if (cols % QB != 0 || activations(x, cols) != 0) return -1;
    return toks_matvec_q8(type, w, row_bytes, tq, td, ts, out, from, to, cols);
}

int toks_matmul_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   int n, float *out, int64_t ld, int from, int to, int cols) {
#if TOKS_AVX512_VNNI
    int k_quant = type == GGML_TYPE_Q4_K || type == GGML_TYPE_Q5_K || type == GGML_TYPE_Q6_K;
    if (cols % QB != 0 || !(type == GGML_TYPE_Q8_0 || type == GGML_TYPE_Q4_0 || type == GGML_TYPE_Q4_1 || k_quant)
        || (k_quant && cols % QK_K != 0)) {
        return -1;
    }
    return matmul_q8_avx512(type, w, row_bytes, q, d, dsum, n, out, ld, from, to, cols);
#else
    (void) type; (void) w; (void) row_bytes; (void) q; (void) d; (void) dsum; (void) n; (void) out; (void) ld;
    (void) from; (void) to; (void) cols;
    return -1;
#endif
}

int toks_matmul_f(int type, int xtype, const uint8_t *w, int64_t row_bytes, const void *x, int n, float *out, int64_t ld,
                  int from, int to, int cols) {
#if TOKS_AVX512F
    /* the kernels step 32 BF16 or 16 float values along a row */
    if (cols % 32 != 0 || (type != GGML_TYPE_F32 && type != GGML_TYPE_F16 && type != GGML_TYPE_BF16)) return -1;
    /* activations: F32 for every type; BF16 for BF16 weights where the CPU has BF16 products */
    int xtype_fits = xtype == GGML_TYPE_F32 || (TOKS_AVX512_BF16 && type == GGML_TYPE_BF16 && xtype == GGML_TYPE_BF16);
    if (!xtype_fits) return -1;
    matmul_f_avx512(type, xtype, w, row_bytes, x, n, out, ld, from, to, cols);
    return 0;
#else
    (void) type; (void) xtype; (void) w; (void) row_bytes; (void) x; (void) n; (void) out; (void) ld; (void) from; (void) to; (void) cols;
    return -1;
#endif
}

int64_t toks_tiles_bytes(int type, int rows, int cols) {
#if TOKS_AVX512_VNNI
    int64_t tile = tile_bytes(type, cols);
    if (tile < 0 || cols <= 0 || cols % QB != 0 || rows <= 0) return -1;
    return (int64_t) ((rows + TILE_ROWS - 1) / TILE_ROWS) * tile;
#else
    (void) type; (void) rows; (void) cols;
    return -1;
#endif
}

int toks_tiles_pack(int type, const uint8_t *w, int64_t row_bytes, int rows, int cols, uint8_t *dst, int from_tile, int to_tile) {
    if (toks_tiles_bytes(type, rows, cols) < 0 || from_tile < 0 || to_tile > (rows + TILE_ROWS - 1) / TILE_ROWS) return -1;
    tile_pack_scalar(type, w, row_bytes, rows, cols, dst, from_tile, to_tile);
    return 0;
}

int toks_tiles_matmul(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum, int n,
                      float *out, int64_t ld, int64_t out_row0, int from, int to) {
#if TOKS_AVX512_VNNI
    if (tile_bytes(type, cols) < 0 || cols % QB != 0 || n < 0 || from < 0) return -1;
    return tiled_matmul_avx512(type, tiles, cols, q, d, dsum, n, out, ld, out_row0, from, to);
#else
    (void) type; (void) tiles; (void) cols; (void) q; (void) d; (void) dsum; (void) n; (void) out; (void) ld; (void) out_row0;
    (void) from; (void) to;
    return -1;
#endif
}

int toks_tiles_matmul_reference(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                                int n, float *out, int64_t ld, int64_t out_row0, int from, int to) {
    if (tile_bytes(type, cols) < 0 || cols % QB != 0 || n < 0 || from < 0) return -1;
    tiled_matmul_scalar(type, tiles, cols, q, d, dsum, n, out, ld, out_row0, from, to);
    return 0;
}

void toks_to_bf16(const float *x, int count, uint16_t *out) {
    to_bf16_scalar(x, count, out);
}

float toks_read_sum(const float *x, int64_t n) {
    return read_sum_avx2(x, n);
}

int toks_kernels_batched_float(void) {
    return TOKS_AVX512F | TOKS_AVX512_BF16 << 1;
}

int toks_kernels_matvec_type(int type) {
    switch (type) {
        case GGML_TYPE_F16: case GGML_TYPE_Q4_0: case GGML_TYPE_Q4_1: case GGML_TYPE_Q8_0:
        case GGML_TYPE_Q4_K: case GGML_TYPE_Q5_K: case GGML_TYPE_Q6_K:
            return 1;
        case GGML_TYPE_F32: case GGML_TYPE_BF16:
            return TOKS_AVX512F;
        default: return 0;
    }
}

int toks_kernels_batched(void) {
    return TOKS_AVX512_VNNI;
}

/* As dot_u8s8 (simd_x86.h) chooses. */
const char *toks_kernels_isa(void) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return "avx512-vnni";
#elif defined(__AVXVNNI__)
    return "avx-vnni";
#else
    return "avx2";
#endif
}

/*
 * The peak loops: 512-bit where the build has AVX-512 (VNNI, BF16), the 256-bit AVX-VNNI encoding
 * for int8 where only that exists; elsewhere no instruction, and toks_peak_dot returns -1 (what
 * toks hw reports as "not available"). The int8 choice follows dot_u8s8's order of preference.
 */
const char *toks_peak_dot_instruction(int dot) {
    switch (dot) {
        case TOKS_DOT_BF16:
#if TOKS_AVX512_BF16
            return "VDPBF16PS zmm (AVX512_BF16)";
#else
            return NULL;
#endif
        case TOKS_DOT_INT8:
#if TOKS_AVX512_VNNI
            return "VPDPBUSD zmm (AVX512_VNNI)";
#elif TOKS_AVX_VNNI
            return "VPDPBUSD ymm (AVX-VNNI)";
#else
            return NULL;
#endif
        default: return NULL;
    }
}

int64_t toks_peak_dot(int dot, int64_t iterations) {
    if (iterations < 0) return -1;
    switch (dot) {
        case TOKS_DOT_BF16:
#if TOKS_AVX512_BF16
            return peak_bf16_avx512(iterations);
#else
            return -1;
#endif
        case TOKS_DOT_INT8:
#if TOKS_AVX512_VNNI
            return peak_int8_avx512(iterations);
#elif TOKS_AVX_VNNI
            return peak_int8_avx2(iterations);
#else
            return -1;
#endif
        default: return -1;
    }
}
