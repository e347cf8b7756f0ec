/*
 * toks native kernels, called from Java through the FFM API (io.toks.engine.kernel.NativeKernels):
 * matrix x vector products for decode (quantized types, F16) and batched products for prefill
 * (quantized types; F32/F16/BF16 with AVX-512 BF16). Optional: the Java kernels run when this
 * library is absent.
 *
 * Why native: the Java Vector API has no byte dot-product instruction, so Java converts every
 * weight to float and multiplies in float. Here the activation vector is quantized to int8
 * (one float scale per 32 values, as Q8_0) and each block's dot product is an integer one:
 * VPDPBUSD (unsigned x signed bytes, summed in fours into int32 lanes) where the CPU has VNNI,
 * VPMADDUBSW + VPMADDWD on plain AVX2.
 *
 * Every function takes a row range so that Java's worker pool can split the rows; weights are
 * read in place (the mapped GGUF tensor), rows `row_bytes` apart.
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "toks native kernels need AVX2, FMA and F16C"
#endif

#define QB 32 /* activation block */

/*
 * Software prefetch this many bytes ahead of the weights being read. Measured on the 2-core
 * Zen 5 VM, one thread, a 148 MB Q4_0 matrix: no prefetch 4.8 GB/s, 1 KiB ahead 7.4, 4 KiB
 * 13.6, 8 KiB 17.2, 16 KiB 17.4, 32 KiB 17.0. The hardware prefetchers alone leave most of the
 * memory latency exposed. One thread alone liked 16 KiB for BF16, but the whole engine at 2
 * threads (llama-3.2-1b BF16 tg64, alternating builds, two rounds) did 20.6/20.2 tok/s at 8 KiB
 * against 18.3/18.1 at 16 KiB. Past the end of a chunk or of the matrix it only wastes a hint.
 */
#define PREFETCH_AHEAD 8192
#define PREFETCH(p) _mm_prefetch((const char *) (p) + PREFETCH_AHEAD, _MM_HINT_T0)

/* Unsigned bytes a times signed bytes b, each four adjacent products summed into an int32 lane. */
static inline __m256i dot_u8s8(__m256i a, __m256i b) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), a, b);
#elif defined(__AVXVNNI__)
    return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), a, b);
#else
    /* pairs of products fit int16 only when |a*b + a*b| <= 32767: callers keep a <= 127 or b small */
    return _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), _mm256_set1_epi16(1));
#endif
}

/* Signed bytes a times signed bytes b (a != -128 or not relied on), via |a| and b with a's sign. */
static inline __m256i dot_s8s8(__m256i a, __m256i b) {
    return dot_u8s8(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
}

static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline float f16(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/*
 * Quantizes x[0, n) to int8 per block of 32: q = round(x / d), d = max|x| / 127; also keeps
 * d * sum(q) per block, which the offset (Q4_0) and minimum (Q4_K) terms need.
 */
void toks_quantize_q8(const float *x, int n, int8_t *q, float *d, float *dsum) {
    for (int b = 0; b < n / QB; b++) {
        const float *xb = x + b * QB;
        __m256 v[4];
        __m256 amax = _mm256_setzero_ps();
        const __m256 sign = _mm256_set1_ps(-0.0f);
        for (int k = 0; k < 4; k++) {
            v[k] = _mm256_loadu_ps(xb + 8 * k);
            amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v[k]));
        }
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        float max = _mm_cvtss_f32(m);
        float scale = max / 127.0f;
        __m256 inv = _mm256_set1_ps(max > 0 ? 127.0f / max : 0.0f);
        __m256i i[4];
        for (int k = 0; k < 4; k++) i[k] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[k], inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i sum = _mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3]));
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
        s = _mm_hadd_epi32(s, s);
        s = _mm_hadd_epi32(s, s);
        /* pack 32 int32 to 32 int8 in order: packs work per 128-bit lane, a final permute restores order */
        __m256i p16a = _mm256_packs_epi32(i[0], i[1]);
        __m256i p16b = _mm256_packs_epi32(i[2], i[3]);
        __m256i p8 = _mm256_packs_epi16(p16a, p16b);
        p8 = _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *) (q + b * QB), p8);
        d[b] = scale;
        dsum[b] = scale * (float) _mm_cvtsi128_si32(s);
    }
}

/* ---- Q8_0: 34-byte blocks of 32 = f16 d, 32 int8; value = d * q ---- */

#if defined(__AVX512F__) && defined(__AVX512VNNI__) && defined(__AVX512BW__) && defined(__AVX512DQ__)
/*
 * Two blocks per 512-bit product; signed x signed as |w| times x with w's sign (one thread,
 * 65536 x 2048: 29-33 GB/s against 22-24 for a block per 256-bit product, two rows at a time).
 */
