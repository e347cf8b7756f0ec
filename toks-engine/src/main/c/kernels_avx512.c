/*
 * 512-bit kernels: AVX-512 F (F32, F16, BF16 decode), + VNNI (Q8_0 and Q4_0 decode, two blocks
 * per product; the batched quantized product), + BF16 (the batched float product); and the peak
 * loops of their dot-product instructions (toks hw). Each part is
 * compiled only where the build CPU has what it needs (kernels_internal.h); elsewhere the
 * dispatch calls the 256-bit kernels or reports the product missing.
 */
#include <stddef.h>
#include <stdlib.h>

#include "simd_x86.h"

/* ---- Q8_0 decode ---- */

#if TOKS_AVX512_VNNI_BW_DQ
/*
 * Two blocks per 512-bit product (faster than a block per 256-bit product: docs/performance.md,
 * "Q8_0 decode"); signed x signed as |w| times x with w's sign.
 */
void rows_q8_0_avx512(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                      float *out, int from, int to, int cols) {
    int blocks = cols / QK8_0;
    for (int r = from; r < to; r++) {
        const block_q8_0 *w0 = (const block_q8_0 *) (w + r * row_bytes);
        __m512 acc = _mm512_setzero_ps();
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            const block_q8_0 *b0 = w0 + b, *b1 = b0 + 1;
            PREFETCH(b0);
            __m512i wv = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) b0->qs)),
                                            _mm256_loadu_si256((const __m256i *) b1->qs), 1);
            __m512i x = _mm512_loadu_si512((const void *) (q + b * QB));
            __mmask64 neg = _mm512_movepi8_mask(wv);
            __m512i sx = _mm512_mask_sub_epi8(x, neg, _mm512_setzero_si512(), x);
            __m512i p = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(wv), sx);
            __m512 scale = _mm512_insertf32x8(_mm512_set1_ps(fp16_to_fp32(b0->d) * d[b]), _mm256_set1_ps(fp16_to_fp32(b1->d) * d[b + 1]), 1);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), scale, acc);
        }
        float sum = _mm512_reduce_add_ps(acc);
        if (b < blocks) { /* an odd last block */
            const block_q8_0 *b0 = w0 + b;
            __m256i p = dot_s8s8(_mm256_loadu_si256((const __m256i *) b0->qs), _mm256_loadu_si256((const __m256i *) (q + b * QB)));
            sum += hsum8(_mm256_cvtepi32_ps(p)) * fp16_to_fp32(b0->d) * d[b];
        }
        out[r] = sum;
    }
}
#endif

/* ---- Q4_0 decode ---- */

#if TOKS_AVX512_VNNI_DQ
/* Blocks x[0] and x[1] as one 512-bit vector of unsigned values, in the order of their 64 activations. */
static inline __m512i q4_0_nibbles2(const block_q4_0 *x) {
    __m256i raw = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *) x[0].qs)),
                                          _mm_loadu_si128((const __m128i *) x[1].qs), 1);
    __m256i m4 = _mm256_set1_epi8(15);
    __m256i lo = _mm256_and_si256(raw, m4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
    __m512i quarters = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1); /* lo0 lo1 hi0 hi1 */
    return _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 1, 4, 5, 2, 3, 6, 7), quarters); /* lo0 hi0 lo1 hi1 */
}

/*
 * sum d (n - 8) x = d (sum n x - 8 sum x), two blocks per 512-bit product: the kernel is
 * compute-bound, and one 512-bit product does two blocks' work (docs/performance.md, "Q4_0 decode").
 */
void rows_q4_0_avx512(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                      float *out, int from, int to, int cols) {
    int blocks = cols / QK4_0;
    for (int r = from; r < to; r++) {
        const block_q4_0 *w0 = (const block_q4_0 *) (w + r * row_bytes);
        __m512 acc = _mm512_setzero_ps();
        float off = 0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            const block_q4_0 *b0 = w0 + b;
            PREFETCH(b0);
            float d0 = fp16_to_fp32(b0[0].d), d1 = fp16_to_fp32(b0[1].d);
            __m512i p = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q4_0_nibbles2(b0), _mm512_loadu_si512((const void *) (q + b * QB)));
            __m512 scale = _mm512_insertf32x8(_mm512_set1_ps(d0 * d[b]), _mm256_set1_ps(d1 * d[b + 1]), 1);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), scale, acc);
            off += d0 * dsum[b] + d1 * dsum[b + 1];
        }
        float sum = _mm512_reduce_add_ps(acc);
        if (b < blocks) { /* an odd last block */
            const block_q4_0 *b0 = w0 + b;
            float d0 = fp16_to_fp32(b0->d);
            __m256i p = dot_u8s8(q4_0_nibbles(b0->qs), _mm256_loadu_si256((const __m256i *) (q + b * QB)));
            sum += hsum8(_mm256_cvtepi32_ps(p)) * d0 * d[b];
            off += d0 * dsum[b];
        }
        out[r] = sum - 8 * off;
    }
}
#endif

#if TOKS_AVX512F
/* ---- F16, F32 and BF16 decode: products in float, the weights widened on load ---- */

/* F16: 32 values per step, one row at a time, two accumulators (docs/performance.md, "Float-weight decode"). */
void rows_f16_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    int wide = cols & ~31;
    for (int r = from; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (int i = 0; i < wide; i += 32) {
            PREFETCH(w0 + 2 * i);
            __m512 lo = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (w0 + 2 * i)));
            __m512 hi = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (w0 + 2 * i + 32)));
            a0 = _mm512_fmadd_ps(lo, _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(hi, _mm512_loadu_ps(x + i + 16), a1);
        }
        float sum = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
        for (int i = wide; i < cols; i++) sum += f16(w0 + 2 * i) * x[i];
        out[r] = sum;
    }
}

/*
 * F32 decode reads 4 bytes per weight, so it is the most memory-bound product: the software
 * prefetch is what the Java kernel (hardware prefetchers only) lacks.
 */
