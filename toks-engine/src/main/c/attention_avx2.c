/*
 * Attention in 256-bit registers (AVX2, FMA, F16C): every build has it, and the dispatch runs it
 * where the build CPU lacks AVX-512. The same shape as attention_avx512.c at half the width, and
 * sized for the 16 registers of an AVX2 CPU: 16 positions per tile of the scores and 16
 * dimensions per pass of the weighted sum, each load serving up to 4 query heads (8
 * accumulators). AVX2 has no masked byte or word loads, so the last positions of a block (fewer
 * than 16) are copied into a zero-padded buffer first: a block's end is never read past.
 */
#include <math.h>
#include <string.h>

#include "attention_internal.h"
#include "vector_exp.h"

#include <immintrin.h>

/* Positions per tile of the scores: 2 vectors. */
#define TILE 16

static inline float hmax8(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
}

static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

/* 8 elements of type `type` from p (index i), widened to float. */
ALWAYS_INLINE __m256 load8(int type, const void *p, int64_t i) {
    switch (type) {
        case GGML_TYPE_F32: return _mm256_loadu_ps((const float *) p + i);
        case GGML_TYPE_F16: return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) ((const uint16_t *) p + i)));
        default: return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *) ((const int8_t *) p + i))));
    }
}

/*
 * 16 elements of `bytes` bytes each from p (index i) as two vectors of type `type`; when r < 16
 * only r are read, the rest are 0.
 */
ALWAYS_INLINE void load16(int type, int bytes, const void *p, int64_t i, int r, __m256 *lo, __m256 *hi) {
    const char *at = (const char *) p + i * bytes;
    if (r >= 16) {
        *lo = load8(type, at, 0);
        *hi = load8(type, at, 8);
        return;
    }
    _Alignas(32) char padded[16 * 4] = {0};
    memcpy(padded, at, (size_t) r * bytes);
    *lo = load8(type, padded, 0);
    *hi = load8(type, padded, 8);
}

/*
 * scores[j * n + p + i] = scale * q_j . k_{p + i} for heads j < heads (1 to 4, a constant after
 * inlining) and the 16 positions i of the tile at p (r = those left before the block's end).
 */
ALWAYS_INLINE void scores_tile(int type, int heads, const struct kv_block *kv, const float *q, float scale, int p,
                               float *scores) {
    const int hs = kv->head_size, n = kv->n, r = n - p, bytes = type == GGML_TYPE_F32 ? 4 : type == GGML_TYPE_F16 ? 2 : 1;
    const int64_t stride = kv->key_stride;
    __m256 acc[4][2];
    for (int j = 0; j < heads; j++) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
    /* Q8_0 scales cover blocks of 32 dimensions; F32 and F16 heads of any size are one block */
    const int block = type == GGML_TYPE_Q8_0 ? KV_Q8_BLOCK : hs;
    for (int b = 0; b < hs; b += block) {
        __m256 s0 = _mm256_setzero_ps(), s1 = s0; /* Q8_0: the scales of this block of dimensions */
        if (type == GGML_TYPE_Q8_0) load16(GGML_TYPE_F16, 2, kv->key_scales, (b / KV_Q8_BLOCK) * stride + p, r, &s0, &s1);
        for (int d = b; d < b + block; d++) {
            __m256 k0, k1;
            load16(type, bytes, kv->keys, d * stride + p, r, &k0, &k1);
            if (type == GGML_TYPE_Q8_0) {
                k0 = _mm256_mul_ps(k0, s0);
                k1 = _mm256_mul_ps(k1, s1);
            }
            for (int j = 0; j < heads; j++) {
                __m256 qd = _mm256_set1_ps(q[j * hs + d]);
                acc[j][0] = _mm256_fmadd_ps(k0, qd, acc[j][0]);
                acc[j][1] = _mm256_fmadd_ps(k1, qd, acc[j][1]);
            }
        }
    }
    __m256 s = _mm256_set1_ps(scale);
    for (int j = 0; j < heads; j++) {
        float *out = scores + j * n + p;
        if (r >= 16) {
            _mm256_storeu_ps(out, _mm256_mul_ps(acc[j][0], s));
            _mm256_storeu_ps(out + 8, _mm256_mul_ps(acc[j][1], s));
        } else {
            float full[16];
            _mm256_storeu_ps(full, _mm256_mul_ps(acc[j][0], s));
            _mm256_storeu_ps(full + 8, _mm256_mul_ps(acc[j][1], s));
            memcpy(out, full, sizeof(float) * r);
        }
    }
}

