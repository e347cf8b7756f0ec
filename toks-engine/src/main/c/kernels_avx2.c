/*
 * 256-bit kernels: AVX2, FMA and F16C, with the 256-bit VNNI dot product (AVX512-VNNI + VL or
 * AVX-VNNI) where the CPU has one (dot_u8s8). Every build has them; on an AVX-512 build the
 * dispatch still calls them for the types without a 512-bit kernel (Q4_1, Q4_K, Q5_K, Q6_K),
 * for the activation quantization and for the bandwidth probe; and the 256-bit VPDPBUSD peak
 * loop where the CPU has AVX-VNNI but not AVX-512 VNNI.
 */
#include "simd_x86.h"

void quantize_q8_avx2(const float *x, int n, int8_t *q, float *d, float *dsum) {
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

/* ---- Q8_0 ---- */

/* Two rows at a time, so each activation block loaded serves both. */
void rows_q8_0_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                    float *out, int from, int to, int cols) {
    int blocks = cols / QK8_0;
    int r = from;
    for (; r + 2 <= to; r += 2) {
        const block_q8_0 *w0 = (const block_q8_0 *) (w + r * row_bytes);
        const block_q8_0 *w1 = (const block_q8_0 *) (w + r * row_bytes + row_bytes);
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            __m256i x = _mm256_loadu_si256((const __m256i *) (q + b * QB));
            const block_q8_0 *b0 = w0 + b, *b1 = w1 + b;
            PREFETCH(b0);
            PREFETCH(b1);
            __m256i p0 = dot_s8s8(_mm256_loadu_si256((const __m256i *) b0->qs), x);
            __m256i p1 = dot_s8s8(_mm256_loadu_si256((const __m256i *) b1->qs), x);
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p0), _mm256_set1_ps(fp16_to_fp32(b0->d) * d[b]), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), _mm256_set1_ps(fp16_to_fp32(b1->d) * d[b]), acc1);
        }
        out[r] = hsum8(acc0);
        out[r + 1] = hsum8(acc1);
    }
    for (; r < to; r++) {
        const block_q8_0 *w0 = (const block_q8_0 *) (w + r * row_bytes);
        __m256 acc = _mm256_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            const block_q8_0 *b0 = w0 + b;
            PREFETCH(b0);
            __m256i p = dot_s8s8(_mm256_loadu_si256((const __m256i *) b0->qs), _mm256_loadu_si256((const __m256i *) (q + b * QB)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(fp16_to_fp32(b0->d) * d[b]), acc);
        }
        out[r] = hsum8(acc);
    }
}

/* ---- Q4_0 ---- */

/*
 * sum d (n - 8) x = d (sum n x - 8 sum x): the unsigned nibbles go straight into the u8 x s8
 * product, and the offset term uses the activation block sums. Two rows at a time.
 */
void rows_q4_0_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                    float *out, int from, int to, int cols) {
    int blocks = cols / QK4_0;
    int r = from;
    for (; r + 2 <= to; r += 2) {
        const block_q4_0 *w0 = (const block_q4_0 *) (w + r * row_bytes);
        const block_q4_0 *w1 = (const block_q4_0 *) (w + r * row_bytes + row_bytes);
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        float off0 = 0, off1 = 0;
        for (int b = 0; b < blocks; b++) {
            __m256i x = _mm256_loadu_si256((const __m256i *) (q + b * QB));
            const block_q4_0 *b0 = w0 + b, *b1 = w1 + b;
            PREFETCH(b0);
            PREFETCH(b1);
            float d0 = fp16_to_fp32(b0->d), d1 = fp16_to_fp32(b1->d);
            __m256i p0 = dot_u8s8(q4_0_nibbles(b0->qs), x);
            __m256i p1 = dot_u8s8(q4_0_nibbles(b1->qs), x);
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p0), _mm256_set1_ps(d0 * d[b]), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), _mm256_set1_ps(d1 * d[b]), acc1);
            off0 += d0 * dsum[b];
            off1 += d1 * dsum[b];
        }
        out[r] = hsum8(acc0) - 8 * off0;
        out[r + 1] = hsum8(acc1) - 8 * off1;
    }
    for (; r < to; r++) {
        const block_q4_0 *w0 = (const block_q4_0 *) (w + r * row_bytes);
        __m256 acc = _mm256_setzero_ps();
        float off = 0;
        for (int b = 0; b < blocks; b++) {
            const block_q4_0 *b0 = w0 + b;
            PREFETCH(b0);
            float d0 = fp16_to_fp32(b0->d);
            __m256i p = dot_u8s8(q4_0_nibbles(b0->qs), _mm256_loadu_si256((const __m256i *) (q + b * QB)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d0 * d[b]), acc);
            off += d0 * dsum[b];
        }
        out[r] = hsum8(acc) - 8 * off;
    }
}