void rows_f32_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    int wide = cols & ~31;
    for (int r = from; r < to; r++) {
        const float *w0 = (const float *) (w + r * row_bytes);
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (int i = 0; i < wide; i += 32) {
            PREFETCH(w0 + i);
            PREFETCH(w0 + i + 16);
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(w0 + i), _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(w0 + i + 16), _mm512_loadu_ps(x + i + 16), a1);
        }
        float sum = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
        for (int i = wide; i < cols; i++) sum += w0[i] * x[i];
        out[r] = sum;
    }
}

/* BF16: widened to float on load (a BF16 is the high half of an F32). */
void rows_bf16_avx512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    int wide = cols & ~31;
    for (int r = from; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (int i = 0; i < wide; i += 32) {
            PREFETCH(w0 + 2 * i);
            __m512i raw = _mm512_loadu_si512((const void *) (w0 + 2 * i));
            __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(raw)), 16));
            __m512 hi = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(raw, 1)), 16));
            a0 = _mm512_fmadd_ps(lo, _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(hi, _mm512_loadu_ps(x + i + 16), a1);
        }
        float sum = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
        for (int i = wide; i < cols; i++) {
            uint32_t u = (uint32_t) ((const ggml_bf16 *) w0)[i] << 16;
            float f;
            memcpy(&f, &u, 4);
            sum += f * x[i];
        }
        out[r] = sum;
    }
}

#endif

/* ---- batched quantized product (prefill): rows in tiles of 16, unpacked once, reused for every token ---- */

#if TOKS_AVX512_VNNI

#define TILE 16

/*
 * A tile of 16 rows unpacked for the batched kernel. Every type becomes unsigned bytes u with
 * w = S * u - M per block of 32 (S, M per row and block): Q8_0 u = q + 128, S = d, M = 128 d;
 * Q4_0 u = nibble, S = d, M = 8 d; Q4_1 u = nibble, S = d, M = -m; Q4_K u = nibble (Q5_K: with
 * its fifth bit), S = d scale_j, M = dmin min_j. Bytes are interleaved so that one 512-bit load
 * holds four consecutive values of all 16 rows: group k of block b is
 * u[(b * 8 + k) * 64 + row * 4 + 0..3]. Then
 *   w . x = sum_b S_b dx_b (u_b . qx_b) - M_b dsum_b
 * and one VPDPBUSD with four activation bytes broadcast advances all 16 rows at once.
 */
typedef struct {
    uint8_t *u;
    float *s, *m;   /* [block][16] */
    int cap;
} tile_t;

static __thread tile_t tile;

static int tile_reserve(int cols) {
    if (tile.cap >= cols) return 0;
    free(tile.u);
    free(tile.s);
    free(tile.m);
    tile.u = aligned_alloc(64, (size_t) cols * TILE);
    tile.s = aligned_alloc(64, sizeof(float) * (cols / 16) * TILE); /* per 32 values, or per 16 for Q6_K */
    tile.m = aligned_alloc(64, sizeof(float) * (cols / 16) * TILE);
    tile.cap = (tile.u && tile.s && tile.m) ? cols : 0;
    return tile.cap ? 0 : -1;
}

/*
 * One row's unsigned bytes of block b (32 values) as a 256-bit vector (values 0..31 in order),
 * and its S and M factors (one each: Q6_K has its own row_block_q6k).
 */
static inline __m256i row_block(int type, const uint8_t *row, int b, float *s, float *m) {
    if (type == GGML_TYPE_Q8_0) {
        const block_q8_0 *x = (const block_q8_0 *) row + b;
        float d = fp16_to_fp32(x->d);
        *s = d;
        *m = 128 * d;
        return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) x->qs), _mm256_set1_epi8((char) 0x80));
    }
    if (type == GGML_TYPE_Q4_0) {
        const block_q4_0 *x = (const block_q4_0 *) row + b;
        float d = fp16_to_fp32(x->d);
        *s = d;
        *m = 8 * d;
        return q4_0_nibbles(x->qs);
    }
    if (type == GGML_TYPE_Q4_1) { /* w = d u + m, so M = -m */
        const block_q4_1 *x = (const block_q4_1 *) row + b;
        *s = fp16_to_fp32(x->d);
        *m = -fp16_to_fp32(x->m);
        return q4_0_nibbles(x->qs);
    }
    /* Q4_K and Q5_K: sub-block j = b % 8 of super-block b / 8; d, dmin, scales read through block_q4_K (the same in both) */
    int five = type == GGML_TYPE_Q5_K;
    const uint8_t *blk = row + (b / 8) * (five ? (int) sizeof(block_q5_K) : (int) sizeof(block_q4_K));
    const block_q4_K *x = (const block_q4_K *) blk;
    int j = b % 8;
    const uint8_t *sc = x->scales;
    /*
     * scale_j and min_j as ggml_types.h gives them, from the three bytes at j % 4: loaded before
     * the select, because selecting between byte loads made GCC 12 store a byte and reload it
     * wider, a store-forwarding stall in this per-row loop (docs/performance.md, "Q4_K and Q5_K
     * tile unpacking").
     */
    int lo = sc[j & 3], mid = sc[(j & 3) + 4], hi = sc[(j & 3) + 8];
    int scale = j < 4 ? (lo & 63) : ((hi & 15) | ((lo >> 6) << 4));
    int min = j < 4 ? (mid & 63) : ((hi >> 4) | ((mid >> 6) << 4));
    *s = fp16_to_fp32(x->d) * scale;
    *m = fp16_to_fp32(x->dmin) * min;
    const uint8_t *qs = blk + (five ? (int) offsetof(block_q5_K, qs) : (int) offsetof(block_q4_K, qs));
    __m256i raw = _mm256_loadu_si256((const __m256i *) (qs + 32 * (j / 2)));
    __m256i v = (j & 1) ? _mm256_and_si256(_mm256_srli_epi16(raw, 4), _mm256_set1_epi8(15)) : _mm256_and_si256(raw, _mm256_set1_epi8(15));
    if (five) {
        __m256i qh = _mm256_loadu_si256((const __m256i *) ((const block_q5_K *) blk)->qh);
        v = _mm256_or_si256(v, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, j), _mm256_set1_epi8(1)), 4));
    }
    return v;
}

