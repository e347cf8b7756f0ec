/*
 * What the dispatch (toks_kernels.c) needs to know of the per-instruction-set files: which
 * kernels this build has, and their prototypes. Internal to the library (hidden symbols).
 *
 * Which kernels a build has is decided when it is compiled, from the compiler's target: build.sh
 * compiles every file with -march=native (the library is built on the machine that runs it), so
 * the __AVX512*__ macros below say what the build CPU has. The 512-bit file compiles to nothing
 * on a CPU without AVX-512 and the dispatch then calls the 256-bit kernels. A jar copied to a CPU
 * that lacks one of the build CPU's extensions refuses the library (NativeKernels checks the
 * cpu-flags.txt that build.sh writes beside it) and runs its Java kernels.
 */
#ifndef TOKS_KERNELS_INTERNAL_H
#define TOKS_KERNELS_INTERNAL_H

#include <stdint.h>

#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "toks native kernels need AVX2, FMA and F16C"
#endif

/* Each macro names what its kernels' instructions need (a VNNI CPU has BW and DQ too, but the compiler checks each). */
#if defined(__AVX512F__)
#define TOKS_AVX512F 1 /* F32, F16, BF16 decode; F16 conversion of activations */
#else
#define TOKS_AVX512F 0
#endif
#if TOKS_AVX512F && defined(__AVX512VNNI__)
#define TOKS_AVX512_VNNI 1 /* batched quantized products */
#else
#define TOKS_AVX512_VNNI 0
#endif
#if TOKS_AVX512_VNNI && defined(__AVX512DQ__)
#define TOKS_AVX512_VNNI_DQ 1 /* Q4_0 decode, two blocks per product */
#else
#define TOKS_AVX512_VNNI_DQ 0
#endif
#if TOKS_AVX512_VNNI_DQ && defined(__AVX512BW__)
#define TOKS_AVX512_VNNI_BW_DQ 1 /* Q8_0 decode, two blocks per product */
#else
#define TOKS_AVX512_VNNI_BW_DQ 0
#endif
#if TOKS_AVX512F && defined(__AVX512BF16__)
#define TOKS_AVX512_BF16 1 /* BF16 x BF16 batched products */
#else
#define TOKS_AVX512_BF16 0
#endif

#if defined(__AVXVNNI__)
#define TOKS_AVX_VNNI 1 /* the 256-bit VPDPBUSD encoding, on CPUs with or without AVX-512 */
#else
#define TOKS_AVX_VNNI 0
#endif

#define QB 32 /* values per activation block: one float scale per 32 int8 (as Q8_0) */

#define TOKS_HIDDEN __attribute__((visibility("hidden"))) /* exported: only toks_kernels.h's functions */

/*
 * Matrix x vector kernels: out[r] = row(r) . x for rows [from, to), rows row_bytes apart in w.
 * The quantized ones take activations quantized by toks_quantize_q8 (q, d, dsum); the float ones
 * the floats x.
 */

/* kernels_avx2.c: 256-bit (AVX2, FMA, F16C; the 256-bit VNNI dot product where the CPU has it) */
TOKS_HIDDEN void quantize_q8_avx2(const float *x, int n, int8_t *q, float *d, float *dsum);
TOKS_HIDDEN void rows_q8_0_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_q4_0_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_q4_1_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_q4_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_q5_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_q6_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                                float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_f16_avx2(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols);
TOKS_HIDDEN float read_sum_avx2(const float *x, int64_t n);
#if TOKS_AVX_VNNI
/* iterations rounds of 256-bit VPDPBUSD on independent accumulators; returns the operations done */
TOKS_HIDDEN int64_t peak_int8_avx2(int64_t iterations);
#endif

/* Operations one instruction of a peak loop does: lanes x products per lane x 2 (multiply and add). */
#define OPS_DPBF16_ZMM (16 * 2 * 2)
#define OPS_DPBUSD_ZMM (16 * 4 * 2)
#define OPS_DPBUSD_YMM (8 * 4 * 2)

/* kernels_tiled.c: the pre-tiled layout of Q4_0, Q8_0, Q4_K and Q6_K weights, its packing and its scalar product */
#define TILE_ROWS 16
/*
 * Bytes of one tile's values per block of 32 (-1 for a type without a tiled layout); of its
 * scales per super-block (K types) or block; of all its scales (padded to 64); of a tile (-1
 * also where cols does not fit the type's blocks).
 */
TOKS_HIDDEN int64_t tile_packed_bytes(int type);
TOKS_HIDDEN int64_t tile_header_unit_bytes(int type);
TOKS_HIDDEN int64_t tile_scales_bytes(int type, int cols);
TOKS_HIDDEN int64_t tile_bytes(int type, int cols);
TOKS_HIDDEN void tile_pack_scalar(int type, const uint8_t *w, int64_t row_bytes, int rows, int cols, uint8_t *dst, int from_tile,
                                  int to_tile);
TOKS_HIDDEN void tiled_matmul_scalar(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                                     int n, float *out, int64_t ld, int64_t out_row0, int from, int to);

/* kernels_scalar.c: portable C */
TOKS_HIDDEN void to_bf16_scalar(const float *x, int count, uint16_t *out);

/* kernels_avx512.c: 512-bit, each under the macro above that names what it needs */
#if TOKS_AVX512_VNNI_BW_DQ
TOKS_HIDDEN void rows_q8_0_avx512(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                                  float *out, int from, int to, int cols);
#endif
#if TOKS_AVX512_VNNI_DQ
TOKS_HIDDEN void rows_q4_0_avx512(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                  float *out, int from, int to, int cols);
#endif
#if TOKS_AVX512F
TOKS_HIDDEN void rows_f16_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_f32_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols);
TOKS_HIDDEN void rows_bf16_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols);
#endif
#if TOKS_AVX512_VNNI
/* iterations rounds of 512-bit VPDPBUSD on independent accumulators; returns the operations done */
TOKS_HIDDEN int64_t peak_int8_avx512(int64_t iterations);
/* toks_matmul_q8 for a type and row length the dispatch has checked; -1 when out of memory. */
/* toks_tiles_matmul for checked arguments; -1 when out of memory */
TOKS_HIDDEN int tiled_matmul_avx512(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                                     int n, float *out, int64_t ld, int64_t out_row0, int from, int to);
TOKS_HIDDEN int matmul_q8_avx512(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                                 int n, float *out, int64_t ld, int from, int to, int cols);
#endif
#if TOKS_AVX512_BF16
/* iterations rounds of 512-bit VDPBF16PS on independent accumulators; returns the operations done */
TOKS_HIDDEN int64_t peak_bf16_avx512(int64_t iterations);
#endif
#if TOKS_AVX512F
/* toks_matmul_f for a pairing of types and a row length the dispatch has checked. */
TOKS_HIDDEN void matmul_f_avx512(int type, int xtype, const uint8_t *w, int64_t row_bytes, const void *x, int n, float *out,
                                 int64_t ld, int from, int to, int cols);
#endif

#endif