/* ---- Q4_1 ---- */

/* sum (d n + m) x = d sum n x + m sum x: the minimum term uses the activation block sums. */
void rows_q4_1_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                    float *out, int from, int to, int cols) {
    int blocks = cols / QK4_1;
    for (int r = from; r < to; r++) {
        const block_q4_1 *w0 = (const block_q4_1 *) (w + r * row_bytes);
        __m256 acc = _mm256_setzero_ps();
        float mins = 0;
        for (int b = 0; b < blocks; b++) {
            const block_q4_1 *b0 = w0 + b;
            PREFETCH(b0);
            __m256i p = dot_u8s8(q4_0_nibbles(b0->qs), _mm256_loadu_si256((const __m256i *) (q + b * QB)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(fp16_to_fp32(b0->d) * d[b]), acc);
            mins += fp16_to_fp32(b0->m) * dsum[b];
        }
        out[r] = hsum8(acc) + mins;
    }
}

/* ---- Q4_K and Q5_K ---- */

/*
 * The eight 6-bit scales and minimums of a super-block (block_q4_K.scales) as int32 lanes, with
 * 32-bit word arithmetic on the 12 bytes (u0 = bytes 0-3, u1 = 4-7, u2 = 8-11): scale j < 4 =
 * byte j & 63, scale j + 4 = (byte j + 8 & 15) | (byte j >> 6) << 4; minimums likewise from
 * bytes 4-7 and the high nibbles of 8-11. Forming them in registers avoids storing eight ints
 * and reloading them as a vector (a store-forwarding stall).
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
 * One Q4_K row, or Q5_K (five = 1): sub-block j of 32 values (low nibbles of 32 bytes for even
 * j, high for odd; Q5_K adds 16 where bit j of qh[value] is set) pairs with activation block
 * 8 sb + j. The eight factors d * scale_j * dx_j are formed in one vector and broadcast per
 * sub-block; the minimum terms dmin * min_j * dx_j * sum(qx_j) accumulate as a vector too,
 * summed once at the end. The two layouts share d, dmin and scales (read through block_q4_K);
 * inlined with a constant five, so each type gets its own loop with fixed offsets.
 */
static inline float row_q4_5_k(const uint8_t *row, const int8_t *q, const float *d, const float *dsum, int cols, int five) {
    int supers = cols / QK_K;
    __m256 acc = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(), mins = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(15), one = _mm256_set1_epi8(1);
    __m256i scale, min;
    for (int sb = 0; sb < supers; sb++) {
        const uint8_t *blk = row + sb * (five ? (int) sizeof(block_q5_K) : (int) sizeof(block_q4_K));
        const block_q4_K *x = (const block_q4_K *) blk; /* d, dmin, scales: the same in block_q5_K */
        PREFETCH(blk);
        PREFETCH(blk + 64);
        PREFETCH(blk + 128);
        q4_k_scales(x->scales, &scale, &min);
        __m256 factor = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(fp16_to_fp32(x->d)), _mm256_loadu_ps(d + sb * (QK_K / QB))),
                                      _mm256_cvtepi32_ps(scale));
        __m256 minFactor = _mm256_mul_ps(_mm256_set1_ps(fp16_to_fp32(x->dmin)), _mm256_cvtepi32_ps(min));
        mins = _mm256_fmadd_ps(minFactor, _mm256_loadu_ps(dsum + sb * (QK_K / QB)), mins);
        __m256i qh = five ? _mm256_loadu_si256((const __m256i *) ((const block_q5_K *) blk)->qh) : _mm256_setzero_si256();
        const uint8_t *qs = five ? ((const block_q5_K *) blk)->qs : x->qs;
        const int8_t *xq = q + sb * QK_K;
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

void rows_q4_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                    float *out, int from, int to, int cols) {
    for (int r = from; r < to; r++) out[r] = row_q4_5_k(w + r * row_bytes, q, d, dsum, cols, 0);
}