/*
 * Q6_K: block b (32 values) of a row as signed bytes q - 32, with S = d * scale and
 * M = S * 128 * sum(q - 32) for each of its two halves of 16 (the scales are per 16). The
 * batched Q6_K kernel multiplies unsigned activations x + 128 by these signed weights, so
 * sum w x = S (dot - 128 sum w) per half: M removes the 128.
 */
static inline __m256i row_block_q6k(const uint8_t *row, int b, float *s, float *m) {
    const block_q6_K *x = (const block_q6_K *) row + b / 8;
    int half = (b % 8) / 4, k = b % 4;
    const uint8_t *ql = x->ql + 64 * half + 32 * (k & 1), *qh = x->qh + 32 * half;
    const int8_t *sc = x->scales;
    __m256i l = _mm256_loadu_si256((const __m256i *) ql), h = _mm256_loadu_si256((const __m256i *) qh);
    const __m256i m4 = _mm256_set1_epi8(15), m2 = _mm256_set1_epi8(3);
    __m256i low = k < 2 ? _mm256_and_si256(l, m4) : _mm256_and_si256(_mm256_srli_epi16(l, 4), m4);
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(h, 2 * k), m2);
    __m256i v = _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(high, 4)), _mm256_set1_epi8(32));
    float d = fp16_to_fp32(x->d);
    int8_t q[32];
    _mm256_storeu_si256((__m256i *) q, v);
    for (int part = 0; part < 2; part++) {
        int sum = 0;
        for (int e = 0; e < 16; e++) sum += q[16 * part + e];
        s[part] = d * sc[8 * half + 2 * k + part];
        m[part] = s[part] * 128 * sum;
    }
    return v;
}

/*
 * Unpacks rows [r0, r0 + count) into the tile; lanes past count get zero weights. Each block
 * is a 16 x 8 transpose of 32-bit groups: the 16 rows' vectors go to a scratch row by row, and
 * eight gathers take group k of every row.
 */
static void unpack_tile(int type, const uint8_t *w, int64_t row_bytes, int r0, int count, int cols) {
    int blocks = cols / QB;
    int32_t scratch[TILE * 8] __attribute__((aligned(64)));
    const __m512i rows16 = _mm512_setr_epi32(0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120);
    for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < TILE; i++) {
            float sv[2] = {0, 0}, mv[2] = {0, 0};
            __m256i v = _mm256_setzero_si256();
            const uint8_t *row = w + (int64_t) (r0 + i) * row_bytes;
            if (i < count) v = type == GGML_TYPE_Q6_K ? row_block_q6k(row, b, sv, mv) : row_block(type, row, b, sv, mv);
            _mm256_store_si256((__m256i *) (scratch + 8 * i), v);
            if (type == GGML_TYPE_Q6_K) {
                for (int part = 0; part < 2; part++) {
                    tile.s[(2 * b + part) * TILE + i] = sv[part];
                    tile.m[(2 * b + part) * TILE + i] = mv[part];
                }
            } else {
                tile.s[b * TILE + i] = sv[0];
                tile.m[b * TILE + i] = mv[0];
            }
        }
        for (int k = 0; k < 8; k++) {
            __m512i group = _mm512_i32gather_epi32(_mm512_add_epi32(rows16, _mm512_set1_epi32(k)), scratch, 4);
            _mm512_store_si512((void *) (tile.u + (b * 8 + k) * 64), group);
        }
    }
}

/* Clears the per-token sums of scaled dot products (acc) and of block offsets (off). */
static inline void tile_zero(__m512 *acc, __m512 *off) {
    for (int t = 0; t < 4; t++) {
        acc[t] = _mm512_setzero_ps();
        off[t] = _mm512_setzero_ps();
    }
}

/* out[(t0 + t) * ld + out_row + i] = acc[t] - off[t] in lane i, for tokens t < nt and the tile's rows i < count. */
static inline void tile_store(int nt, int t0, const __m512 *acc, const __m512 *off, float *out, int64_t ld, int out_row, int count) {
    __mmask16 keep = (__mmask16) ((1u << count) - 1);
    for (int t = 0; t < nt; t++) _mm512_mask_storeu_ps(out + (t0 + t) * ld + out_row, keep, _mm512_sub_ps(acc[t], off[t]));
}

/* out[t * ld + i] for the tile's rows i < count and tokens [t0, t0 + nt), nt <= 4. */
static void tile_tokens(int nt, int t0, const int8_t *q, const float *d, const float *dsum, int cols,
                        float *out, int64_t ld, int out_row, int count) {
    int blocks = cols / QB;
    __m512 acc[4], off[4];
    tile_zero(acc, off);
    for (int b = 0; b < blocks; b++) {
        __m512i dot[4];
        for (int t = 0; t < 4; t++) dot[t] = _mm512_setzero_si512();
        const uint8_t *u = tile.u + b * 8 * 64;
        for (int k = 0; k < 8; k++) {
            __m512i wv = _mm512_load_si512((const void *) (u + k * 64));
            for (int t = 0; t < nt; t++) {
                int32_t four;
                memcpy(&four, q + (int64_t) (t0 + t) * cols + b * QB + 4 * k, 4);
                dot[t] = _mm512_dpbusd_epi32(dot[t], wv, _mm512_set1_epi32(four));
            }
        }
        __m512 S = _mm512_load_ps(tile.s + b * TILE), M = _mm512_load_ps(tile.m + b * TILE);
        for (int t = 0; t < nt; t++) {
            int64_t a = (int64_t) (t0 + t) * (cols / QB) + b;
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[t]), _mm512_mul_ps(S, _mm512_set1_ps(d[a])), acc[t]);
            off[t] = _mm512_fmadd_ps(M, _mm512_set1_ps(dsum[a]), off[t]);
        }
    }
    tile_store(nt, t0, acc, off, out, ld, out_row, count);
}