static void rows_q8_0(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                      float *out, int from, int to, int cols) {
    int blocks = cols / 32;
    for (int r = from; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m512 acc = _mm512_setzero_ps();
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            const uint8_t *b0 = w0 + b * 34;
            PREFETCH(b0);
            __m512i wv = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) (b0 + 2))),
                                            _mm256_loadu_si256((const __m256i *) (b0 + 36)), 1);
            __m512i x = _mm512_loadu_si512((const void *) (q + b * 32));
            __mmask64 neg = _mm512_movepi8_mask(wv);
            __m512i sx = _mm512_mask_sub_epi8(x, neg, _mm512_setzero_si512(), x);
            __m512i p = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(wv), sx);
            __m512 scale = _mm512_insertf32x8(_mm512_set1_ps(f16(b0) * d[b]), _mm256_set1_ps(f16(b0 + 34) * d[b + 1]), 1);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), scale, acc);
        }
        float sum = _mm512_reduce_add_ps(acc);
        if (b < blocks) {
            const uint8_t *b0 = w0 + b * 34;
            __m256i p = dot_s8s8(_mm256_loadu_si256((const __m256i *) (b0 + 2)), _mm256_loadu_si256((const __m256i *) (q + b * 32)));
            sum += hsum8(_mm256_cvtepi32_ps(p)) * f16(b0) * d[b];
        }
        out[r] = sum;
    }
}
#else
static void rows_q8_0(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                      float *out, int from, int to, int cols) {
    int blocks = cols / 32;
    int r = from;
    for (; r + 2 <= to; r += 2) {
        const uint8_t *w0 = w + r * row_bytes, *w1 = w0 + row_bytes;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            __m256i x = _mm256_loadu_si256((const __m256i *) (q + b * 32));
            const uint8_t *b0 = w0 + b * 34, *b1 = w1 + b * 34;
            PREFETCH(b0);
            PREFETCH(b1);
            __m256i p0 = dot_s8s8(_mm256_loadu_si256((const __m256i *) (b0 + 2)), x);
            __m256i p1 = dot_s8s8(_mm256_loadu_si256((const __m256i *) (b1 + 2)), x);
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p0), _mm256_set1_ps(f16(b0) * d[b]), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), _mm256_set1_ps(f16(b1) * d[b]), acc1);
        }
        out[r] = hsum8(acc0);
        out[r + 1] = hsum8(acc1);
    }
    for (; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m256 acc = _mm256_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            const uint8_t *b0 = w0 + b * 34;
            PREFETCH(b0);
            __m256i p = dot_s8s8(_mm256_loadu_si256((const __m256i *) (b0 + 2)), _mm256_loadu_si256((const __m256i *) (q + b * 32)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(f16(b0) * d[b]), acc);
        }
        out[r] = hsum8(acc);
    }
}
#endif

/* ---- Q4_0: 18-byte blocks of 32 = f16 d, 16 bytes; value j = d * ((byte j & 15) - 8), value 16 + j = d * ((byte j >> 4) - 8) ---- */

static inline __m256i q4_0_nibbles(const uint8_t *qs) {
    __m128i raw = _mm_loadu_si128((const __m128i *) qs);
    __m128i m4 = _mm_set1_epi8(15);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(raw, 4), m4), _mm_and_si128(raw, m4));
}

#if defined(__AVX512F__) && defined(__AVX512VNNI__) && defined(__AVX512DQ__)
/* Blocks b and b + 1 as one 512-bit vector of unsigned values, in the order of their 64 activations. */
static inline __m512i q4_0_nibbles2(const uint8_t *blk) {
    __m256i raw = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *) (blk + 2))),
                                          _mm_loadu_si128((const __m128i *) (blk + 20)), 1);
    __m256i m4 = _mm256_set1_epi8(15);
    __m256i lo = _mm256_and_si256(raw, m4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
    __m512i quarters = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1); /* lo0 lo1 hi0 hi1 */
    return _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 1, 4, 5, 2, 3, 6, 7), quarters); /* lo0 hi0 lo1 hi1 */
}

/*
 * sum d (n - 8) x = d (sum n x - 8 sum x), two blocks per 512-bit product (one thread, 8192 x
 * 2048: 18.5 GB/s against 16.5 for a block per 256-bit product; the kernel is compute-bound).
 */
static void rows_q4_0(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                      float *out, int from, int to, int cols) {
    int blocks = cols / 32;
    for (int r = from; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m512 acc = _mm512_setzero_ps();
        float off = 0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            const uint8_t *b0 = w0 + b * 18;
            PREFETCH(b0);
            float d0 = f16(b0), d1 = f16(b0 + 18);
            __m512i p = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q4_0_nibbles2(b0), _mm512_loadu_si512((const void *) (q + b * 32)));
            __m512 scale = _mm512_insertf32x8(_mm512_set1_ps(d0 * d[b]), _mm256_set1_ps(d1 * d[b + 1]), 1);
            acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), scale, acc);
            off += d0 * dsum[b] + d1 * dsum[b + 1];
        }
        float sum = _mm512_reduce_add_ps(acc);
        if (b < blocks) { /* an odd last block */
            const uint8_t *b0 = w0 + b * 18;
            float d0 = f16(b0);
            __m256i p = dot_u8s8(q4_0_nibbles(b0 + 2), _mm256_loadu_si256((const __m256i *) (q + b * 32)));
            sum += hsum8(_mm256_cvtepi32_ps(p)) * d0 * d[b];
            off += d0 * dsum[b];
        }
        out[r] = sum - 8 * off;
    }
}
#else
/* sum d (n - 8) x = d (sum n x - 8 sum x): the unsigned nibbles go straight into the u8 x s8 product. */
static void rows_q4_0(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                      float *out, int from, int to, int cols) {
    int blocks = cols / 32;
    int r = from;
    for (; r + 2 <= to; r += 2) {
        const uint8_t *w0 = w + r * row_bytes, *w1 = w0 + row_bytes;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        float off0 = 0, off1 = 0;
        for (int b = 0; b < blocks; b++) {
            __m256i x = _mm256_loadu_si256((const __m256i *) (q + b * 32));
            const uint8_t *b0 = w0 + b * 18, *b1 = w1 + b * 18;
            PREFETCH(b0);
            PREFETCH(b1);
            float d0 = f16(b0), d1 = f16(b1);
            __m256i p0 = dot_u8s8(q4_0_nibbles(b0 + 2), x);
            __m256i p1 = dot_u8s8(q4_0_nibbles(b1 + 2), x);
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p0), _mm256_set1_ps(d0 * d[b]), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), _mm256_set1_ps(d1 * d[b]), acc1);
            off0 += d0 * dsum[b];
            off1 += d1 * dsum[b];
        }
        out[r] = hsum8(acc0) - 8 * off0;
        out[r + 1] = hsum8(acc1) - 8 * off1;
    }
    for (; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m256 acc = _mm256_setzero_ps();
        float off = 0;
        for (int b = 0; b < blocks; b++) {
            const uint8_t *b0 = w0 + b * 18;
            PREFETCH(b0);
            float d0 = f16(b0);
            __m256i p = dot_u8s8(q4_0_nibbles(b0 + 2), _mm256_loadu_si256((const __m256i *) (q + b * 32)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d0 * d[b]), acc);
            off += d0 * dsum[b];
        }
        out[r] = hsum8(acc) - 8 * off;
    }
}
#endif

