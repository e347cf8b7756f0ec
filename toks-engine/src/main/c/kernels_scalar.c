/*
 * Portable C: the parts that need no vector instructions (a conversion that runs once per token
 * of a BF16 prefill batch, outside the products).
 */
#include <string.h>

#include "ggml_types.h"
#include "kernels_internal.h"

/* F32 to BF16 rounds to nearest even on the 16 bits dropped; a NaN keeps a mantissa bit so it stays NaN. */
void to_bf16_scalar(const float *x, int count, ggml_bf16 *out) {
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