/*
 * As tile_tokens for a Q6_K tile: scales per 16 values, so each block's dot products are
 * scaled half by half; activations go in as unsigned x + 128 against the signed weights.
 */
static void tile_tokens_q6k(int nt, int t0, const int8_t *q, const float *d, int cols,
                            float *out, int64_t ld, int out_row, int count) {
    int blocks = cols / QB;
    __m512 acc[4], off[4];
    tile_zero(acc, off);
    for (int b = 0; b < blocks; b++) {
        const uint8_t *u = tile.u + b * 8 * 64;
        for (int part = 0; part < 2; part++) {
            __m512i dot[4];
            for (int t = 0; t < 4; t++) dot[t] = _mm512_setzero_si512();
            for (int k = 4 * part; k < 4 * part + 4; k++) {
                __m512i wv = _mm512_load_si512((const void *) (u + k * 64));
                for (int t = 0; t < nt; t++) {
                    uint32_t four;
                    memcpy(&four, q + (int64_t) (t0 + t) * cols + b * QB + 4 * k, 4);
                    dot[t] = _mm512_dpbusd_epi32(dot[t], _mm512_set1_epi32((int) (four ^ 0x80808080u)), wv);
                }
            }
            int sub = 2 * b + part;
            __m512 S = _mm512_load_ps(tile.s + sub * TILE), M = _mm512_load_ps(tile.m + sub * TILE);
            for (int t = 0; t < nt; t++) {
                __m512 dx = _mm512_set1_ps(d[(int64_t) (t0 + t) * (cols / QB) + b]);
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[t]), _mm512_mul_ps(S, dx), acc[t]);
                off[t] = _mm512_fmadd_ps(M, dx, off[t]);
            }
        }
    }
    tile_store(nt, t0, acc, off, out, ld, out_row, count);
}

int matmul_q8_avx512(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                     int n, float *out, int64_t ld, int from, int to, int cols) {
    if (tile_reserve(cols) != 0) return -1;
    for (int r0 = from; r0 < to; r0 += TILE) {
        int count = to - r0 < TILE ? to - r0 : TILE;
        unpack_tile(type, w, row_bytes, r0, count, cols);
        for (int t = 0; t < n; t += 4) {
            int nt = n - t < 4 ? n - t : 4;
            if (type == GGML_TYPE_Q6_K) tile_tokens_q6k(nt, t, q, d, cols, out, ld, r0 - from, count);
            else tile_tokens(nt, t, q, d, dsum, cols, out, ld, r0 - from, count);
        }
    }
    return 0;
}
#endif

/* ---- batched float product (prefill) ---- */

#if TOKS_AVX512F

/*
 * Tokens per register block: 4 rows x TT tokens = 4 TT accumulators. TT = 5 is the most for
 * which they, the 4 rows' and the TT tokens' vectors fit the 32 registers (20 + 4 + 5); more
 * tokens per row loaded pays until then (measured: docs/performance.md, "Batched float
 * product: register block"; TOKS_NATIVE_CFLAGS=-DTT=N builds another).
 */
#ifndef TT
#define TT 5
#endif
#ifndef WIDEN_HALVES
#define WIDEN_HALVES 1
#endif

/* 16 BF16 values widened to floats: a BF16 is the top half of the float with the same bits. */
static inline __m512 bf16_to_ps(const ggml_bf16 *p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *) p)), 16));
}

/*
 * The lane sums of 16 vectors at once: lane 4 i + j of the result is the sum of v[4 j + i]. A
 * tree that halves the width at each level and pairs two vectors per instruction (45
 * instructions for 16 sums, against about 8 for each sum alone): on rows as short as a small
 * model's 576 columns, one reduction per accumulator cost a large part of the block's FMAs.
 */