/* ---- Q4_1: 20-byte blocks of 32 = f16 d, f16 m, 16 bytes of nibbles (as Q4_0); value = d * nibble + m ---- */

/* sum (d n + m) x = d sum n x + m sum x: the minimum term uses the activation block sums. */
static void rows_q4_1(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                      float *out, int from, int to, int cols) {
    int blocks = cols / 32;
    for (int r = from; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m256 acc = _mm256_setzero_ps();
        float mins = 0;
        for (int b = 0; b < blocks; b++) {
            const uint8_t *b0 = w0 + b * 20;
            PREFETCH(b0);
            __m256i p = dot_u8s8(q4_0_nibbles(b0 + 4), _mm256_loadu_si256((const __m256i *) (q + b * 32)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(f16(b0) * d[b]), acc);
            mins += f16(b0 + 2) * dsum[b];
        }
        out[r] = hsum8(acc) + mins;
    }
}

/* ---- Q4_K: 144-byte super-blocks of 256 = f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles ---- */

/*
 * The eight 6-bit scales and minimums of a super-block as int32 lanes, with 32-bit word
 * arithmetic on the 12 bytes (u0 = bytes 0-3, u1 = 4-7, u2 = 8-11): scale j < 4 = byte j & 63,
 * scale j + 4 = (byte j + 8 & 15) | (byte j >> 6) << 4; minimums likewise from bytes 4-7 and the
 * high nibbles of 8-11. Forming them in registers avoids storing eight ints and reloading them
 * as a vector (a store-forwarding stall).
 */
static inline void q4_k_scales(const uint8_t *s, __m256i *scale, __m256i *min) {
    uint32_t u0, u1, u2;
    memcpy(&u0, s, 4);
    memcpy(&u1, s + 4, 4);
    memcpy(&u2, s + 8, 4);
    uint64_t sc = (uint64_t) (u0 & 0x3f3f3f3fu) | (uint64_t) ((u2 & 0x0f0f0f0fu) | ((u0 >> 2) & 0x30303030u)) << 32;
    uint64_t mn = (uint64_t) (u1 & 0x3f3f3f3fu) | (uint64_t) (((u2 >> 4) & 0x0f0f0f0fu) | ((u1 >> 2) & 0x30303030u)) << 32;
    *scale = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128((long long) sc));
    *min = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128((long long) mn));
}

/*
 * Q4_K, and Q5_K (five = 1): sub-block j of 32 values (low nibbles of 32 bytes for even j, high
 * for odd; Q5_K adds 16 where bit j of qh[value] is set) pairs with activation block 8 sb + j.
 * The eight factors d * scale_j * dx_j are formed in one vector and broadcast per sub-block; the
 * minimum terms dmin * min_j * dx_j * sum(qx_j) accumulate as a vector too, summed once at the
 * end. Q5_K's 176-byte super-blocks: f16 d, f16 dmin, 12 bytes of scales/mins (as Q4_K), 32
 * bytes qh, 128 bytes of nibbles. Inlined with a constant five, so each type gets its own loop.
 */
