/*
 * Attention in 512-bit registers (AVX-512 F, BW, VL): 16 positions per vector in the scores (the
 * keys are stored transposed, so a query element broadcast times a row of keys is 16 partial
 * dot products with no horizontal sum), 16 dimensions per vector in the weighted sum. Each key
 * or value vector loaded serves up to 4 query heads of the group (16 accumulators), as the Java
 * kernels do (docs/performance.md, "Attention: four query heads per key/value head"). F16 widens
 * with VCVTPH2PS, Q8_0 with VPMOVSXBD and a multiply by its scale, in registers; the last
 * positions of a block are masked loads, never reads past the block.
 */
#include <math.h>

#include "attention_internal.h"
#include "vector_exp.h"

#if TOKS_ATTEND_512
#include <immintrin.h>

/* Positions per tile of the scores: 4 vectors. */
#define TILE 64

/*
 * Software prefetch of the keys this many positions ahead along each key row, and of the values
 * this many positions ahead: at depth a decode step reads the whole cache from memory once, and
 * a head's 64-128 key rows are more concurrent streams than the hardware prefetchers follow
 * (docs/performance.md, "Native attention at depth"). TOKS_NATIVE_CFLAGS=-DATTEND_KEYS_AHEAD=N
 * (build.sh) measures another distance; 0 builds none.
 */
#ifndef ATTEND_KEYS_AHEAD
#define ATTEND_KEYS_AHEAD 128
#endif
#ifndef ATTEND_VALUES_AHEAD
#define ATTEND_VALUES_AHEAD 16
#endif

/* 16 elements of type `type` from p (index i), widened to float; lanes off in m read nothing and are 0. */
ALWAYS_INLINE __m512 load16(int type, const void *p, int64_t i, __mmask16 m) {
    switch (type) {
        case GGML_TYPE_F32: return _mm512_maskz_loadu_ps(m, (const float *) p + i);
        case GGML_TYPE_F16: return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, (const uint16_t *) p + i));
        default: return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, (const int8_t *) p + i)));
    }
}

/* The lanes of a 16-position vector starting at p that lie before n. */
static inline __mmask16 lanes(int p, int n) {
    int left = n - p;
    return left >= 16 ? (__mmask16) 0xffff : left <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << left) - 1);
}

/* Hints the cache lines of `bytes` bytes from p (a tile's worth of one key or scale row). */
ALWAYS_INLINE void prefetch_bytes(const void *p, int bytes) {
    for (int b = 0; b < bytes; b += 64) _mm_prefetch((const char *) p + b, _MM_HINT_T0);
}

/*
 * scores[j * n + p + i] = scale * q_j . k_{p + i} for heads j < heads (1 to 4, a constant after
 * inlining) and the 64 positions i of the tile at p (fewer at the block's end: masked).
 */
