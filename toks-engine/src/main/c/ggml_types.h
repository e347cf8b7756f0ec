/*
 * GGML tensor types and the byte layout of the quantized blocks the kernels read, as ggml
 * defines them (ggml.h: enum ggml_type; ggml-common.h: block_*). A GGUF tensor stores each row
 * as consecutive blocks; the kernels read the mapped file in place through these structs.
 *
 * The type ids are GGUF's, so they must equal io.toks.engine.gguf.GgmlType's: NativeKernels
 * passes GgmlType.id() values, and NativeTypeIdsTest parses this enum to keep the two equal.
 * Ids missing from the sequence were retired by ggml and are never reused.
 */
#ifndef TOKS_GGML_TYPES_H
#define TOKS_GGML_TYPES_H

#include <stddef.h>
#include <stdint.h>

enum ggml_type {
    GGML_TYPE_F32     = 0,
    GGML_TYPE_F16     = 1,
    GGML_TYPE_Q4_0    = 2,
    GGML_TYPE_Q4_1    = 3,
    GGML_TYPE_Q5_0    = 6,
    GGML_TYPE_Q5_1    = 7,
    GGML_TYPE_Q8_0    = 8,
    GGML_TYPE_Q8_1    = 9,
    GGML_TYPE_Q2_K    = 10,
    GGML_TYPE_Q3_K    = 11,
    GGML_TYPE_Q4_K    = 12,
    GGML_TYPE_Q5_K    = 13,
    GGML_TYPE_Q6_K    = 14,
    GGML_TYPE_Q8_K    = 15,
    GGML_TYPE_IQ2_XXS = 16,
    GGML_TYPE_IQ2_XS  = 17,
    GGML_TYPE_IQ3_XXS = 18,
    GGML_TYPE_IQ1_S   = 19,
    GGML_TYPE_IQ4_NL  = 20,
    GGML_TYPE_IQ3_S   = 21,
    GGML_TYPE_IQ2_S   = 22,
    GGML_TYPE_IQ4_XS  = 23,
    GGML_TYPE_I8      = 24,
    GGML_TYPE_I16     = 25,
    GGML_TYPE_I32     = 26,
    GGML_TYPE_I64     = 27,
    GGML_TYPE_F64     = 28,
    GGML_TYPE_IQ1_M   = 29,
    GGML_TYPE_BF16    = 30,
    GGML_TYPE_TQ1_0   = 34,
    GGML_TYPE_TQ2_0   = 35,
};

/* IEEE 754 half precision (1 sign, 5 exponent, 10 mantissa bits), stored as its bit pattern. */
typedef uint16_t ggml_half;
/* bfloat16: the high 16 bits of an IEEE 754 single (1 sign, 8 exponent, 7 mantissa bits). */
typedef uint16_t ggml_bf16;

#define QK4_0 32 /* values per Q4_0 block */
#define QK4_1 32
#define QK8_0 32
#define QK_K 256 /* values per K-quant super-block */
#define K_SCALE_SIZE 12 /* bytes of packed 6-bit scales and minimums in Q4_K and Q5_K */

/*
 * Q8_0: value i = d * qs[i].
 */
typedef struct {
    ggml_half d;
    int8_t qs[QK8_0];
} block_q8_0;
_Static_assert(sizeof(block_q8_0) == sizeof(ggml_half) + QK8_0, "wrong q8_0 block size/padding");

/*
 * Q4_0: value i = d * ((qs[i] & 15) - 8) for i < 16, d * ((qs[i - 16] >> 4) - 8) for i >= 16:
 * the low nibbles hold the first half of the block, the high nibbles the second.
 */
typedef struct {
    ggml_half d;
    uint8_t qs[QK4_0 / 2];
} block_q4_0;
_Static_assert(sizeof(block_q4_0) == sizeof(ggml_half) + QK4_0 / 2, "wrong q4_0 block size/padding");

/*
 * Q4_1: value i = d * nibble(i) + m, nibbles ordered as Q4_0's.
 */
typedef struct {
    ggml_half d;
    ggml_half m;
    uint8_t qs[QK4_1 / 2];
} block_q4_1;
_Static_assert(sizeof(block_q4_1) == 2 * sizeof(ggml_half) + QK4_1 / 2, "wrong q4_1 block size/padding");

/*
 * Q4_K: 8 sub-blocks of 32 values; value i of sub-block j = d * scale_j * nibble - dmin * min_j.
 * scales: 6-bit scale_j and min_j packed in 12 bytes: for j < 4, scale_j = scales[j] & 63 and
 * min_j = scales[j + 4] & 63; for j >= 4, scale_j = (scales[j + 4] & 15) | (scales[j - 4] >> 6) << 4
 * and min_j = (scales[j + 4] >> 4) | (scales[j] >> 6) << 4. qs: 32 bytes per pair of sub-blocks,
 * sub-block 2k in the low nibbles of qs[32k, 32k + 32), sub-block 2k + 1 in their high nibbles.
 */
typedef struct {
    ggml_half d;
    ggml_half dmin;
    uint8_t scales[K_SCALE_SIZE];
    uint8_t qs[QK_K / 2];
} block_q4_K;
_Static_assert(sizeof(block_q4_K) == 2 * sizeof(ggml_half) + K_SCALE_SIZE + QK_K / 2, "wrong q4_K block size/padding");

/*
 * Q5_K: Q4_K with a fifth bit per value: value i of sub-block j adds 16 to its nibble where
 * bit j of qh[i] is set.
 */
typedef struct {
    ggml_half d;
    ggml_half dmin;
    uint8_t scales[K_SCALE_SIZE];
    uint8_t qh[QK_K / 8];
    uint8_t qs[QK_K / 2];
} block_q5_K;
/* The kernels read d, dmin and scales of either type through block_q4_K: the same offsets. */
_Static_assert(offsetof(block_q5_K, d) == offsetof(block_q4_K, d) && offsetof(block_q5_K, dmin) == offsetof(block_q4_K, dmin)
               && offsetof(block_q5_K, scales) == offsetof(block_q4_K, scales), "q5_K and q4_K differ before qh");
_Static_assert(sizeof(block_q5_K) == 2 * sizeof(ggml_half) + K_SCALE_SIZE + QK_K / 8 + QK_K / 2, "wrong q5_K block size/padding");

/*
 * Q6_K: 16 sub-blocks of 16 values; value = d * scales[sub-block] * (q - 32), q 6 bits: 4 low bits
 * in ql, 2 high bits in qh. Per half of 128 values (h = 0, 1), with ql' = ql + 64 h, qh' = qh + 32 h,
 * value 32 k + i (k < 4, i < 32) takes the low nibble of ql'[i] (k = 0), of ql'[32 + i] (k = 1),
 * their high nibbles (k = 2, 3), and bits 2k, 2k + 1 of qh'[i].
 */
typedef struct {
    uint8_t ql[QK_K / 2];
    uint8_t qh[QK_K / 4];
    int8_t scales[QK_K / 16];
    ggml_half d;
} block_q6_K;
_Static_assert(sizeof(block_q6_K) == 3 * QK_K / 4 + QK_K / 16 + sizeof(ggml_half), "wrong q6_K block size/padding");

#endif
