/*
 * Pre-tiled Q4_0 and Q8_0 weights: the layout toks_tile_pack writes once, when a model is loaded,
 * and the product that reads it (decode of one or several sequences, and prefill).
 *
 * Why: the row-major GGUF layout makes every product either row at a time (each activation
 * broadcast against one row: nibbles unpacked, scales converted and partial sums reduced per row
 * and token) or, for the batched product, a transpose of every tile on every call. Tiled, 16
 * rows are interleaved by groups of four values, so one VPDPBUSD with four activation bytes
 * broadcast advances all 16 rows, a tile's nibbles are unpacked once for every token of the
 * batch, and the 16 rows' scales convert in one instruction (docs/performance.md, "Pre-tiled
 * Q4_0 and Q8_0").
 *
 * Layout (kernels_internal.h, TILE_ROWS = 16): tile i holds rows [16 i, 16 i + 16), rows past the
 * matrix zero, in tile_bytes(type, cols) bytes: first the scales of all its blocks, then their
 * values, each part starting 64-byte aligned (so every 512-bit load is one cache line):
 *   ggml_half scale[blocks][16]                            (row order; 0 for absent rows)
 *   Q4_0: uint8_t packed[blocks][4][64]: packed[b][j][4 row + e] = n(row, b, 4 j + e) | n(row, b, 4 (j + 4) + e) << 4
 *   Q8_0: uint8_t packed[blocks][8][64]: packed[b][k][4 row + e] = q(row, b, 4 k + e) + 128
 * with n(row, b, i) the i-th nibble of the row's block b (0..15; value d (n - 8)) and q(row, b, i)
 * its i-th int8.
 * So w = S (u - C) with u the unsigned byte (nibble), S the scale and C = 8 (Q4_0) or 128 (Q8_0),
 * and with the activations as toks_quantize_q8 gives them
 *   w . x = sum_b S_b (dx_b (u_b . qx_b) - C dsum_b).
 */
#include <stddef.h>
#include <string.h>

#include "ggml_types.h"
#include "simd_x86.h"

int64_t tile_packed_bytes(int type) {
    switch (type) {
        case GGML_TYPE_Q4_0: return TILE_ROWS * QK4_0 / 2;
        case GGML_TYPE_Q8_0: return TILE_ROWS * QK8_0;
        default: return -1;
    }
}

int64_t tile_scales_bytes(int cols) {
    int64_t bytes = (int64_t) (cols / QB) * TILE_ROWS * (int64_t) sizeof(ggml_half);
    return (bytes + 63) / 64 * 64;
}

int64_t tile_bytes(int type, int cols) {
    int64_t packed = tile_packed_bytes(type);
    return packed < 0 ? -1 : tile_scales_bytes(cols) + (int64_t) (cols / QB) * packed;
}

/* The i-th of a Q4_0 block's 32 nibbles: the low halves of qs hold values 0..15, the high halves 16..31. */
static inline int q4_0_nibble(const block_q4_0 *b, int i) {
    return i < 16 ? b->qs[i] & 15 : b->qs[i - 16] >> 4;
}

void tile_pack_scalar(int type, const uint8_t *w, int64_t row_bytes, int rows, int cols, uint8_t *dst, int from_tile, int to_tile) {
    int blocks = cols / QB;
    int64_t size = tile_bytes(type, cols), packed_bytes = tile_packed_bytes(type);
    for (int t = from_tile; t < to_tile; t++) {
        uint8_t *tile = dst + (int64_t) t * size;
        memset(tile, 0, (size_t) size);
        ggml_half *scale = (ggml_half *) tile;
        uint8_t *values = tile + tile_scales_bytes(cols);
        for (int i = 0; i < TILE_ROWS; i++) {
            int r = t * TILE_ROWS + i;
            if (r >= rows) break;
            const uint8_t *row = w + (int64_t) r * row_bytes;
            for (int b = 0; b < blocks; b++) {
                uint8_t *packed = values + b * packed_bytes;
                if (type == GGML_TYPE_Q4_0) {
                    const block_q4_0 *x = (const block_q4_0 *) row + b;
                    scale[b * TILE_ROWS + i] = x->d;
                    for (int j = 0; j < 4; j++) {
                        for (int e = 0; e < 4; e++) {
                            packed[j * 64 + 4 * i + e] = (uint8_t) (q4_0_nibble(x, 4 * j + e) | q4_0_nibble(x, 4 * (j + 4) + e) << 4);
                        }
                    }
                } else {
                    const block_q8_0 *x = (const block_q8_0 *) row + b;
                    scale[b * TILE_ROWS + i] = x->d;
                    for (int k = 0; k < 8; k++) {
                        for (int e = 0; e < 4; e++) packed[k * 64 + 4 * i + e] = (uint8_t) (x->qs[4 * k + e] + 128);
                    }
                }
            }
        }
    }
}

/* The scalar reference of the tiled product (tests compare the vector kernel with it). */
void tiled_matmul_scalar(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                         int n, float *out, int64_t ld, int64_t out_row0, int from, int to) {
    int blocks = cols / QB;
    int64_t size = tile_bytes(type, cols), packed_bytes = tile_packed_bytes(type);
    float c = type == GGML_TYPE_Q4_0 ? 8 : 128;
    for (int r = from; r < to; r++) {
        const uint8_t *tile = tiles + (int64_t) (r / TILE_ROWS) * size;
        int i = r % TILE_ROWS;
        for (int t = 0; t < n; t++) {
            float sum = 0;
            for (int b = 0; b < blocks; b++) {
                ggml_half h;
                memcpy(&h, tile + (b * TILE_ROWS + i) * sizeof(ggml_half), sizeof h);
                const uint8_t *packed = tile + tile_scales_bytes(cols) + b * packed_bytes;
                const int8_t *qx = q + (int64_t) t * cols + b * QB;
                int dot = 0;
                for (int v = 0; v < QB; v++) {
                    int u;
                    if (type == GGML_TYPE_Q4_0) {
                        int byte = packed[(v / 4 % 4) * 64 + 4 * i + v % 4];
                        u = v < 16 ? byte & 15 : byte >> 4;
                    } else {
                        u = packed[(v / 4) * 64 + 4 * i + v % 4];
                    }
                    dot += u * qx[v];
                }
                int64_t a = (int64_t) t * blocks + b;
                float s = fp16_to_fp32(h);
                sum += s * (d[a] * (float) dot - c * dsum[a]);
            }
            out[t * ld + (r - out_row0)] = sum;
        }
    }
}