ALWAYS_INLINE void scores_tile(int type, int heads, const struct kv_block *kv, const float *q, float scale, int p,
                               float *scores) {
    const int hs = kv->head_size, n = kv->n, bytes = type == GGML_TYPE_F32 ? 4 : type == GGML_TYPE_F16 ? 2 : 1;
    const int64_t stride = kv->key_stride;
    const __mmask16 m[4] = {lanes(p, n), lanes(p + 16, n), lanes(p + 32, n), lanes(p + 48, n)};
    __m512 acc[4][4];
    for (int j = 0; j < heads; j++) {
        for (int v = 0; v < 4; v++) acc[j][v] = _mm512_setzero_ps();
    }
    /* Q8_0 scales cover blocks of 32 dimensions; F32 and F16 heads of any size are one block */
    const int block = type == GGML_TYPE_Q8_0 ? KV_Q8_BLOCK : hs;
    for (int b = 0; b < hs; b += block) {
        __m512 ks[4]; /* Q8_0: the scales of this block of dimensions, one per position */
        if (type == GGML_TYPE_Q8_0) {
            const uint16_t *row = kv->key_scales + (b / KV_Q8_BLOCK) * stride + p;
            if (ATTEND_KEYS_AHEAD) prefetch_bytes(row + ATTEND_KEYS_AHEAD, 2 * TILE);
            for (int v = 0; v < 4; v++) ks[v] = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m[v], row + 16 * v));
        }
        for (int d = b; d < b + block; d++) {
            int64_t at = d * stride + p;
            if (ATTEND_KEYS_AHEAD) prefetch_bytes((const char *) kv->keys + (at + ATTEND_KEYS_AHEAD) * bytes, TILE * bytes);
            __m512 k[4];
            for (int v = 0; v < 4; v++) {
                k[v] = load16(type, kv->keys, at + 16 * v, m[v]);
                if (type == GGML_TYPE_Q8_0) k[v] = _mm512_mul_ps(k[v], ks[v]);
            }
            for (int j = 0; j < heads; j++) {
                __m512 qd = _mm512_set1_ps(q[j * hs + d]);
                for (int v = 0; v < 4; v++) acc[j][v] = _mm512_fmadd_ps(k[v], qd, acc[j][v]);
            }
        }
    }
    __m512 s = _mm512_set1_ps(scale);
    for (int j = 0; j < heads; j++) {
        for (int v = 0; v < 4; v++) _mm512_mask_storeu_ps(scores + j * n + p + 16 * v, m[v], _mm512_mul_ps(acc[j][v], s));
    }
}

/*
 * Over the scores s[0, n) in place: s = exp(s - max); returns the log-sum-exp, and 1 / the sum
 * of the exponentials into inv.
 */
static float softmax(float *s, int n, float *inv) {
    __m512 mx = _mm512_set1_ps(-INFINITY);
    int p = 0;
    for (; p + 16 <= n; p += 16) mx = _mm512_max_ps(mx, _mm512_loadu_ps(s + p));
    __mmask16 tail = lanes(p, n);
    if (tail) mx = _mm512_mask_max_ps(mx, tail, mx, _mm512_maskz_loadu_ps(tail, s + p));
    float max = _mm512_reduce_max_ps(mx);
    __m512 mv = _mm512_set1_ps(max), sum = _mm512_setzero_ps();
    for (p = 0; p + 16 <= n; p += 16) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_loadu_ps(s + p), mv));
        _mm512_storeu_ps(s + p, e);
        sum = _mm512_add_ps(sum, e);
    }
    if (tail) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, s + p), mv));
        _mm512_mask_storeu_ps(s + p, tail, e);
        sum = _mm512_mask_add_ps(sum, tail, sum, e);
    }
    float total = _mm512_reduce_add_ps(sum);
    *inv = 1.0f / total;
    return max + logf(total);
}

/*
 * out[j * hs + dc + i] = inv[j] * sum_p w[j * n + p] v_p[dc + i] for heads j < heads and the
 * `vectors` x 16 dimensions i from dc (1 to 4 vectors, a constant after inlining), of which the
 * last vector holds only the lanes in `last` (a head size not a multiple of 16): the rest are
 * neither read nor written.
 */
