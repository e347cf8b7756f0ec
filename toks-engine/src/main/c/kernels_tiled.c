/*
 * Pre-tiled weights: the layout toks_tiles_pack writes once, when a model is loaded, for Q4_0,
 * Q8_0, Q4_K and Q6_K matrices, and the plain C product that reads it (the reference of the
 * vector kernel in kernels_avx512.c).
 *
 * Why: the row-major GGUF layout makes every product either row at a time (each activation
 * broadcast against one row: nibbles unpacked, scales converted and partial sums reduced per row
 * and token) or, for the batched product, a transpose of every tile on every call. Tiled, 16
 * rows are interleaved by groups of four values, so one VPDPBUSD with four activation bytes
 * broadcast advances all 16 rows, a tile's values are unpacked once for every token of the
 * batch, and the 16 rows' scales convert in one instruction (docs/performance.md, "Pre-tiled
 * weights").
 *
 * Layout (TILE_ROWS = 16): tile i holds rows [16 i, 16 i + 16), rows past the matrix zero, in
 * tile_bytes(type, cols) bytes: first the scales of all its blocks (padded to 64 bytes), then the
 * values of its blocks of 32 (b < cols / 32), each a whole number of 64-byte vectors, so every
 * 512-bit load is one cache line. Below, u(r, b, i) is value i of row r's block b as an unsigned
 * byte, and "nibble vectors" are packed[4][64] with
 *   packed[j][4 r + e] = u(r, b, 4 j + e) | u(r, b, 4 (j + 4) + e) << 4      (j < 4, e < 4)
 * so a vector's low nibbles hold values 0..15 of the 16 rows, four by four, its high nibbles 16..31.
 *
 *   Q4_0: scales ggml_half d[blocks][16]; values: nibble vectors of u = nibble (0..15); w = d (u - 8).
 *   Q8_0: scales ggml_half d[blocks][16]; values packed[8][64], packed[k][4 r + e] = q(r, b, 4 k + e) + 128;
 *         w = d (u - 128).
 *   Q4_K: per super-block (8 blocks): ggml_half d[16], dmin[16]; uint8_t scale[8][16], min[8][16]
 *         (the 6-bit values unpacked); values: nibble vectors; w = d scale_j u - dmin min_j.
 *   Q6_K: per super-block (8 blocks): ggml_half d[16]; int8_t scale[16][16] (per 16 values);
 *         values: nibble vectors of the low four bits, then high[2][64] with the top two bits of
 *         groups 0..3 (high[0]) and 4..7 (high[1]): bits 2 g', 2 g' + 1 of high[g / 4][4 r + e]
 *         hold those of u(r, b, 4 g + e), g' = g % 4; w = d scale (u - 32).
 *
 * With the activations as toks_quantize_q8 gives them (int8 q, scale dx and dx sum(q) per 32),
 * every type is w = S u - M per block (Q6_K per half block) and
 *   w . x = sum_b S_b dx_b (u_b . q_b) - M_b dx_b sum(q_b).
 */
#include <stddef.h>
#include <string.h>

#include "ggml_types.h"
#include "simd_x86.h"

/* Bytes of one tile's scales for a super-block (K types) or block (Q4_0, Q8_0). */
static int64_t header_unit_bytes(int type) {
    switch (type) {
        case GGML_TYPE_Q4_0: case GGML_TYPE_Q8_0: return TILE_ROWS * 2;
        case GGML_TYPE_Q4_K: return TILE_ROWS * (2 + 2 + 8 + 8);
        case GGML_TYPE_Q6_K: return TILE_ROWS * (2 + 16);
        default: return -1;
    }
}

/* Blocks of 32 per header unit. */
static int header_unit_blocks(int type) {
    return type == GGML_TYPE_Q4_K || type == GGML_TYPE_Q6_K ? QK_K / QB : 1;
}

