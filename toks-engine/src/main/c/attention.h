/*
 * toks native attention: what io.toks.engine.kernel.NativeAttention calls through the FFM API (by
 * these names and signatures; change them together). One key/value head's group of query heads
 * (grouped-query attention) over a block of positions of one layer's KV cache: the step
 * io.toks.engine.model.Attention takes per block in Java, so its log-sum-exp merge
 * (Attention.combine) joins blocks from either.
 *
 * Why native: the scores and weighted sums are broadcast FMAs over the positions, and an F16 or
 * Q8_0 cache is widened in registers (F16C / AVX-512 conversions, int8 widening) instead of
 * into a float scratch tile; a JVM that has not compiled the Java kernels yet runs them at full
 * speed from the first token.
 *
 * The cache layout is io.toks.engine.model.KvCache's, read in place (Java arrays passed to
 * critical downcalls):
 *   keys     transposed: element d of the key at position p at keys[d * context + p], d < kv_dim
 *   values   one position after another: element d of the value at p at values[p * kv_dim + d]
 *   Q8_0     int8 elements; the F16 scale of elements [32 b, 32 b + 32) of the key at p at
 *            key_scales[b * context + p] (transposed as the keys), of the value at p at
 *            value_scales[p * (kv_dim / 32) + b]. key_scales and value_scales are NULL otherwise.
 */
#ifndef TOKS_ATTENTION_H
#define TOKS_ATTENTION_H

#include <stdint.h>

/* Which implementation runs: the build's best, or one named (tests compare each to the scalar one). */
enum toks_attend_variant {
    TOKS_ATTEND_BEST = -1,
    TOKS_ATTEND_SCALAR = 0, /* portable C: the reference */
    TOKS_ATTEND_AVX2 = 1,   /* 256-bit: AVX2, FMA, F16C (every build) */
    TOKS_ATTEND_AVX512 = 2, /* 512-bit: AVX-512 F, BW, VL */
};

/* The variants this build has: bit v set for variant v. */
int toks_attend_variants(void);

/*
 * For the `count` query heads q[j * head_size, (j + 1) * head_size) that share the key/value head
 * whose elements are [kv_offset, kv_offset + head_size) of every key and value, over positions
 * [from, to) of a cache of element type `type` (GGML id: F32, F16 or Q8_0) holding `context`
 * positions:
 *   s_j(p) = scale * q_j . k_p,  lse[j] = log(sum_p exp(s_j(p))),
 *   out[j * head_size + d] = sum_p exp(s_j(p) - lse[j]) * v_p[d]
 * (the softmax over those positions alone). `scores` is the caller's scratch of count * (to - from)
 * floats. Returns 0, or -1 (nothing written) for a type, head size (positive; for Q8_0 a multiple
 * of 32, its blocks), range or variant the library lacks.
 */
int toks_attend(int variant, int type, const void *keys, const uint16_t *key_scales, const void *values,
                const uint16_t *value_scales, int context, int kv_dim, int kv_offset, int head_size, const float *q,
                int count, float scale, int from, int to, float *out, float *lse, float *scores);

/*
 * toks_attend for `groups` key/value heads side by side: group g's heads read the key/value
 * elements from kv_offset + g * head_size, their queries from q + g * count * head_size, and write
 * out + g * count * head_size and lse + g * count (the layout of a layer's heads in a decode step).
 * One call for a whole layer: a tiny model's decode step made one call per key/value head, each
 * costing more than its arithmetic. Returns 0, or -1 as toks_attend (groups < 1 too); a refused
 * group leaves the earlier groups written.
 */
int toks_attend_groups(int variant, int type, const void *keys, const uint16_t *key_scales, const void *values,
                       const uint16_t *value_scales, int context, int kv_dim, int kv_offset, int head_size, const float *q,
                       int count, int groups, float scale, int from, int to, float *out, float *lse, float *scores);

#endif
