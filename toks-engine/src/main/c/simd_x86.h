/*
 * Helpers shared by the x86 kernel files (kernels_avx2.c, kernels_avx512.c): the integer dot
 * product of the build's best instruction, horizontal sums, half-precision loads, Q4 nibble
 * unpacking, and the software prefetch every weight-streaming loop issues.
 */
#ifndef TOKS_SIMD_X86_H
#define TOKS_SIMD_X86_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "ggml_types.h"
#include "kernels_internal.h"

/*
 * Software prefetch this many bytes ahead of the weights being read: the hardware prefetchers
 * alone leave most of the memory latency exposed in these streaming loops. The distance is a
 * measured choice (docs/performance.md, "Software prefetch distance"); past the end of a chunk
 * or of the matrix a prefetch only wastes a hint. To measure another, build with
 * TOKS_NATIVE_CFLAGS=-DPREFETCH_AHEAD=N (build.sh); 0 builds no prefetch at all.
 */
#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 8192
#endif
#if PREFETCH_AHEAD > 0
#define PREFETCH(p) _mm_prefetch((const char *) (p) + PREFETCH_AHEAD, _MM_HINT_T0)
#else
#define PREFETCH(p) ((void) (p))
#endif

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

/* A half-precision value (a block's scale) as float. */
static inline float fp16_to_fp32(ggml_half h) {
    return _cvtsh_ss(h);
}

/* The half-precision value at p, any alignment (an element of an F16 row). */
static inline float f16(const void *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/* Eight half-precision values from p + 2 i, widened to float. */
static inline __m256 load8_f16(const uint8_t *p, int i) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) ((const uint16_t *) p + i)));
}

/* The 32 nibbles of a Q4_0 (or Q4_1) block's qs as unsigned bytes, in value order: low nibbles, then high. */
static inline __m256i q4_0_nibbles(const uint8_t *qs) {
    __m128i raw = _mm_loadu_si128((const __m128i *) qs);
    __m128i m4 = _mm_set1_epi8(15);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(raw, 4), m4), _mm_and_si128(raw, m4));
}

#endif