static inline __m512 sum16(const __m512 v[16]) {
    __m512 s[8], t[4], u[2];
    for (int i = 0; i < 8; i++) { /* 512 -> 256 bits: quarters 0,1 of s[i] hold v[2i]'s partial sums, 2,3 v[2i+1]'s */
        __m512 a = v[2 * i], b = v[2 * i + 1];
        s[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    for (int i = 0; i < 4; i++) { /* 256 -> 128: quarter q of t[i] holds v[4i+q]'s */
        __m512 a = s[2 * i], b = s[2 * i + 1];
        t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    for (int i = 0; i < 2; i++) { /* 128 -> 64, within each quarter q: v[8i+q]'s in elements 0,1, v[8i+4+q]'s in 2,3 */
        __m512 a = t[2 * i], b = t[2 * i + 1];
        u[i] = _mm512_add_ps(_mm512_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    /* 64 -> 32: element e of quarter q is the sum of v[4e+q] */
    return _mm512_add_ps(_mm512_shuffle_ps(u[0], u[1], _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_ps(u[0], u[1], _MM_SHUFFLE(3, 1, 3, 1)));
}

/* The lane sums of 4 vectors: element 0 of quarter q of the result is the sum of v[q]. */
static inline __m512 sum4(__m512 a, __m512 b, __m512 c, __m512 d) {
    __m512 s0 = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 s1 = _mm512_add_ps(_mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 t = _mm512_add_ps(_mm512_shuffle_f32x4(s0, s1, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_f32x4(s0, s1, _MM_SHUFFLE(3, 1, 3, 1)));
    t = _mm512_add_ps(t, _mm512_shuffle_ps(t, t, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_add_ps(t, _mm512_shuffle_ps(t, t, _MM_SHUFFLE(1, 0, 3, 2)));
}

/* Stores the 4 x TT sums of a block through dst (a null pointer: a sum not stored), or adds them to what dst holds. */
static inline void store_4xTT(__m512 acc[4][TT], float *const *dst, int add) {
    float lane[16];
    int t = 0;
    for (; t + 4 <= TT; t += 4) {
        __m512 v[16];
        for (int j = 0; j < 4; j++) for (int r = 0; r < 4; r++) v[4 * j + r] = acc[r][t + j];
        _mm512_storeu_ps(lane, sum16(v)); /* lane 4 r + j: row r, token t + j */
        for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) {
            float *d = dst[(t + j) * 4 + r];
            if (d) *d = add ? *d + lane[4 * r + j] : lane[4 * r + j];
        }
    }
    for (; t < TT; t++) {
        _mm512_storeu_ps(lane, sum4(acc[0][t], acc[1][t], acc[2][t], acc[3][t]));
        for (int r = 0; r < 4; r++) {
            float *d = dst[t * 4 + r];
            if (d) *d = add ? *d + lane[4 * r] : lane[4 * r];
        }
    }
}

/*
 * 4 rows x TT tokens per step over the row length, in 4 TT accumulators. F32, F16 and BF16
 * weights (F16 and BF16 widened on load) multiply float activations with FMAs, which every
 * AVX-512 CPU has; where the CPU has AVX512_BF16, BF16 weights take BF16 activations (rounded
 * to nearest even, as llama.cpp does for BF16) and VDPBF16PS, two products per lane per
 * instruction. Rows past a block's end repeat the last row and tokens past the batch's end the
 * last token; their sums are not stored.
 */
static void block_4xTT(int type, int xtype, const uint8_t *const *row, const void *const *x, int cols, float *const *dst, int add) {
    __m512 acc[4][TT];
    for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_setzero_ps();
    if (xtype == GGML_TYPE_BF16) {
#if TOKS_AVX512_BF16
        for (int k = 0; k < cols; k += 32) {
            __m512bh xv[TT], wv[4];
            for (int t = 0; t < TT; t++) xv[t] = (__m512bh) _mm512_loadu_si512((const ggml_bf16 *) x[t] + k);
            for (int r = 0; r < 4; r++) wv[r] = (__m512bh) _mm512_loadu_si512((const ggml_bf16 *) row[r] + k);
            for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_dpbf16_ps(acc[r][t], wv[r], xv[t]);
        }
#endif
    } else {
        for (int k = 0; k < cols; k += 16) {
            __m512 xv[TT], wv[4];
            for (int t = 0; t < TT; t++) xv[t] = _mm512_loadu_ps((const float *) x[t] + k);
            for (int r = 0; r < 4; r++) {
                wv[r] = type == GGML_TYPE_F32    ? _mm512_loadu_ps((const float *) row[r] + k)
                        : type == GGML_TYPE_BF16 ? bf16_to_ps((const ggml_bf16 *) row[r] + k)
                                                 : _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) ((const ggml_half *) row[r] + k)));
            }
            for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_fmadd_ps(wv[r], xv[t], acc[r][t]);
        }
    }
    store_4xTT(acc, dst, add);
}

/*
 * Rows go in groups that fit the L2 cache, so the activations stream once per group. Rows of
 * more than SLICE_MAX_COLS columns go in even slices of at most SLICE_COLS, the sums of each
 * slice added to those before: the group is then as many rows as fit for one slice, and the
 * activations, streamed from beyond L2 once per group, serve more rows (whole rows of 8192
 * floats would make groups of 8). Measured: docs/performance.md, "Batched float product: long rows
 * in slices"; TOKS_NATIVE_CFLAGS=-DSLICE_COLS=N builds another.
 */
#ifndef SLICE_COLS
#define SLICE_COLS 1024
#endif
#ifndef SLICE_MAX_COLS
#define SLICE_MAX_COLS SLICE_COLS
#endif

/* A thread's F16 or BF16 rows widened to floats, a slice of a group at a time. */
static __thread float *widened;
static __thread size_t widened_cap;

/* Room for this many floats in the thread's widened rows: 0, or -1 when out of memory. */
static int widened_reserve(size_t floats) {
    if (widened_cap >= floats) return 0;
    free(widened);
    widened = aligned_alloc(64, sizeof(float) * floats);
    widened_cap = widened ? floats : 0;
    return widened ? 0 : -1;
}

/* Rows per group: as many as fit 256 KiB, the share of the L2 cache the blocks' rows stream from; a multiple of 4. */
static int group_rows(int64_t row_bytes) {
    int group = (int) ((256 * 1024) / row_bytes) & ~3;
    return group < 4 ? 4 : group;
}

void matmul_f_avx512(int type, int xtype, const uint8_t *w, int64_t row_bytes, const void *x, int n, float *out, int64_t ld,
                     int from, int to, int cols) {
    int xsize = xtype == GGML_TYPE_F32 ? (int) sizeof(float) : (int) sizeof(ggml_bf16); /* BF16 activations: 2 bytes */
    int wsize = type == GGML_TYPE_F32 ? (int) sizeof(float) : (int) sizeof(ggml_half); /* F16 and BF16 weights: 2 bytes */
    /* slices of whole 32-column units (cols is a multiple of 32), their sizes differing by one unit at most */
    int units = cols / 32, slices = cols <= SLICE_MAX_COLS ? 1 : (cols + SLICE_COLS - 1) / SLICE_COLS;
    int slice = 32 * ((units + slices - 1) / slices); /* the longest */
    /*
     * F16 and BF16 weights against float activations: each group of rows widened to floats once
     * (a slice at a time), then multiplied as F32 rows, so the conversions are paid once per
     * weight rather than once per weight and register block of tokens.
     */
    int64_t float_slice_bytes = (int64_t) slice * (int64_t) sizeof(float);
    /* out of memory for the widened rows: each row converted where it is used */
    int widen = WIDEN_HALVES && (type == GGML_TYPE_F16 || type == GGML_TYPE_BF16) && xtype == GGML_TYPE_F32
                && widened_reserve((size_t) group_rows(float_slice_bytes) * (size_t) slice) == 0;
    int group = group_rows(widen ? float_slice_bytes : (int64_t) slice * wsize);
    int row_type = widen ? GGML_TYPE_F32 : type;
    for (int g = from; g < to; g += group) {
        int gend = g + group < to ? g + group : to;
        for (int s = 0, k0 = 0; s < slices; s++) {
            int kc = 32 * (units / slices + (s < units % slices));
            const uint8_t *base = w + (int64_t) g * row_bytes + (int64_t) k0 * wsize;
            int64_t stride = row_bytes;
            if (widen) {
                for (int r = g; r < gend; r++) {
                    const uint8_t *src = w + (int64_t) r * row_bytes + (int64_t) k0 * wsize;
                    float *dst = widened + (size_t) (r - g) * kc;
                    if (type == GGML_TYPE_BF16) {
                        for (int k = 0; k < kc; k += 16) _mm512_store_ps(dst + k, bf16_to_ps((const ggml_bf16 *) src + k));
                    } else {
                        const ggml_half *h = (const ggml_half *) src;
                        for (int k = 0; k < kc; k += 16) _mm512_store_ps(dst + k, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (h + k))));
                    }
                }
                base = (const uint8_t *) widened;
                stride = (int64_t) kc * (int64_t) sizeof(float);
            }
            for (int t0 = 0; t0 < n; t0 += TT) {
                const void *xs[TT];
                for (int t = 0; t < TT; t++) xs[t] = (const uint8_t *) x + ((int64_t) (t0 + t < n ? t0 + t : n - 1) * cols + k0) * xsize;
                for (int r0 = g; r0 < gend; r0 += 4) {
                    const uint8_t *rows[4];
                    float *dst[4 * TT];
                    for (int r = 0; r < 4; r++) {
                        int rr = r0 + r < gend ? r0 + r : gend - 1;
                        rows[r] = base + (int64_t) (rr - g) * stride;
                        for (int t = 0; t < TT; t++) {
                            dst[t * 4 + r] = (r0 + r < gend && t0 + t < n) ? out + (int64_t) (t0 + t) * ld + (r0 + r - from) : 0;
                        }
                    }
                    block_4xTT(row_type, xtype, rows, xs, kc, dst, k0 > 0);
                }
            }
            k0 += kc;
        }
    }
}
#endif

/* ---- peak dot-product loops (toks hw) ---- */

#if TOKS_AVX512_VNNI || TOKS_AVX512_BF16
/*
 * Accumulators per round: latency (4 to 6 cycles) x instructions issued per cycle (up to 2) is at
 * most 12 on current x86 cores; 16 fill half of the 32 registers and leave room for the operands.
 */
#define PEAK_CHAINS 16

/* Each thread's last sum of its accumulators: a volatile store, so the compiler keeps the loop. */
static __thread volatile float peak_sink;
/* The operands are read at run time, so the compiler cannot fold the chains into constants. */
static volatile float peak_operand = 0.01f;
#endif

/*
 * The instructions are written out, accumulating in place: with the intrinsics gcc 12 copied
 * every accumulator each round (VPDPBUSD overwrites its accumulator) and spilled one, and the loop
 * timed the copies along with the products. AT&T order: the accumulator is the last operand.
 */
#if TOKS_AVX512_VNNI
static inline __m512i dpbusd_in_place(__m512i acc, __m512i u8, __m512i s8) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u8), "v"(s8));
    return acc;
}

/* acc += four products of 1 x 1 per lane per round: the sums wrap after 2^29 rounds, which costs nothing. */
int64_t peak_int8_avx512(int64_t iterations) {
    __m512i one = _mm512_set1_epi8((char) (peak_operand > 0));
    __m512i acc[PEAK_CHAINS];
    for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = _mm512_set1_epi32(k);
    for (int64_t i = 0; i < iterations; i++) {
        for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = dpbusd_in_place(acc[k], one, one);
    }
    for (int k = 1; k < PEAK_CHAINS; k++) acc[0] = _mm512_add_epi32(acc[0], acc[k]);
    peak_sink = (float) _mm512_reduce_add_epi32(acc[0]);
    return iterations * PEAK_CHAINS * OPS_DPBUSD_ZMM;
}
#endif

#if TOKS_AVX512_BF16
static inline __m512 dpbf16_in_place(__m512 acc, __m512bh a, __m512bh b) {
    __asm__("vdpbf16ps %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
    return acc;
}

/* acc += two products of 0.01 x 0.01 per lane per round: far from overflow and from denormals. */
int64_t peak_bf16_avx512(int64_t iterations) {
    __m512 x = _mm512_set1_ps(peak_operand);
    __m512bh h = _mm512_cvtne2ps_pbh(x, x);
    __m512 acc[PEAK_CHAINS];
    for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = _mm512_set1_ps((float) k);
    for (int64_t i = 0; i < iterations; i++) {
        for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = dpbf16_in_place(acc[k], h, h);
    }
    for (int k = 1; k < PEAK_CHAINS; k++) acc[0] = _mm512_add_ps(acc[0], acc[k]);
    peak_sink = _mm512_reduce_add_ps(acc[0]);
    return iterations * PEAK_CHAINS * OPS_DPBF16_ZMM;
}
#endif

/* ---- the product of pre-tiled weights (kernels_tiled.c has the layout) ---- */

#if TOKS_AVX512_VNNI
#ifndef SPLIT_MAX_NT
#define SPLIT_MAX_NT 2
#endif
enum tiled_kind { TILED_Q4_0, TILED_Q8_0, TILED_Q4_K, TILED_Q6_K };

/* Q6_K's top two bits of group j (j < 4) of a high vector, moved to bits 4 and 5 of each byte. */
static inline __attribute__((always_inline)) __m512i q6_high(__m512i high, const int j) {
    const __m512i bits45 = _mm512_set1_epi8(0x30);
    if (j == 0) return _mm512_and_si512(_mm512_slli_epi16(high, 4), bits45);
    if (j == 1) return _mm512_and_si512(_mm512_slli_epi16(high, 2), bits45);
    if (j == 2) return _mm512_and_si512(high, bits45);
    return _mm512_and_si512(_mm512_srli_epi16(high, 2), bits45);
}

/* Four activation bytes at x, broadcast to every lane. */
static inline __m512i four(const int8_t *x) {
    int32_t v;
    memcpy(&v, x, 4);
    return _mm512_set1_epi32(v);
}

/*
 * out[(t0 + t) * ld + row - out_row0] for tokens t < NT and the rows of one tile that `keep`
 * marks. KIND and NT are constants where tiled_pass is inlined (tiled_tile's switch), so the
 * loops unroll and the accumulators stay in registers: per token a dot product (two for Q6_K,
 * whose scales are per 16 values, and for NT <= SPLIT_MAX_NT), a scaled sum and an offset sum;
 * 24 of the 32 vector registers at most (NT <= 8, Q6_K NT <= 4). half_sums (Q6_K): dx sum(q) per 16 activations.
 */
static inline __attribute__((always_inline)) void tiled_pass(const int KIND, const int NT, const uint8_t *tile, int blocks,
                                                             int64_t scales_bytes, const int8_t *q, const float *d,
                                                             const float *dsum, const float *half_sums, int t0, float *out,
                                                             int64_t ld, int64_t out_col, __mmask16 keep) {
    const int cols = blocks * QB;
    const int64_t packed_bytes = KIND == TILED_Q8_0 ? 512 : KIND == TILED_Q6_K ? 384 : 256;
    const int64_t unit_bytes = KIND == TILED_Q4_K ? TILE_ROWS * 20 : KIND == TILED_Q6_K ? TILE_ROWS * 18 : TILE_ROWS * 2;
    const uint8_t *values = tile + scales_bytes;
    const __m512i m4 = _mm512_set1_epi8(15);
    /*
     * Two chains of dot products per token (Q6_K: one per half, whose scales differ): with one or
     * two tokens a block's eight VPDPBUSD in one chain wait on each other's latency; with more,
     * the tokens' chains run side by side and registers are short.
     */
    const int SPLIT = KIND == TILED_Q6_K || NT <= SPLIT_MAX_NT;
    __m512 acc[8], off[8];
    for (int t = 0; t < NT; t++) {
        acc[t] = _mm512_setzero_ps();
        off[t] = _mm512_setzero_ps();
    }
    const int8_t *qt = q + (int64_t) t0 * cols;
    const int64_t da0 = (int64_t) t0 * blocks;
    __m512 D = _mm512_setzero_ps(), DM = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const uint8_t *packed = values + b * packed_bytes;
        for (int line = 0; line < packed_bytes; line += 64) PREFETCH(packed + line);
        /* this block's factors of the 16 rows: w = S u - M (Q6_K: per half, S and Sh) */
        __m512 S, M, Sh = _mm512_setzero_ps();
        if (KIND == TILED_Q4_0 || KIND == TILED_Q8_0) {
            PREFETCH(tile + b * unit_bytes);
            S = _mm512_cvtph_ps(_mm256_load_si256((const __m256i *) (tile + b * unit_bytes)));
            M = _mm512_mul_ps(S, _mm512_set1_ps(KIND == TILED_Q4_0 ? 8.0f : 128.0f));
        } else {
            const uint8_t *unit = tile + (b / 8) * unit_bytes;
            int j = b % 8;
            if (j == 0) {
                for (int line = 0; line < unit_bytes; line += 64) PREFETCH(unit + line);
                D = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) unit));
                if (KIND == TILED_Q4_K) DM = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (unit + 32)));
            }
            if (KIND == TILED_Q4_K) {
                S = _mm512_mul_ps(D, _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *) (unit + 64 + 16 * j)))));
                M = _mm512_mul_ps(DM, _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *) (unit + 192 + 16 * j)))));
            } else {
                S = _mm512_mul_ps(D, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *) (unit + 32 + 32 * j)))));
                Sh = _mm512_mul_ps(D, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *) (unit + 48 + 32 * j)))));
                M = _mm512_setzero_ps();
            }
        }
        __m512i dot[8], doth[8];
        for (int t = 0; t < NT; t++) {
            dot[t] = _mm512_setzero_si512();
            if (SPLIT) doth[t] = _mm512_setzero_si512();
        }
        if (KIND == TILED_Q8_0) {
            for (int k = 0; k < 8; k++) {
                __m512i v = _mm512_load_si512((const void *) (packed + 64 * k));
                for (int t = 0; t < NT; t++) {
                    __m512i x4 = four(qt + (int64_t) t * cols + b * QB + 4 * k);
                    if (SPLIT && k % 2) doth[t] = _mm512_dpbusd_epi32(doth[t], v, x4);
                    else dot[t] = _mm512_dpbusd_epi32(dot[t], v, x4);
                }
            }
        } else {
            __m512i high0 = _mm512_setzero_si512(), high1 = _mm512_setzero_si512();
            if (KIND == TILED_Q6_K) {
                high0 = _mm512_load_si512((const void *) (packed + 256));
                high1 = _mm512_load_si512((const void *) (packed + 320));
            }
            for (int j = 0; j < 4; j++) {
                __m512i v = _mm512_load_si512((const void *) (packed + 64 * j));
                __m512i lo = _mm512_and_si512(v, m4), hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), m4);
                if (KIND == TILED_Q6_K) {
                    lo = _mm512_or_si512(lo, q6_high(high0, j));
                    hi = _mm512_or_si512(hi, q6_high(high1, j));
                }
                for (int t = 0; t < NT; t++) {
                    const int8_t *x = qt + (int64_t) t * cols + b * QB;
                    dot[t] = _mm512_dpbusd_epi32(dot[t], lo, four(x + 4 * j));
                    if (SPLIT) doth[t] = _mm512_dpbusd_epi32(doth[t], hi, four(x + 4 * (j + 4)));
                    else dot[t] = _mm512_dpbusd_epi32(dot[t], hi, four(x + 4 * (j + 4)));
                }
            }
        }
        for (int t = 0; t < NT; t++) {
            int64_t a = da0 + (int64_t) t * blocks + b;
            __m512 dx = _mm512_set1_ps(d[a]);
            if (KIND == TILED_Q6_K) {
                /* w = S (u - 32) per half: the offset 32 S dx sum(q) per half */
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[t]), _mm512_mul_ps(S, dx), acc[t]);
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(doth[t]), _mm512_mul_ps(Sh, dx), acc[t]);
                off[t] = _mm512_fmadd_ps(S, _mm512_set1_ps(half_sums[2 * a]), off[t]);
                off[t] = _mm512_fmadd_ps(Sh, _mm512_set1_ps(half_sums[2 * a + 1]), off[t]);
            } else {
                if (SPLIT) dot[t] = _mm512_add_epi32(dot[t], doth[t]);
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[t]), _mm512_mul_ps(S, dx), acc[t]);
                off[t] = _mm512_fmadd_ps(M, _mm512_set1_ps(dsum[a]), off[t]);
            }
        }
    }
    const __m512 C = _mm512_set1_ps(KIND == TILED_Q6_K ? 32.0f : 1.0f);
    for (int t = 0; t < NT; t++) {
        _mm512_mask_storeu_ps(out + (t0 + t) * ld + out_col, keep, _mm512_fnmadd_ps(C, off[t], acc[t]));
    }
}