static inline float row_q4_5_k(const uint8_t *row, const int8_t *q, const float *d, const float *dsum, int cols, int five) {
    int supers = cols / 256;
    __m256 acc = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(), mins = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(15), one = _mm256_set1_epi8(1);
    __m256i scale, min;
    for (int sb = 0; sb < supers; sb++) {
        const uint8_t *blk = row + sb * (five ? 176 : 144);
        PREFETCH(blk);
        PREFETCH(blk + 64);
        PREFETCH(blk + 128);
        q4_k_scales(blk + 4, &scale, &min);
        __m256 factor = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(f16(blk)), _mm256_loadu_ps(d + sb * 8)), _mm256_cvtepi32_ps(scale));
        __m256 minFactor = _mm256_mul_ps(_mm256_set1_ps(f16(blk + 2)), _mm256_cvtepi32_ps(min));
        mins = _mm256_fmadd_ps(minFactor, _mm256_loadu_ps(dsum + sb * 8), mins);
        __m256i qh = five ? _mm256_loadu_si256((const __m256i *) (blk + 16)) : _mm256_setzero_si256();
        const uint8_t *qs = blk + (five ? 48 : 16);
        const int8_t *xq = q + sb * 256;
        for (int g = 0; g < 4; g++) {
            __m256i raw = _mm256_loadu_si256((const __m256i *) (qs + 32 * g));
            __m256i lo = _mm256_and_si256(raw, m4);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
            if (five) {
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g), one), 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g + 1), one), 4));
            }
            __m256i plo = dot_u8s8(lo, _mm256_loadu_si256((const __m256i *) (xq + 64 * g)));
            __m256i phi = dot_u8s8(hi, _mm256_loadu_si256((const __m256i *) (xq + 64 * g + 32)));
            __m256 flo = _mm256_permutevar8x32_ps(factor, _mm256_set1_epi32(2 * g));
            __m256 fhi = _mm256_permutevar8x32_ps(factor, _mm256_set1_epi32(2 * g + 1));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(plo), flo, acc);   /* two chains: one is FMA-latency bound */
            acc2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(phi), fhi, acc2);
        }
    }
    return hsum8(_mm256_add_ps(acc, acc2)) - hsum8(mins);
}

/* ---- Q6_K: 210-byte super-blocks of 256 = 128 bytes ql, 64 bytes qh, 16 int8 scales, f16 d; value = d * scale * (q - 32) ---- */

static float row_q6_k(const uint8_t *row, const int8_t *q, const float *d, int cols) {
    int supers = cols / 256;
    __m256 acc = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(15), m2 = _mm256_set1_epi8(3), off = _mm256_set1_epi8(32);
    for (int sb = 0; sb < supers; sb++) {
        const uint8_t *blk = row + sb * 210;
        for (int k = 0; k < 210; k += 64) PREFETCH(blk + k);
        const uint8_t *ql = blk, *qh = blk + 128;
        const int8_t *sc = (const int8_t *) (blk + 192);
        float dd = f16(blk + 208);
        for (int half = 0; half < 2; half++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *) (ql + 64 * half));
            __m256i l1 = _mm256_loadu_si256((const __m256i *) (ql + 64 * half + 32));
            __m256i h = _mm256_loadu_si256((const __m256i *) (qh + 32 * half));
            __m256i v[4];
            v[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(h, m2), 4));
            v[1] = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), m2), 4));
            v[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), m2), 4));
            v[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), m2), 4));
            for (int k = 0; k < 4; k++) {
                int block = sb * 8 + half * 4 + k;              /* activation block of these 32 values */
                __m256i x = _mm256_loadu_si256((const __m256i *) (q + block * 32));
                __m256i p = dot_s8s8(_mm256_sub_epi8(v[k], off), x);
                /* lanes 0-3 hold values 0-15 of the block (scale index 2k), lanes 4-7 values 16-31 (2k + 1) */
                int s0 = sc[8 * half + 2 * k], s1 = sc[8 * half + 2 * k + 1];
                __m256i scales = _mm256_setr_epi32(s0, s0, s0, s0, s1, s1, s1, s1);
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_mullo_epi32(p, scales)), _mm256_set1_ps(dd * d[block]), acc);
            }
        }
    }
    return hsum8(acc);
}

/*
 * ---- F16 and BF16 weights: products in float, the weights widened on load ----
 * Not F32: its decode in Java measured as fast (llama-3.2-1b, 2 threads, tg64, alternating runs:
 * Java 9.4/9.6 tok/s against native 8.1/9.6 with 256-bit kernels). BF16 with 256-bit kernels
 * lost to Java too (16.1/15.8 against 15.2/14.9); the 512-bit one below wins (23.1-26.5 against
 * Java 16.5-20.2 in the same runs).
 */

static inline __m256 load8_f16(const uint8_t *p, int i) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) ((const uint16_t *) p + i)));
}

#if !defined(__AVX512F__)
/* Rows [from, to) of an F16 matrix times x; two rows at a time, two accumulators each (FMA latency). */
static void rows_f16(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    int wide = cols & ~15;
    int r = from;
    for (; r + 2 <= to; r += 2) {
        const uint8_t *w0 = w + r * row_bytes, *w1 = w0 + row_bytes;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        for (int i = 0; i < wide; i += 16) {
            PREFETCH(w0 + 2 * i);
            PREFETCH(w1 + 2 * i);
            __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + i + 8);
            a0 = _mm256_fmadd_ps(load8_f16(w0, i), x0, a0);
            a1 = _mm256_fmadd_ps(load8_f16(w0, i + 8), x1, a1);
            b0 = _mm256_fmadd_ps(load8_f16(w1, i), x0, b0);
            b1 = _mm256_fmadd_ps(load8_f16(w1, i + 8), x1, b1);
        }
        float s0 = hsum8(_mm256_add_ps(a0, a1)), s1 = hsum8(_mm256_add_ps(b0, b1));
        for (int i = wide; i < cols; i++) {
            s0 += f16(w0 + 2 * i) * x[i];
            s1 += f16(w1 + 2 * i) * x[i];
        }
        out[r] = s0;
        out[r + 1] = s1;
    }
    for (; r < to; r++) {
        const uint8_t *w0 = w + r * row_bytes;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (int i = 0; i < wide; i += 16) {
            PREFETCH(w0 + 2 * i);
            a0 = _mm256_fmadd_ps(load8_f16(w0, i), _mm256_loadu_ps(x + i), a0);
            a1 = _mm256_fmadd_ps(load8_f16(w0, i + 8), _mm256_loadu_ps(x + i + 8), a1);
        }
        float s0 = hsum8(_mm256_add_ps(a0, a1));
        for (int i = wide; i < cols; i++) s0 += f16(w0 + 2 * i) * x[i];
        out[r] = s0;
    }
}

