/*
 * toks native kernels: the functions io.toks.engine.kernel.NativeKernels calls through the FFM
 * API (by these names and signatures; change them together). Matrix x vector products for
 * decode (quantized types, F16, and F32/BF16 where the build has 512-bit kernels) and batched
 * products for prefill (quantized types with AVX-512 VNNI; F32/F16/BF16 with AVX-512 BF16). The
 * library is optional: the Java kernels run where it is absent.
 *
 * Why native: the Java Vector API has no byte dot-product instruction, so Java converts every
 * weight to float and multiplies in float. Here the activation vector is quantized to int8 (one
 * float scale per 32 values, as Q8_0) and each block's dot product is an integer one: VPDPBUSD
 * (unsigned x signed bytes, summed in fours into int32 lanes) where the CPU has VNNI,
 * VPMADDUBSW + VPMADDWD on plain AVX2.
 *
 * Conventions: `type` is a GGML type id (enum ggml_type); weights are read in place (the mapped
 * GGUF tensor), rows `row_bytes` apart; every product takes a row range [from, to) so that
 * Java's worker pool can split the rows. Functions returning int return 0, or -1 when they
 * cannot do the product (a type or row length they lack, no memory): the caller then runs Java.
 */
#ifndef TOKS_KERNELS_H
#define TOKS_KERNELS_H

#include <stdint.h>

/*
 * Quantizes x[0, n) to int8 per block of 32: q = round(x / d), d = max|x| / 127; also keeps
 * dsum = d * sum(q) per block, which the offset (Q4_0) and minimum (Q4_1, Q4_K) terms need.
 */
void toks_quantize_q8(const float *x, int n, int8_t *q, float *d, float *dsum);

/*
 * out[r] = row(r) . x for rows [from, to), the activations already quantized by
 * toks_quantize_q8. Types Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K; -1 for another type or a row
 * length the type cannot have.
 */
int toks_matvec_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   float *out, int from, int to, int cols);

/*
 * out[r] = row(r) . x for rows [from, to). F16 (and F32, BF16 where toks_kernels_matvec_type
 * says so) multiply in float; the quantized types quantize x first (per call, into per-thread
 * buffers), as toks_matvec_q8.
 */
int toks_matvec(int type, const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols);

/*
 * Batched product: out[t * ld + (r - from)] = row(r) . x_t for tokens t < n and rows
 * [from, to), the activations quantized by toks_quantize_q8 one token after another (q: n * cols
 * bytes, d and dsum: n * cols / 32). Per tile of rows, unpacking the weights costs about what
 * one token's products do, so callers use it for batches of several tokens. Types Q8_0, Q4_0,
 * Q4_1, Q4_K, Q5_K, Q6_K; -1 for others, for a build without AVX-512 VNNI, or when out of
 * memory.
 */
int toks_matmul_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   int n, float *out, int64_t ld, int from, int to, int cols);

/*
 * out[t * ld + (r - from)] = row(r) . x_t for float-type weights (F32, F16, BF16), tokens t < n,
 * rows [from, to), by FMAs. x holds the n tokens one after another, of type xtype: F32 for any
 * of them, BF16 (see toks_to_bf16) for BF16 weights where toks_kernels_batched_float says so.
 * -1 where the build lacks AVX-512, cols % 32 != 0, or for another pairing of types.
 */
int toks_matmul_f(int type, int xtype, const uint8_t *w, int64_t row_bytes, const void *x, int n, float *out, int64_t ld,
                  int from, int to, int cols);