/* One tile against tokens [t0, t0 + nt): nt <= 8, for Q6_K nt <= 4. */
static void tiled_tile(int kind, int nt, const uint8_t *tile, int blocks, int64_t scales_bytes, const int8_t *q, const float *d,
                       const float *dsum, const float *half_sums, int t0, float *out, int64_t ld, int64_t out_col, __mmask16 keep) {
#define TILED_PASS(K, N) tiled_pass(K, N, tile, blocks, scales_bytes, q, d, dsum, half_sums, t0, out, ld, out_col, keep)
#define TILED_CASE(N) \
    case N: \
        switch (kind) { \
            case TILED_Q4_0: TILED_PASS(TILED_Q4_0, N); return; \
            case TILED_Q8_0: TILED_PASS(TILED_Q8_0, N); return; \
            case TILED_Q4_K: TILED_PASS(TILED_Q4_K, N); return; \
            default: if (N <= 4) TILED_PASS(TILED_Q6_K, N); return; \
        }
    switch (nt) {
        TILED_CASE(1) TILED_CASE(2) TILED_CASE(3) TILED_CASE(4) TILED_CASE(5) TILED_CASE(6) TILED_CASE(7) TILED_CASE(8)
        default: return;
    }
#undef TILED_CASE
#undef TILED_PASS
}