ALWAYS_INLINE void values_tile(int type, int heads, int vectors, const struct kv_block *kv, const float *w, const float *inv,
                               int dc, __mmask16 last, float *out) {
    const int hs = kv->head_size, n = kv->n, bytes = type == GGML_TYPE_F32 ? 4 : type == GGML_TYPE_F16 ? 2 : 1;
    const int64_t stride = kv->value_stride;
    __m512 acc[4][4];
    for (int j = 0; j < heads; j++) {
        for (int v = 0; v < vectors; v++) acc[j][v] = _mm512_setzero_ps();
    }
    for (int p = 0; p < n; p++) {
        int64_t at = p * stride + dc;
        /* the first pass over the rows hints the whole head's row; later passes find it in cache */
        if (ATTEND_VALUES_AHEAD && dc == 0) {
            prefetch_bytes((const char *) kv->values + (at + ATTEND_VALUES_AHEAD * stride) * bytes, hs * bytes);
        }
        __m512 v[4];
        for (int i = 0; i < vectors; i++) v[i] = load16(type, kv->values, at + 16 * i, i == vectors - 1 ? last : 0xffff);
        if (type == GGML_TYPE_Q8_0) {
            const uint16_t *scales = kv->value_scales + p * kv->value_scale_stride + dc / KV_Q8_BLOCK;
            for (int i = 0; i + 1 < vectors; i += 2) {
                __m512 d = _mm512_set1_ps(_cvtsh_ss(scales[i / 2]));
                v[i] = _mm512_mul_ps(v[i], d);
                v[i + 1] = _mm512_mul_ps(v[i + 1], d);
            }
        }
        for (int j = 0; j < heads; j++) {
            __m512 wj = _mm512_set1_ps(w[j * n + p]);
            for (int i = 0; i < vectors; i++) acc[j][i] = _mm512_fmadd_ps(v[i], wj, acc[j][i]);
        }
    }
    for (int j = 0; j < heads; j++) {
        __m512 scale = _mm512_set1_ps(inv[j]);
        for (int i = 0; i < vectors; i++) {
            _mm512_mask_storeu_ps(out + j * hs + dc + 16 * i, i == vectors - 1 ? last : 0xffff, _mm512_mul_ps(acc[j][i], scale));
        }
    }
}

/* A group of 1 to 4 heads: scores, softmax, weighted sum; every loop specialized to type and heads. */
ALWAYS_INLINE void attend_heads(int type, int heads, const struct kv_block *kv, const float *q, float scale, float *out,
                                float *lse, float *scores) {
    const int hs = kv->head_size, n = kv->n;
    for (int p = 0; p < n; p += TILE) scores_tile(type, heads, kv, q, scale, p, scores);
    float inv[4];
    for (int j = 0; j < heads; j++) lse[j] = softmax(scores + j * n, n, &inv[j]);
    int dc = 0;
    for (; dc + 64 <= hs; dc += 64) values_tile(type, heads, 4, kv, scores, inv, dc, 0xffff, out);
    int left = hs - dc; /* Q8_0: 0 or 32; F32 and F16: 0 to 63, the last vector masked */
    __mmask16 last = lanes(0, left - 16 * ((left - 1) / 16));
    if (left > 48) values_tile(type, heads, 4, kv, scores, inv, dc, last, out);
    else if (left > 32) values_tile(type, heads, 3, kv, scores, inv, dc, last, out);
    else if (left > 16) values_tile(type, heads, 2, kv, scores, inv, dc, last, out);
    else if (left > 0) values_tile(type, heads, 1, kv, scores, inv, dc, last, out);
}

ALWAYS_INLINE void attend_type(int type, const struct kv_block *kv, const float *q, int count, float scale, float *out,
                               float *lse, float *scores) {
    const int hs = kv->head_size, n = kv->n;
    for (int j = 0; j < count; j += 4) {
        const float *qj = q + j * hs;
        float *oj = out + j * hs, *lj = lse + j, *sj = scores + j * n;
        int left = count - j; /* a constant head count per call, so each loop is unrolled for it */
        if (left >= 4) attend_heads(type, 4, kv, qj, scale, oj, lj, sj);
        else if (left == 3) attend_heads(type, 3, kv, qj, scale, oj, lj, sj);
        else if (left == 2) attend_heads(type, 2, kv, qj, scale, oj, lj, sj);
        else attend_heads(type, 1, kv, qj, scale, oj, lj, sj);
    }
}

void attend_avx512(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse, float *scores) {
    unsigned int csr = _mm_getcsr();
    _mm_setcsr(csr | MXCSR_FTZ | MXCSR_DAZ);
    switch (kv->type) {
        case GGML_TYPE_F32: attend_type(GGML_TYPE_F32, kv, q, count, scale, out, lse, scores); break;
        case GGML_TYPE_F16: attend_type(GGML_TYPE_F16, kv, q, count, scale, out, lse, scores); break;
        default: attend_type(GGML_TYPE_Q8_0, kv, q, count, scale, out, lse, scores); break;
    }
    _mm_setcsr(csr);
}
#endif
