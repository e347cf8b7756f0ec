/*
 * The attention entry points (attention.h): checks the arguments, narrows the cache to the call's
 * head and positions (struct kv_block), and picks the variant: 512-bit where the build has it,
 * 256-bit otherwise (every build: build.sh refuses a CPU without AVX2), or the one a test names.
 */
#include <stddef.h>

#include "attention.h"
#include "attention_internal.h"

int toks_attend_variants(void) {
    return 1 << TOKS_ATTEND_SCALAR | 1 << TOKS_ATTEND_AVX2 | TOKS_ATTEND_512 << TOKS_ATTEND_AVX512;
}

/* Bytes per element of a cache type; 0 for a type the kernels lack. */
static size_t element_bytes(int type) {
    switch (type) {
        case GGML_TYPE_F32: return 4;
        case GGML_TYPE_F16: return 2;
        case GGML_TYPE_Q8_0: return 1;
        default: return 0;
    }
}

int toks_attend(int variant, int type, const void *keys, const uint16_t *key_scales, const void *values,
                const uint16_t *value_scales, int context, int kv_dim, int kv_offset, int head_size, const float *q,
                int count, float scale, int from, int to, float *out, float *lse, float *scores) {
    size_t bytes = element_bytes(type);
    int q8 = type == GGML_TYPE_Q8_0;
    if (bytes == 0 || head_size <= 0 || (q8 && head_size % KV_Q8_BLOCK != 0) || count < 1 || from < 0 || to <= from || to > context
        || kv_offset < 0 || kv_offset > kv_dim - head_size) {
        return -1;
    }
    if (q8 && (kv_dim % KV_Q8_BLOCK != 0 || kv_offset % KV_Q8_BLOCK != 0 || !key_scales || !value_scales)) return -1;
    struct kv_block kv = {
        .type = type,
        .keys = (const uint8_t *) keys + ((int64_t) kv_offset * context + from) * bytes,
        .key_scales = q8 ? key_scales + (int64_t) (kv_offset / KV_Q8_BLOCK) * context + from : NULL,
        .values = (const uint8_t *) values + ((int64_t) from * kv_dim + kv_offset) * bytes,
        .value_scales = q8 ? value_scales + (int64_t) from * (kv_dim / KV_Q8_BLOCK) + kv_offset / KV_Q8_BLOCK : NULL,
        .key_stride = context,
        .value_stride = kv_dim,
        .value_scale_stride = kv_dim / KV_Q8_BLOCK,
        .head_size = head_size,
        .n = to - from,
    };
    if (variant == TOKS_ATTEND_BEST) variant = TOKS_ATTEND_512 ? TOKS_ATTEND_AVX512 : TOKS_ATTEND_AVX2;
    switch (variant) {
        case TOKS_ATTEND_SCALAR: attend_scalar(&kv, q, count, scale, out, lse, scores); return 0;
        case TOKS_ATTEND_AVX2: attend_avx2(&kv, q, count, scale, out, lse, scores); return 0;
#if TOKS_ATTEND_512
        case TOKS_ATTEND_AVX512: attend_avx512(&kv, q, count, scale, out, lse, scores); return 0;
#endif
        default: return -1;
    }
}

int toks_attend_groups(int variant, int type, const void *keys, const uint16_t *key_scales, const void *values,
                       const uint16_t *value_scales, int context, int kv_dim, int kv_offset, int head_size, const float *q,
                       int count, int groups, float scale, int from, int to, float *out, float *lse, float *scores) {
    if (groups < 1 || count < 1 || head_size <= 0) return -1;
    for (int g = 0; g < groups; g++) {
        int64_t heads = (int64_t) g * count * head_size;
        int rc = toks_attend(variant, type, keys, key_scales, values, value_scales, context, kv_dim, kv_offset + g * head_size,
                             head_size, q + heads, count, scale, from, to, out + heads, lse + (int64_t) g * count, scores);
        if (rc != 0) return rc;
    }
    return 0;
}