int64_t tile_packed_bytes(int type) {
    switch (type) {
        case GGML_TYPE_Q4_0: case GGML_TYPE_Q4_K: return 4 * 64;
        case GGML_TYPE_Q8_0: return 8 * 64;
        case GGML_TYPE_Q6_K: return 6 * 64;
        default: return -1;
    }
}

int64_t tile_header_unit_bytes(int type) {
    return header_unit_bytes(type);
}

int64_t tile_scales_bytes(int type, int cols) {
    int64_t bytes = (int64_t) (cols / QB / header_unit_blocks(type)) * header_unit_bytes(type);
    return (bytes + 63) / 64 * 64;
}

int64_t tile_bytes(int type, int cols) {
    int64_t packed = tile_packed_bytes(type);
    if (packed < 0 || cols % (QB * header_unit_blocks(type)) != 0) return -1;
    return tile_scales_bytes(type, cols) + (int64_t) (cols / QB) * packed;
}

/* Q4_K's 6-bit scale and min of sub-block j, as ggml_types.h describes them. */
static void q4_K_scale_min(const uint8_t *s, int j, int *scale, int *min) {
    if (j < 4) {
        *scale = s[j] & 63;
        *min = s[j + 4] & 63;
    } else {
        *scale = (s[j + 4] & 15) | (s[j - 4] >> 6) << 4;
        *min = (s[j + 4] >> 4) | (s[j] >> 6) << 4;
    }
}

/* The 32 unsigned values u of a row's block b (see the layout above). */
static void row_values(int type, const uint8_t *row, int b, uint8_t u[QB]) {
    switch (type) {
        case GGML_TYPE_Q4_0: {
            const block_q4_0 *x = (const block_q4_0 *) row + b;
            for (int i = 0; i < 16; i++) {
                u[i] = x->qs[i] & 15;
                u[i + 16] = x->qs[i] >> 4;
            }
            return;
        }
        case GGML_TYPE_Q8_0: {
            const block_q8_0 *x = (const block_q8_0 *) row + b;
            for (int i = 0; i < QB; i++) u[i] = (uint8_t) (x->qs[i] + 128);
            return;
        }
        case GGML_TYPE_Q4_K: {
            const block_q4_K *x = (const block_q4_K *) row + b / 8;
            int j = b % 8;
            const uint8_t *qs = x->qs + 32 * (j / 2);
            for (int i = 0; i < QB; i++) u[i] = j % 2 ? qs[i] >> 4 : qs[i] & 15;
            return;
        }
        default: { /* Q6_K */
            const block_q6_K *x = (const block_q6_K *) row + b / 8;
            int half = (b % 8) / 4, k = b % 4;
            const uint8_t *ql = x->ql + 64 * half + 32 * (k & 1), *qh = x->qh + 32 * half;
            for (int i = 0; i < QB; i++) {
                int low = k < 2 ? ql[i] & 15 : ql[i] >> 4;
                u[i] = (uint8_t) (low | ((qh[i] >> (2 * k)) & 3) << 4);
            }
            return;
        }
    }
}

/* Row i's scales of header unit h (a super-block, or a block for Q4_0 and Q8_0) into the tile's header. */
static void row_header(int type, const uint8_t *row, int h, uint8_t *unit, int i) {
    switch (type) {
        case GGML_TYPE_Q4_0: memcpy(unit + 2 * i, &((const block_q4_0 *) row + h)->d, 2); return;
        case GGML_TYPE_Q8_0: memcpy(unit + 2 * i, &((const block_q8_0 *) row + h)->d, 2); return;
        case GGML_TYPE_Q4_K: {
            const block_q4_K *x = (const block_q4_K *) row + h;
            memcpy(unit + 2 * i, &x->d, 2);
            memcpy(unit + 2 * TILE_ROWS + 2 * i, &x->dmin, 2);
            for (int j = 0; j < 8; j++) {
                int scale, min;
                q4_K_scale_min(x->scales, j, &scale, &min);
                unit[4 * TILE_ROWS + j * TILE_ROWS + i] = (uint8_t) scale;
                unit[12 * TILE_ROWS + j * TILE_ROWS + i] = (uint8_t) min;
            }
            return;
        }
        default: { /* Q6_K */
            const block_q6_K *x = (const block_q6_K *) row + h;
            memcpy(unit + 2 * i, &x->d, 2);
            for (int s = 0; s < 16; s++) unit[2 * TILE_ROWS + s * TILE_ROWS + i] = (uint8_t) x->scales[s];
            return;
        }
    }
}