/*
 * Over the scores s[0, n) in place: s = exp(s - max); returns the log-sum-exp, and 1 / the sum
 * of the exponentials into inv. The last (fewer than 8) scores go through a buffer padded with
 * -infinity, which adds nothing to the max or, as exp(-inf) = 0, to the sum.
 */
static float softmax(float *s, int n, float *inv) {
    int full = n & ~7, r = n - full;
    float tail[8];
    for (int i = 0; i < 8; i++) tail[i] = i < r ? s[full + i] : -INFINITY;
    __m256 mx = _mm256_loadu_ps(tail);
    for (int p = 0; p < full; p += 8) mx = _mm256_max_ps(mx, _mm256_loadu_ps(s + p));
    float max = hmax8(mx);
    __m256 mv = _mm256_set1_ps(max), sum = _mm256_setzero_ps();
    for (int p = 0; p < full; p += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(s + p), mv));
        _mm256_storeu_ps(s + p, e);
        sum = _mm256_add_ps(sum, e);
    }
    __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(tail), mv));
    _mm256_storeu_ps(tail, e);
    memcpy(s + full, tail, sizeof(float) * r);
    float total = hsum8(_mm256_add_ps(sum, e));
    *inv = 1.0f / total;
    return max + logf(total);
}

/*
 * out[j * hs + dc + i] = inv[j] * sum_p w[j * n + p] v_p[dc + i] for heads j < heads and the
 * `dims` dimensions i from dc: 16, or fewer at the end of a head whose size is not a multiple of
 * 16 (F32 and F16 only), whose values are then read through a padded copy and written through
 * a buffer, never past the head.
 */
ALWAYS_INLINE void values_tile(int type, int heads, const struct kv_block *kv, const float *w, const float *inv, int dc,
                               int dims, float *out) {
    const int hs = kv->head_size, n = kv->n, bytes = type == GGML_TYPE_F32 ? 4 : type == GGML_TYPE_F16 ? 2 : 1;
    __m256 acc[4][2];
    for (int j = 0; j < heads; j++) acc[j][0] = acc[j][1] = _mm256_setzero_ps();
    for (int p = 0; p < n; p++) {
        int64_t at = p * kv->value_stride + dc;
        __m256 v0, v1;
        if (dims >= 16) {
            v0 = load8(type, kv->values, at);
            v1 = load8(type, kv->values, at + 8);
        } else {
            load16(type, bytes, kv->values, at, dims, &v0, &v1);
        }
        if (type == GGML_TYPE_Q8_0) { /* the 16 dimensions lie in one block of 32: one scale */
            __m256 d = _mm256_set1_ps(_cvtsh_ss(kv->value_scales[p * kv->value_scale_stride + dc / KV_Q8_BLOCK]));
            v0 = _mm256_mul_ps(v0, d);
            v1 = _mm256_mul_ps(v1, d);
        }
        for (int j = 0; j < heads; j++) {
            __m256 wj = _mm256_set1_ps(w[j * n + p]);
            acc[j][0] = _mm256_fmadd_ps(v0, wj, acc[j][0]);
            acc[j][1] = _mm256_fmadd_ps(v1, wj, acc[j][1]);
        }
    }
    for (int j = 0; j < heads; j++) {
        __m256 scale = _mm256_set1_ps(inv[j]);
        if (dims >= 16) {
            _mm256_storeu_ps(out + j * hs + dc, _mm256_mul_ps(acc[j][0], scale));
            _mm256_storeu_ps(out + j * hs + dc + 8, _mm256_mul_ps(acc[j][1], scale));
        } else {
            float full[16];
            _mm256_storeu_ps(full, _mm256_mul_ps(acc[j][0], scale));
            _mm256_storeu_ps(full + 8, _mm256_mul_ps(acc[j][1], scale));
            memcpy(out + j * hs + dc, full, sizeof(float) * dims);
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
    for (; dc + 16 <= hs; dc += 16) values_tile(type, heads, kv, scores, inv, dc, 16, out);
    if (dc < hs) values_tile(type, heads, kv, scores, inv, dc, hs - dc, out);
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

void attend_avx2(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse, float *scores) {
    unsigned int csr = _mm_getcsr();
    _mm_setcsr(csr | MXCSR_FTZ | MXCSR_DAZ);
    switch (kv->type) {
        case GGML_TYPE_F32: attend_type(GGML_TYPE_F32, kv, q, count, scale, out, lse, scores); break;
        case GGML_TYPE_F16: attend_type(GGML_TYPE_F16, kv, q, count, scale, out, lse, scores); break;
        default: attend_type(GGML_TYPE_Q8_0, kv, q, count, scale, out, lse, scores); break;
    }
    _mm_setcsr(csr);
}
