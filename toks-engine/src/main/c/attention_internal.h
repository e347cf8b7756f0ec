/*
 * What the attention dispatch (attention.c) shares with its per-instruction-set files: the block
 * of the cache a call reads, already narrowed to one head and the call's positions, and the
 * kernels' prototypes. Internal to the library (hidden symbols).
 */
#ifndef TOKS_ATTENTION_INTERNAL_H
#define TOKS_ATTENTION_INTERNAL_H

#include <stdint.h>

#include "ggml_types.h"
#include "kernels_internal.h"

/* The 512-bit kernel masks the last positions of a block (byte and word masked loads: BW, VL). */
#if TOKS_AVX512F && defined(__AVX512BW__) && defined(__AVX512VL__)
#define TOKS_ATTEND_512 1
#else
#define TOKS_ATTEND_512 0
#endif

/* Elements per Q8_0 scale, along a key or value vector (ggml's block_q8_0). */
#define KV_Q8_BLOCK 32

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/*
 * MXCSR bits: flush subnormal results to zero (FTZ) and read subnormal inputs as zero (DAZ). The
 * vector kernels set both while they run, and restore the caller's MXCSR before returning: the
 * exponentials of scores far below a block's maximum are subnormal, and every operation on one
 * takes a microcode assist (a block of sharply peaked scores ran 6-8x slower:
 * docs/performance.md, "Native attention at depth"). What they drop is below 1e-38 against a
 * largest weight of 1, far under a float's precision.
 */
#define MXCSR_FTZ 0x8000u
#define MXCSR_DAZ 0x0040u

/*
 * One key/value head over a block of n positions, its pointers at the head's first element and
 * the block's first position (attention.h gives the layout they come from):
 *   key element d of position p        keys[d * key_stride + p]
 *   its Q8_0 scale                     key_scales[(d / 32) * key_stride + p]
 *   value element d of position p      values[p * value_stride + d]
 *   its Q8_0 scale                     value_scales[p * value_scale_stride + d / 32]
 * Element type `type`: GGML_TYPE_F32 (float), GGML_TYPE_F16 (uint16_t) or GGML_TYPE_Q8_0 (int8_t).
 */
struct kv_block {
    int type;
    const void *keys;
    const uint16_t *key_scales;
    const void *values;
    const uint16_t *value_scales;
    int64_t key_stride, value_stride, value_scale_stride;
    int head_size; /* positive; a multiple of 32 for Q8_0 */
    int n;         /* at least 1 */
};

/*
 * The kernel: attention.h's toks_attend over one block, every variant the same contract. q holds
 * the count heads head_size apart, out likewise; scores is scratch of count * n floats.
 */
TOKS_HIDDEN void attend_scalar(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse,
                               float *scores);
TOKS_HIDDEN void attend_avx2(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse,
                             float *scores);
#if TOKS_ATTEND_512
TOKS_HIDDEN void attend_avx512(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse,
                               float *scores);
#endif

#endif