/*
 * Pre-tiled weights (kernels_tiled.c describes the layout): Q4_0, Q8_0, Q4_K and Q6_K matrices repacked
 * once, at load, into tiles of 16 rows interleaved by groups of four values, for a product that
 * serves one token (decode) and batches (several sequences, prefill) alike.
 *
 * toks_tiles_bytes: the bytes of the tiled form of a rows x cols matrix (rows rounded up to 16);
 * -1 where the type has no tiled form, cols is not a whole number of its blocks, or the build lacks the product (it needs
 * AVX-512 VNNI).
 * toks_tiles_pack: writes tiles [from_tile, to_tile) of the matrix w (GGUF rows row_bytes apart)
 * into dst (toks_tiles_bytes, 64-byte aligned); 0, or -1 as toks_tiles_bytes.
 * toks_tiles_matmul: out[t * ld + (r - out_row0)] = row(r) . x_t for tokens t < n and rows
 * [from, to), the activations as toks_quantize_q8 gives them (n * cols bytes one token after
 * another); 0, or -1 as toks_tiles_bytes or when out of memory.
 * toks_tiles_matmul_reference: the same product in plain C, one value at a time (for tests).
 */
int64_t toks_tiles_bytes(int type, int rows, int cols);
int toks_tiles_pack(int type, const uint8_t *w, int64_t row_bytes, int rows, int cols, uint8_t *dst, int from_tile, int to_tile);
int toks_tiles_matmul(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum, int n,
                      float *out, int64_t ld, int64_t out_row0, int from, int to);
int toks_tiles_matmul_reference(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                                int n, float *out, int64_t ld, int64_t out_row0, int from, int to);

/* x[0, count) to BF16, rounded to nearest even (the activations of a BF16 batched product). */
void toks_to_bf16(const float *x, int count, uint16_t *out);

/*
 * Sum of the floats x[0, n) (n a multiple of 64), read as the decode kernels read weights: wide
 * loads with software prefetch. The bandwidth probe times it, so the roofline's memory limit is
 * what a prefetching kernel can reach, not what a plain vector loop reads (docs/performance.md,
 * "Bandwidth probe").
 */
float toks_read_sum(const float *x, int64_t n);

/*
 * The batched float kernels this build has: bit 0, toks_matmul_f (it needs AVX-512); bit 1, its
 * BF16 activations for BF16 weights (AVX512_BF16's VDPBF16PS).
 */
int toks_kernels_batched_float(void);

/* Whether this build has a matrix x vector product for a GGML type. */
int toks_kernels_matvec_type(int type);

/* Whether this build has the batched quantized kernel (it needs AVX-512 VNNI). */
int toks_kernels_batched(void);

/* Which integer dot product this build uses ("avx512-vnni", "avx-vnni" or "avx2"), for the record of which kernels ran. */
const char *toks_kernels_isa(void);

/*
 * The dot-product instructions whose peak throughput toks hw times (io.toks.engine.kernel.DotProduct,
 * in this order): VDPBF16PS (pairs of BF16 products added into FP32 lanes) and VPDPBUSD (fours of
 * u8 x s8 products added into int32 lanes), the instructions of the batched prefill kernels.
 */
enum toks_dot { TOKS_DOT_BF16 = 0, TOKS_DOT_INT8 = 1 };

/*
 * The instruction toks_peak_dot times for `dot`, e.g. "VPDPBUSD zmm (AVX512_VNNI)"; NULL where
 * this build lacks it (the CPU that built it has no such instruction) or `dot` is unknown.
 */
const char *toks_peak_dot_instruction(int dot);

/*
 * Runs `iterations` rounds of the instruction, each on 12 (256-bit) or 16 (512-bit) independent
 * accumulators (at least latency x issue width on current x86 cores: the loop is bound by the
 * instruction's throughput, not its latency) and returns the operations done: FLOPs for BF16 (a product and its add: 2 per product, 2
 * products per FP32 lane), integer operations for INT8 (a multiply-add: 2 per product, 4
 * products per int32 lane). The caller times the call. -1 where toks_peak_dot_instruction is NULL.
 */
int64_t toks_peak_dot(int dot, int64_t iterations);

/* gate[i] = silu(gate[i]) * up[i] for i < n, silu(g) = g / (1 + e^-g): SwiGLU's activation (activation.c). */
void toks_silu_mul(float *gate, const float *up, int n);

#endif