void rows_q5_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d, const float *dsum,
                    float *out, int from, int to, int cols) {
    for (int r = from; r < to; r++) out[r] = row_q4_5_k(w + r * row_bytes, q, d, dsum, cols, 1);
}

/* ---- Q6_K ---- */

static float row_q6_k(const uint8_t *row, const int8_t *q, const float *d, int cols) {
    int supers = cols / QK_K;
    __m256 acc = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(15), m2 = _mm256_set1_epi8(3), off = _mm256_set1_epi8(32);
    for (int sb = 0; sb < supers; sb++) {
        const block_q6_K *x = (const block_q6_K *) row + sb;
        for (int k = 0; k < (int) sizeof(block_q6_K); k += 64) PREFETCH((const uint8_t *) x + k);
        const uint8_t *ql = x->ql, *qh = x->qh;
        const int8_t *sc = x->scales;
        float dd = fp16_to_fp32(x->d);
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
                int block = sb * (QK_K / QB) + half * 4 + k;              /* activation block of these 32 values */
                __m256i xv = _mm256_loadu_si256((const __m256i *) (q + block * QB));
                __m256i p = dot_s8s8(_mm256_sub_epi8(v[k], off), xv);
                /* lanes 0-3 hold values 0-15 of the block (scale index 2k), lanes 4-7 values 16-31 (2k + 1) */
                int s0 = sc[8 * half + 2 * k], s1 = sc[8 * half + 2 * k + 1];
                __m256i scales = _mm256_setr_epi32(s0, s0, s0, s0, s1, s1, s1, s1);
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_mullo_epi32(p, scales)), _mm256_set1_ps(dd * d[block]), acc);
            }
        }
    }
    return hsum8(acc);
}

void rows_q6_K_avx2(const uint8_t *w, int64_t row_bytes, const int8_t *q, const float *d,
                    float *out, int from, int to, int cols) {
    for (int r = from; r < to; r++) out[r] = row_q6_k(w + r * row_bytes, q, d, cols);
}

/* ---- F16 weights: products in float, the weights widened on load ---- */

/* Two rows at a time, two accumulators each (FMA latency). */
void rows_f16_avx2(const uint8_t *w, int64_t row_bytes, const float *x, float *out, int from, int to, int cols) {
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

/* ---- conversion and the bandwidth probe ---- */

/* Four accumulators, so the adds are not latency-bound and the loop runs at the memory's pace. */
float read_sum_avx2(const float *x, int64_t n) {
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

#if TOKS_AVX_VNNI
/*
 * Accumulators per round: 16 ymm registers hold 12 and the operand; 12 cover latency x issue
 * width on current x86 cores (more would spill and time the spills).
 */
#define PEAK_CHAINS_YMM 12

/* Each thread's last sum of its accumulators: a volatile store, so the compiler keeps the loop. */
static __thread volatile int peak_sink;
/* The operand is read at run time, so the compiler cannot fold the chains into constants. */
static volatile char peak_operand = 1;

/* acc += u8 . s8 in the VEX encoding, written out as dpbusd_in_place (kernels_avx512.c) is, and why. */
static inline __m256i dpbusd_vex_in_place(__m256i acc, __m256i u8, __m256i s8) {
    __asm__("%{vex%} vpdpbusd %2, %1, %0" : "+x"(acc) : "x"(u8), "x"(s8));
    return acc;
}

/* As peak_int8_avx512 with the 256-bit VPDPBUSD of AVX-VNNI. */
int64_t peak_int8_avx2(int64_t iterations) {
    __m256i one = _mm256_set1_epi8(peak_operand);
    __m256i acc[PEAK_CHAINS_YMM];
    for (int k = 0; k < PEAK_CHAINS_YMM; k++) acc[k] = _mm256_set1_epi32(k);
    for (int64_t i = 0; i < iterations; i++) {
        for (int k = 0; k < PEAK_CHAINS_YMM; k++) acc[k] = dpbusd_vex_in_place(acc[k], one, one);
    }
    for (int k = 1; k < PEAK_CHAINS_YMM; k++) acc[0] = _mm256_add_epi32(acc[0], acc[k]);
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(acc[0]), _mm256_extracti128_si256(acc[0], 1));
    h = _mm_hadd_epi32(h, h);
    h = _mm_hadd_epi32(h, h);
    peak_sink = _mm_cvtsi128_si32(h);
    return iterations * PEAK_CHAINS_YMM * OPS_DPBUSD_YMM;
}
#endif