/* Per calling thread: dx sum(q) per 16 activations (Q6_K's scales are per 16 values), grown to the largest batch seen. */
static __thread float *half_sums_buffer;
static __thread int64_t half_sums_cap;

static const float *half_sums(const int8_t *q, const float *d, int n, int blocks) {
    int64_t need = 2 * (int64_t) n * blocks;
    if (half_sums_cap < need) {
        free(half_sums_buffer);
        half_sums_buffer = malloc(sizeof(float) * (size_t) need);
        half_sums_cap = half_sums_buffer ? need : 0;
        if (!half_sums_buffer) return NULL;
    }
    const __m128i bias = _mm_set1_epi8((char) 0x80);
    for (int64_t a = 0; a < (int64_t) n * blocks; a++) {
        for (int h = 0; h < 2; h++) {
            /* sum of the 16 bytes as unsigned (q + 128), less 16 x 128 */
            __m128i sad = _mm_sad_epu8(_mm_xor_si128(_mm_loadu_si128((const __m128i *) (q + a * QB + 16 * h)), bias), _mm_setzero_si128());
            int sum = _mm_cvtsi128_si32(sad) + _mm_extract_epi16(sad, 4) - 16 * 128;
            half_sums_buffer[2 * a + h] = d[a] * (float) sum;
        }
    }
    return half_sums_buffer;
}