/* Row i's values u[32] into block b's packed vectors. */
static void pack_values(int type, const uint8_t u[QB], uint8_t *packed, int i) {
    if (type == GGML_TYPE_Q8_0) {
        for (int k = 0; k < 8; k++) memcpy(packed + 64 * k + 4 * i, u + 4 * k, 4);
        return;
    }
    for (int j = 0; j < 4; j++) {
        for (int e = 0; e < 4; e++) packed[64 * j + 4 * i + e] = (uint8_t) ((u[4 * j + e] & 15) | (u[4 * (j + 4) + e] & 15) << 4);
    }
    if (type == GGML_TYPE_Q6_K) {
        uint8_t *high = packed + 4 * 64;
        for (int g = 0; g < 8; g++) {
            for (int e = 0; e < 4; e++) high[64 * (g / 4) + 4 * i + e] |= (uint8_t) ((u[4 * g + e] >> 4) << (2 * (g % 4)));
        }
    }
}

/*
 * Row i's block b straight from its GGUF bytes, four bytes at a time, where the tile holds them
 * as they are (Q4_0: byte k of qs is u(k) | u(k + 16) << 4, the nibble vectors' byte; Q8_0: q
 * with its sign bit flipped is q + 128) or nearly (Q4_K: a shift and two masks): packing a model
 * value by value took seconds. 0 for a type packed value by value.
 */
static int pack_block_directly(int type, const uint8_t *row, int b, uint8_t *packed, int i) {
    if (type == GGML_TYPE_Q4_0) {
        const block_q4_0 *x = (const block_q4_0 *) row + b;
        for (int j = 0; j < 4; j++) memcpy(packed + 64 * j + 4 * i, x->qs + 4 * j, 4);
        return 1;
    }
    if (type == GGML_TYPE_Q8_0) {
        const block_q8_0 *x = (const block_q8_0 *) row + b;
        for (int k = 0; k < 8; k++) {
            uint32_t v;
            memcpy(&v, x->qs + 4 * k, 4);
            v ^= 0x80808080u;
            memcpy(packed + 64 * k + 4 * i, &v, 4);
        }
        return 1;
    }
    if (type == GGML_TYPE_Q4_K) {
        const block_q4_K *x = (const block_q4_K *) row + b / 8;
        int j = b % 8, shift = 4 * (j % 2);
        const uint8_t *qs = x->qs + 32 * (j / 2);
        for (int k = 0; k < 16; k += 4) {
            uint32_t lo, hi;
            memcpy(&lo, qs + k, 4);
            memcpy(&hi, qs + 16 + k, 4);
            uint32_t v = ((lo >> shift) & 0x0f0f0f0fu) | ((hi >> shift) & 0x0f0f0f0fu) << 4;
            memcpy(packed + 64 * (k / 4) + 4 * i, &v, 4);
        }
        return 1;
    }
    return 0;
}

void tile_pack_scalar(int type, const uint8_t *w, int64_t row_bytes, int rows, int cols, uint8_t *dst, int from_tile, int to_tile) {
    int blocks = cols / QB, per_unit = header_unit_blocks(type);
    int64_t size = tile_bytes(type, cols), packed_bytes = tile_packed_bytes(type), unit_bytes = header_unit_bytes(type);
    for (int t = from_tile; t < to_tile; t++) {
        uint8_t *tile = dst + (int64_t) t * size, *values = tile + tile_scales_bytes(type, cols);
        memset(tile, 0, (size_t) size);
        for (int i = 0; i < TILE_ROWS && t * TILE_ROWS + i < rows; i++) {
            const uint8_t *row = w + (int64_t) (t * TILE_ROWS + i) * row_bytes;
            for (int h = 0; h < blocks / per_unit; h++) row_header(type, row, h, tile + h * unit_bytes, i);
            for (int b = 0; b < blocks; b++) {
                uint8_t *packed = values + b * packed_bytes;
                if (pack_block_directly(type, row, b, packed, i)) continue;
                uint8_t u[QB];
                row_values(type, row, b, u);
                pack_values(type, u, packed, i);
            }
        }
    }
}