#endif

#if defined(__AVX512F__)
/*
 * F16 in 512-bit registers: 32 values per step, one row at a time, two accumulators
 * (llama-3.2-1b F16 tg64, alternating builds: 19.2/24.8 tok/s against 16.6/16.2 with 256 bits).
 */
static void rows_f16_512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
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
 * ---- F32 weights: 512-bit loads, prefetched ----
 * F32 decode reads 4 bytes per weight, so it is the most memory-bound product: the software
 * prefetch is what the Java kernel (hardware prefetchers only) lacks.
 */
static void rows_f32_512(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
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

/* ---- BF16 weights: widened to float on load (the high half of an F32), products in float ---- */
static void rows_bf16(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
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
            uint32_t u = (uint32_t) ((const uint16_t *) w0)[i] << 16;
            float f;
            memcpy(&f, &u, 4);
            sum += f * x[i];
        }
        out[r] = sum;
    }
}
#endif

/* ---- entry points ---- */

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
 * Rows [from, to) times activations already quantized by toks_quantize_q8. Type codes are
 * GGML's: 8 = Q8_0, 2 = Q4_0, 3 = Q4_1, 12 = Q4_K, 13 = Q5_K, 14 = Q6_K. Returns 0, or -1 for an unknown type or a
 * row length the type cannot have.
 */
int toks_matvec_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   float *out, int from, int to, int cols) {
    if (cols % 32 != 0) return -1;
    switch (type) {
        case 8: rows_q8_0(w, row_bytes, q, d, out, from, to, cols); return 0;
        case 2: rows_q4_0(w, row_bytes, q, d, dsum, out, from, to, cols); return 0;
        case 3: rows_q4_1(w, row_bytes, q, d, dsum, out, from, to, cols); return 0;
        case 12:
            if (cols % 256) return -1;
            for (int r = from; r < to; r++) out[r] = row_q4_5_k(w + r * row_bytes, q, d, dsum, cols, 0);
            return 0;
        case 13:
            if (cols % 256) return -1;
            for (int r = from; r < to; r++) out[r] = row_q4_5_k(w + r * row_bytes, q, d, dsum, cols, 1);
            return 0;
        case 14:
            if (cols % 256) return -1;
            for (int r = from; r < to; r++) out[r] = row_q6_k(w + r * row_bytes, q, d, cols);
            return 0;
        default: return -1;
    }
}

/*
 * Rows [from, to) times x. F16 (type 1) multiplies in float; the quantized types quantize x
 * first (per call, into per-thread buffers), as toks_matvec_q8.
 */
int toks_matvec(int type, const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
    if (type == 1) {
#if defined(__AVX512F__)
        rows_f16_512(w, row_bytes, x, out, from, to, cols);
#else
        rows_f16(w, row_bytes, x, out, from, to, cols);
#endif
        return 0;
    }
#if defined(__AVX512F__)
    if (type == 30) {
        rows_bf16(w, row_bytes, x, out, from, to, cols);
        return 0;
    }
    if (type == 0) {
        rows_f32_512(w, row_bytes, x, out, from, to, cols);
        return 0;
    }
#endif
    if (cols % 32 != 0 || activations(x, cols) != 0) return -1;
    return toks_matvec_q8(type, w, row_bytes, tq, td, ts, out, from, to, cols);
}

/* ---- batched products (prefill): rows in tiles of 16, unpacked once, reused for every token ---- */

#define TILE 16

#if defined(__AVX512F__) && defined(__AVX512VNNI__)

/*
 * A tile of 16 rows unpacked for the batched kernel. Every type becomes unsigned bytes u with
 * w = S * u - M per block of 32 (S, M per row and block): Q8_0 u = q + 128, S = d, M = 128 d;
 * Q4_0 u = nibble, S = d, M = 8 d; Q4_1 u = nibble, S = d, M = -min; Q4_K u = nibble (Q5_K: with its fifth bit), S = d scale_j,
 * M = dmin min_j. Bytes are
 * interleaved so that one 512-bit load holds four consecutive values of all 16 rows: group k
 * of block b is u[(b * 8 + k) * 64 + row * 4 + 0..3]. Then
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
 * One row's unsigned bytes of block b as a 256-bit vector (values 0..31 in order), and its
 * S and M factors. Rows past the matrix's range are zero.
 */
