/*
 * Attention in portable C, straight from its definition: the reference the vector kernels are
 * tested against (NativeAttentionTest runs every variant of the build on the same blocks).
 */
#include <math.h>
#include <string.h>

#include "attention_internal.h"

/* IEEE binary16 bits to float, without F16C: sign, then normal, subnormal, infinite or NaN. */
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t) (h & 0x8000) << 16, exponent = (h >> 10) & 31, mantissa = h & 1023, bits;
    if (exponent == 31) {
        bits = sign | 0x7f800000u | mantissa << 13;
    } else if (exponent != 0) {
        bits = sign | (exponent + 112) << 23 | mantissa << 13;
    } else {
        float f = ldexpf((float) mantissa, -24); /* subnormal (or zero): mantissa x 2^-24 */
        memcpy(&bits, &f, 4);
        bits |= sign;
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static float key_at(const struct kv_block *kv, int d, int p) {
    int64_t at = d * kv->key_stride + p;
    switch (kv->type) {
        case GGML_TYPE_F32: return ((const float *) kv->keys)[at];
        case GGML_TYPE_F16: return half_to_float(((const uint16_t *) kv->keys)[at]);
        default:
            return ((const int8_t *) kv->keys)[at] * half_to_float(kv->key_scales[(d / KV_Q8_BLOCK) * kv->key_stride + p]);
    }
}

static float value_at(const struct kv_block *kv, int p, int d) {
    int64_t at = p * kv->value_stride + d;
    switch (kv->type) {
        case GGML_TYPE_F32: return ((const float *) kv->values)[at];
        case GGML_TYPE_F16: return half_to_float(((const uint16_t *) kv->values)[at]);
        default:
            return ((const int8_t *) kv->values)[at] * half_to_float(kv->value_scales[p * kv->value_scale_stride + d / KV_Q8_BLOCK]);
    }
}

void attend_scalar(const struct kv_block *kv, const float *q, int count, float scale, float *out, float *lse,
                   float *scores) {
    int n = kv->n, hs = kv->head_size;
    for (int j = 0; j < count; j++) {
        const float *qj = q + j * hs;
        float *s = scores + j * n, max = -INFINITY, sum = 0;
        for (int p = 0; p < n; p++) {
            float dot = 0;
            for (int d = 0; d < hs; d++) dot += qj[d] * key_at(kv, d, p);
            s[p] = dot * scale;
            max = fmaxf(max, s[p]);
        }
        for (int p = 0; p < n; p++) sum += s[p] = expf(s[p] - max);
        float *o = out + j * hs;
        for (int d = 0; d < hs; d++) o[d] = 0;
        for (int p = 0; p < n; p++) {
            for (int d = 0; d < hs; d++) o[d] += s[p] * value_at(kv, p, d);
        }
        for (int d = 0; d < hs; d++) o[d] /= sum;
        lse[j] = max + logf(sum);
    }
}
