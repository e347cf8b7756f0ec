/*
 * The SwiGLU activation between the feed-forward's gate/up products and its down product:
 * gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g). In 512-bit registers where the build
 * has AVX-512 (the last lanes masked), in 256-bit ones otherwise (the last lanes in plain C).
 * Native so that a fresh JVM's first tokens do not run it in the Vector API's Java fallback
 * (docs/performance.md, "Cold start"); the Java kernel (ScalarKernels.silu) is its reference.
 */
#include <math.h>

#include "toks_kernels.h"
#include "vector_exp.h"

void toks_silu_mul(float *gate, const float *up, int n) {
    int i = 0;
#if defined(__AVX512F__)
    const __m512 one = _mm512_set1_ps(1.0f);
    for (; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? (__mmask16) 0xffff : (__mmask16) ((1u << (n - i)) - 1);
        __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
        __m512 sig = _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), g))));
        _mm512_mask_storeu_ps(gate + i, m, _mm512_mul_ps(_mm512_mul_ps(g, sig), _mm512_maskz_loadu_ps(m, up + i)));
    }
#else
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        __m256 g = _mm256_loadu_ps(gate + i);
        __m256 sig = _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), g))));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_mul_ps(g, sig), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
#endif
}