static inline __m256i row_block(int type, const uint8_t *row, int b, float *s, float *m) {
    /* s, m: one factor each (the block's); Q6_K has its own row_block_q6k */
    if (type == 8) {
        const uint8_t *blk = row + b * 34;
        float d = f16(blk);
        *s = d;
        *m = 128 * d;
        return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) (blk + 2)), _mm256_set1_epi8((char) 0x80));
    }
    if (type == 2) {
        const uint8_t *blk = row + b * 18;
        float d = f16(blk);
        *s = d;
        *m = 8 * d;
        return q4_0_nibbles(blk + 2);
    }
    if (type == 3) { /* Q4_1: w = d u + min, so M = -min */
        const uint8_t *blk = row + b * 20;
        *s = f16(blk);
        *m = -f16(blk + 2);
        return q4_0_nibbles(blk + 4);
    }
    /* Q4_K and Q5_K: sub-block j = b % 8 of super-block b / 8 */
    int five = type == 13;
    const uint8_t *blk = row + (b / 8) * (five ? 176 : 144);
    int j = b % 8;
    const uint8_t *sc = blk + 4;
    int scale = j < 4 ? (sc[j] & 63) : ((sc[j + 4] & 15) | ((sc[j - 4] >> 6) << 4));
    int min = j < 4 ? (sc[j + 4] & 63) : ((sc[j + 4] >> 4) | ((sc[j] >> 6) << 4));
    *s = f16(blk) * scale;
    *m = f16(blk + 2) * min;
    __m256i raw = _mm256_loadu_si256((const __m256i *) (blk + (five ? 48 : 16) + 32 * (j / 2)));
    __m256i v = (j & 1) ? _mm256_and_si256(_mm256_srli_epi16(raw, 4), _mm256_set1_epi8(15)) : _mm256_and_si256(raw, _mm256_set1_epi8(15));
    if (five) {
        __m256i qh = _mm256_loadu_si256((const __m256i *) (blk + 16));
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
    const uint8_t *blk = row + (b / 8) * 210;
    int half = (b % 8) / 4, k = b % 4;
    const uint8_t *ql = blk + 64 * half + 32 * (k & 1), *qh = blk + 128 + 32 * half;
    const int8_t *sc = (const int8_t *) (blk + 192);
    __m256i l = _mm256_loadu_si256((const __m256i *) ql), h = _mm256_loadu_si256((const __m256i *) qh);
    const __m256i m4 = _mm256_set1_epi8(15), m2 = _mm256_set1_epi8(3);
    __m256i low = k < 2 ? _mm256_and_si256(l, m4) : _mm256_and_si256(_mm256_srli_epi16(l, 4), m4);
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(h, 2 * k), m2);
    __m256i v = _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(high, 4)), _mm256_set1_epi8(32));
    float d = f16(blk + 208);
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
    int blocks = cols / 32;
    int32_t scratch[TILE * 8] __attribute__((aligned(64)));
    const __m512i rows16 = _mm512_setr_epi32(0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120);
    for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < TILE; i++) {
            float sv[2] = {0, 0}, mv[2] = {0, 0};
            __m256i v = _mm256_setzero_si256();
            const uint8_t *row = w + (int64_t) (r0 + i) * row_bytes;
            if (i < count) v = type == 14 ? row_block_q6k(row, b, sv, mv) : row_block(type, row, b, sv, mv);
            _mm256_store_si256((__m256i *) (scratch + 8 * i), v);
            if (type == 14) {
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
    int blocks = cols / 32;
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
                memcpy(&four, q + (int64_t) (t0 + t) * cols + b * 32 + 4 * k, 4);
                dot[t] = _mm512_dpbusd_epi32(dot[t], wv, _mm512_set1_epi32(four));
            }
        }
        __m512 S = _mm512_load_ps(tile.s + b * TILE), M = _mm512_load_ps(tile.m + b * TILE);
        for (int t = 0; t < nt; t++) {
            int64_t a = (int64_t) (t0 + t) * (cols / 32) + b;
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
    int blocks = cols / 32;
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
                    memcpy(&four, q + (int64_t) (t0 + t) * cols + b * 32 + 4 * k, 4);
                    dot[t] = _mm512_dpbusd_epi32(dot[t], _mm512_set1_epi32((int) (four ^ 0x80808080u)), wv);
                }
            }
            int sub = 2 * b + part;
            __m512 S = _mm512_load_ps(tile.s + sub * TILE), M = _mm512_load_ps(tile.m + sub * TILE);
            for (int t = 0; t < nt; t++) {
                __m512 dx = _mm512_set1_ps(d[(int64_t) (t0 + t) * (cols / 32) + b]);
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[t]), _mm512_mul_ps(S, dx), acc[t]);
                off[t] = _mm512_fmadd_ps(M, dx, off[t]);
            }
        }
    }
    tile_store(nt, t0, acc, off, out, ld, out_row, count);
}
#endif

/*
 * Batched product: out[t * ld + (r - from)] = row(r) . x_t for tokens t < n and rows
 * [from, to), the activations quantized by toks_quantize_q8 one token after another
 * (q: n * cols bytes, d and dsum: n * cols / 32). Per tile, the unpacking costs about what one
 * token's products do, so callers use it for batches of several tokens. Types 8 (Q8_0), 2 (Q4_0), 3 (Q4_1), 12 (Q4_K), 13 (Q5_K), 14 (Q6_K); returns
 * -1 for others, for a build without AVX-512 VNNI, or when out of memory: callers then use the
 * Java product.
 */