/* Row i's u(i, b, v) read back from the tile: the reference reads the layout, not the GGUF row. */
static int tile_value(int type, const uint8_t *packed, int i, int v) {
    if (type == GGML_TYPE_Q8_0) return packed[64 * (v / 4) + 4 * i + v % 4];
    int g = v / 4, byte = packed[64 * (g % 4) + 4 * i + v % 4];
    int u = g < 4 ? byte & 15 : byte >> 4;
    if (type == GGML_TYPE_Q6_K) u |= ((packed[4 * 64 + 64 * (g / 4) + 4 * i + v % 4] >> (2 * (g % 4))) & 3) << 4;
    return u;
}

/* Row i's S and M of block b for the values v in [16 h, 16 h + 16) (the same for both halves but in Q6_K). */
static void tile_factors(int type, const uint8_t *tile, int b, int i, int h, float *s, float *m) {
    ggml_half half;
    if (type == GGML_TYPE_Q4_0 || type == GGML_TYPE_Q8_0) {
        memcpy(&half, tile + b * 2 * TILE_ROWS + 2 * i, 2);
        *s = fp16_to_fp32(half);
        *m = *s * (type == GGML_TYPE_Q4_0 ? 8 : 128);
        return;
    }
    const uint8_t *unit = tile + (b / 8) * header_unit_bytes(type);
    memcpy(&half, unit + 2 * i, 2);
    float d = fp16_to_fp32(half);
    if (type == GGML_TYPE_Q4_K) {
        memcpy(&half, unit + 2 * TILE_ROWS + 2 * i, 2);
        *s = d * unit[4 * TILE_ROWS + (b % 8) * TILE_ROWS + i];
        *m = fp16_to_fp32(half) * unit[12 * TILE_ROWS + (b % 8) * TILE_ROWS + i];
        return;
    }
    *s = d * (int8_t) unit[2 * TILE_ROWS + (2 * (b % 8) + h) * TILE_ROWS + i];
    *m = *s * 32;
}

void tiled_matmul_scalar(int type, const uint8_t *tiles, int cols, const int8_t *q, const float *d, const float *dsum,
                         int n, float *out, int64_t ld, int64_t out_row0, int from, int to) {
    (void) dsum; /* the offsets are summed here from q itself, per half block */
    int blocks = cols / QB;
    int64_t size = tile_bytes(type, cols), packed_bytes = tile_packed_bytes(type);
    for (int r = from; r < to; r++) {
        const uint8_t *tile = tiles + (int64_t) (r / TILE_ROWS) * size, *values = tile + tile_scales_bytes(type, cols);
        int i = r % TILE_ROWS;
        for (int t = 0; t < n; t++) {
            float sum = 0;
            for (int b = 0; b < blocks; b++) {
                const int8_t *qx = q + (int64_t) t * cols + b * QB;
                float dx = d[(int64_t) t * blocks + b];
                for (int h = 0; h < 2; h++) {
                    int dot = 0, qsum = 0;
                    for (int v = 16 * h; v < 16 * h + 16; v++) {
                        dot += tile_value(type, values + b * packed_bytes, i, v) * qx[v];
                        qsum += qx[v];
                    }
                    float s, m;
                    tile_factors(type, tile, b, i, h, &s, &m);
                    sum += s * dx * (float) dot - m * dx * (float) qsum;
                }
            }
            out[t * ld + (r - out_row0)] = sum;
        }
    }
}