/*
 * Rows [from, to) of the tiled matrix against n tokens: tile by tile, and within a tile eight
 * tokens at a time (four for Q6_K), so the tile (a few tens of KiB) is read from memory once and
 * from cache by the other token groups. Rows of a tile outside [from, to) are computed but not
 * stored. -1 when out of memory.
 */
int tiled_matmul_avx512(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                        int n, float *out, int64_t ld, int64_t out_row0, int from, int to) {
    int blocks = cols / QB;
    int kind = type == GGML_TYPE_Q4_0 ? TILED_Q4_0 : type == GGML_TYPE_Q8_0 ? TILED_Q8_0 : type == GGML_TYPE_Q4_K ? TILED_Q4_K : TILED_Q6_K;
    const float *sums = NULL;
    if (kind == TILED_Q6_K && !(sums = half_sums(q, d, n, blocks))) return -1;
    int group = kind == TILED_Q6_K ? 4 : 8;
    int64_t size = tile_bytes(type, cols), scales_bytes = tile_scales_bytes(type, cols);
    for (int tile = from / TILE_ROWS; tile * TILE_ROWS < to; tile++) {
        int first = tile * TILE_ROWS;
        int lo = from > first ? from - first : 0, hi = to - first < TILE_ROWS ? to - first : TILE_ROWS;
        __mmask16 keep = (__mmask16) (((1u << hi) - 1) & ~((1u << lo) - 1));
        for (int t = 0; t < n; t += group) {
            int nt = n - t < group ? n - t : group;
            tiled_tile(kind, nt, tiles + tile * size, blocks, scales_bytes, q, d, dsum, sums, t, out, ld, first - out_row0, keep);
        }
    }
    return 0;
}
#endif