int toks_matmul_q8(int type, const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                   int n, float *out, int64_t ld, int from, int to, int cols) {
#if defined(__AVX512F__) && defined(__AVX512VNNI__)
    if (cols % 32 != 0 || (type != 8 && type != 2 && type != 3 && type != 12 && type != 13 && type != 14) || (type >= 12 && cols % 256 != 0)) return -1;
    if (tile_reserve(cols) != 0) return -1;
    for (int r0 = from; r0 < to; r0 += TILE) {
        int count = to - r0 < TILE ? to - r0 : TILE;
        unpack_tile(type, w, row_bytes, r0, count, cols);
        for (int t = 0; t < n; t += 4) {
            int nt = n - t < 4 ? n - t : 4;
            if (type == 14) tile_tokens_q6k(nt, t, q, d, cols, out, ld, r0 - from, count);
            else tile_tokens(nt, t, q, d, dsum, cols, out, ld, r0 - from, count);
        }
    }
    return 0;
#else
    (void) type; (void) w; (void) row_bytes; (void) q; (void) d; (void) dsum; (void) n; (void) out; (void) ld;
    (void) from; (void) to; (void) cols;
    return -1;
#endif
}

/*
 * Tokens per register block of the float batched product: 4 rows x TT tokens = 4 TT
 * accumulators. One thread, n = 512, 2048 columns, GMAC/s BF16/F16/F32: TT 4 163/106/78,
 * TT 5 175/110/82, TT 6 137/90/69 (out of registers).
 */
#define TT 5

#if defined(__AVX512F__) && defined(__AVX512BF16__)
/*
 * Batched product for float-type weights, 4 rows x TT tokens per step over the row length, in
 * 4 TT accumulators. F32 and F16 weights (F16 widened on load) multiply float activations; BF16
 * weights take BF16 activations (rounded to nearest even, as llama.cpp does for BF16) and
 * VDPBF16PS, two products per lane per instruction. Rows past a block's end repeat the last
 * row and tokens past the batch's end the last token; their sums are not stored.
 */
static void block_4xTT(int type, int xtype, const uint8_t *const *row, const void *const *x, int cols, float *const *dst) {
    __m512 acc[4][TT];
    for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_setzero_ps();
    if (type == 30) {
        for (int k = 0; k < cols; k += 32) {
            __m512bh xv[TT], wv[4];
            for (int t = 0; t < TT; t++) xv[t] = (__m512bh) _mm512_loadu_si512((const uint16_t *) x[t] + k);
            for (int r = 0; r < 4; r++) wv[r] = (__m512bh) _mm512_loadu_si512((const uint16_t *) row[r] + k);
            for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_dpbf16_ps(acc[r][t], wv[r], xv[t]);
        }
    } else if (type == 1 && xtype == 1) {
        /*
         * F16 weights and F16 activations, both widened per use: half the bytes of float
         * activations, so 4 rows and TT tokens of 2048 columns stay in L1. One thread, n = 510,
         * 2048 / 8192 columns: 112 / 111 GMAC/s against 109 / 86 with float activations (a pure
         * FMA loop peaks at 135). Converting each token's vector just before its 4 FMAs
         * measured faster than converting all TT first (107 / 112, and 99 / 100 at 5 x 5).
         */
        for (int k = 0; k < cols; k += 16) {
            __m512 wv[4];
            for (int r = 0; r < 4; r++) wv[r] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) ((const uint16_t *) row[r] + k)));
            for (int t = 0; t < TT; t++) {
                __m512 xv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) ((const uint16_t *) x[t] + k)));
                for (int r = 0; r < 4; r++) acc[r][t] = _mm512_fmadd_ps(wv[r], xv, acc[r][t]);
            }
        }
    } else {
        for (int k = 0; k < cols; k += 16) {
            __m512 xv[TT], wv[4];
            for (int t = 0; t < TT; t++) xv[t] = _mm512_loadu_ps((const float *) x[t] + k);
            for (int r = 0; r < 4; r++) {
                wv[r] = type == 0 ? _mm512_loadu_ps((const float *) row[r] + k)
                                  : _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) ((const uint16_t *) row[r] + k)));
            }
            for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) acc[r][t] = _mm512_fmadd_ps(wv[r], xv[t], acc[r][t]);
        }
    }
    for (int r = 0; r < 4; r++) for (int t = 0; t < TT; t++) if (dst[t * 4 + r]) *dst[t * 4 + r] = _mm512_reduce_add_ps(acc[r][t]);
}
#endif

/*
 * out[t * ld + (r - from)] = row(r) . x_t for float-type weights (0 = F32, 1 = F16, 30 = BF16),
 * tokens t < n, rows [from, to). x holds the n tokens one after another, of type xtype: floats
 * (0) for F32 and F16, F16 (1, see toks_to_f16) for F16, BF16 (30, see toks_to_bf16) for BF16. Rows go in groups that fit the L2 cache, so the activations
 * stream once per group. Whole rows per step: slicing the row length so 4 rows and 4 tokens stay
 * in L1 measured slower (one thread, n = 512, 2048 / 8192 columns, BF16: whole rows 153 / 156
 * GMAC/s, slices of 1024 126 / 106, of 512 108 / 83; F32 71 / 53 against 71 / 44 and 63 / 33).
 * Returns -1 where the build lacks AVX-512 BF16, cols % 32 != 0 or for another pairing of types.
 */
int toks_matmul_f(int type, int xtype, const uint8_t *w, int64_t row_bytes, const void *x, int n, float *out, int64_t ld,
                  int from, int to, int cols) {
#if defined(__AVX512F__) && defined(__AVX512BF16__)
    if (cols % 32 != 0 || (type != 0 && type != 1 && type != 30)) return -1;
    if (xtype != (type == 30 ? 30 : 0) && !(type == 1 && xtype == 1)) return -1;
    int xsize = xtype == 0 ? 4 : 2;
    int group = (int) ((256 * 1024) / row_bytes) & ~3;
    if (group < 4) group = 4;
    for (int g = from; g < to; g += group) {
        int gend = g + group < to ? g + group : to;
        for (int t0 = 0; t0 < n; t0 += TT) {
            const void *xs[TT];
            for (int t = 0; t < TT; t++) xs[t] = (const uint8_t *) x + (int64_t) (t0 + t < n ? t0 + t : n - 1) * cols * xsize;
            for (int r0 = g; r0 < gend; r0 += 4) {
                const uint8_t *rows[4];
                float *dst[4 * TT];
                for (int r = 0; r < 4; r++) {
                    int rr = r0 + r < gend ? r0 + r : gend - 1;
                    rows[r] = w + (int64_t) rr * row_bytes;
                    for (int t = 0; t < TT; t++) {
                        dst[t * 4 + r] = (r0 + r < gend && t0 + t < n) ? out + (int64_t) (t0 + t) * ld + (r0 + r - from) : 0;
                    }
                }
                block_4xTT(type, xtype, rows, xs, cols, dst);
            }
        }
    }
    return 0;
#else
    (void) type; (void) xtype; (void) w; (void) row_bytes; (void) x; (void) n; (void) out; (void) ld; (void) from; (void) to; (void) cols;
    return -1;
#endif
}

/* x[0, count) to BF16, rounded to nearest even (the activations of a BF16 batched product). */
void toks_to_bf16(const float *x, int count, uint16_t *out) {
    for (int i = 0; i < count; i++) {
        uint32_t u;
        memcpy(&u, x + i, 4);
        if ((u & 0x7fffffffu) > 0x7f800000u) {
            out[i] = (uint16_t) ((u >> 16) | 64); /* NaN stays NaN */
        } else {
            out[i] = (uint16_t) ((u + 0x7fffu + ((u >> 16) & 1)) >> 16);
        }
    }
}

/*
 * x[0, count) to F16, rounded to nearest even (the activations of an F16 batched product, as
 * llama.cpp rounds them). Returns how many values fell outside F16's finite range (|x| > 65504,
 * or NaN): the caller then keeps float activations rather than multiply infinities.
 */
int toks_to_f16(const float *x, int count, uint16_t *out) {
    int outside = 0, i = 0;
#if defined(__AVX512F__)
    const __m512 limit = _mm512_set1_ps(65504.0f);
    for (; i + 16 <= count; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        /* NaN compares false, so it counts as outside too */
        outside += 16 - __builtin_popcount(_mm512_cmp_ps_mask(_mm512_abs_ps(v), limit, _CMP_LE_OQ));
        _mm256_storeu_si256((__m256i *) (out + i), _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
#endif
    for (; i < count; i++) {
        if (!(x[i] <= 65504.0f && x[i] >= -65504.0f)) outside++;
        out[i] = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    }
    return outside;
}

/*
 * Sum of the floats x[0, n) (n a multiple of 64), read as the decode kernels read weights: wide
 * loads with software prefetch. The bandwidth probe times it, so the roofline's memory limit is
 * what a prefetching kernel can reach (a plain vector loop reads 20-40% less on this VM).
 */
float toks_read_sum(const float *x, int64_t n) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int64_t i = 0; i + 64 <= n; i += 64) {
        PREFETCH(x + i);
        PREFETCH(x + i + 16);
        PREFETCH(x + i + 32);
        PREFETCH(x + i + 48);
        a0 = _mm256_add_ps(a0, _mm256_add_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(x + i + 8)));
        a1 = _mm256_add_ps(a1, _mm256_add_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(x + i + 24)));
        a2 = _mm256_add_ps(a2, _mm256_add_ps(_mm256_loadu_ps(x + i + 32), _mm256_loadu_ps(x + i + 40)));
        a3 = _mm256_add_ps(a3, _mm256_add_ps(_mm256_loadu_ps(x + i + 48), _mm256_loadu_ps(x + i + 56)));
    }
    return hsum8(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

/* Whether this build has the batched float kernel (it needs AVX-512 BF16). */
int toks_kernels_batched_float(void) {
#if defined(__AVX512F__) && defined(__AVX512BF16__)
    return 1;
#else
    return 0;
#endif
}

/* Whether this build has a matrix x vector product for a GGML type. */
int toks_kernels_matvec_type(int type) {
    switch (type) {
        case 1: case 2: case 3: case 8: case 12: case 13: case 14: return 1;
#if defined(__AVX512F__)
        case 0: case 30: return 1;
#endif
        default: return 0;
    }
}

/* Whether this build has the batched kernel (it needs AVX-512 VNNI). */
int toks_kernels_batched(void) {
#if defined(__AVX512F__) && defined(__AVX512VNNI__)
    return 1;
#else
    return 0;
#endif
}

/* Which integer dot product this build uses, for the record of which kernels ran. */
const char *toks_kernels_isa(void) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return "avx512-vnni";
#elif defined(__AVXVNNI__)
    return "avx-vnni";
#else
    return "avx2";
#endif
}
