// Quantization test vectors written by ggml itself, for GgmlQuantVectorsTest: for each block type,
// ROWS x COLS deterministic input floats, the bytes ggml_quantize_chunk makes of them, and the
// floats ggml's own to_float makes of those bytes. Built and run by scripts/ggml-quant-vectors.sh
// against a llama.cpp/ggml build the user made outside this repository.
//
// Why not llama-quantize on stories260K: its rows are 64 and 172 columns, and llama-quantize
// refuses Q4_1 there (172 % 32 != 0) and replaces every K-quant by Q5_0/Q5_1/Q8_0 (64 % 256 != 0),
// so that file cannot carry the types these vectors exist for. 512 columns hold two super-blocks.
//
// File layout, little-endian: "TOKSQVEC", int32 ggml type, int32 rows, int32 cols; rows*cols input
// floats; the quantized rows; rows*cols decoded floats.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ggml.h"
#include "ggml-cpu.h"

enum { ROWS = 8, COLS = 512 };

// xorshift64: the same stream on every platform, so the vectors are reproducible byte for byte.
static uint64_t state = 0x9E3779B97F4A7C15ull;
static double uniform(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (state >> 11) * (1.0 / 9007199254740992.0);
}
static double gaussian(void) {
    double u = uniform() + 1e-12, v = uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

// One row per shape a quantizer must handle: its scale search, its min, its zero and sign cases.
static float input_value(int row, int col) {
    switch (row) {
        case 0: return (float) gaussian() * 0.02f;                                         // weight-like
        case 1: return (float) gaussian();                                                 // unit scale
        case 2: return (col % 97 == 0) ? (float) gaussian() * 8 : (float) gaussian() * 0.05f; // outliers
        case 3: return (col < 256) ? 0.0f : (float) gaussian() * 0.1f;                     // an all-zero super-block
        case 4: return (float) fabs(gaussian()) * 0.3f + 0.01f;                            // all positive
        case 5: return -(float) fabs(gaussian()) * 0.3f - 0.01f;                           // all negative
        case 6: return (float) (uniform() * 2 - 1) * 1e-4f;                                // tiny
        default: return (float) gaussian() * 3.0f + 1.0f;                                  // offset
    }
}

static int write_vectors(const char *dir, enum ggml_type type, const float *x) {
    size_t row_bytes = ggml_row_size(type, COLS);
    uint8_t *q = calloc(ROWS, row_bytes);
    float *y = malloc(sizeof(float) * ROWS * COLS);
    if (!q || !y) { fprintf(stderr, "out of memory\n"); return 1; }
    ggml_quantize_init(type);
    size_t written = ggml_quantize_chunk(type, x, q, 0, ROWS, COLS, NULL);
    if (written != ROWS * row_bytes) {
        fprintf(stderr, "%s: ggml wrote %zu bytes, expected %zu\n", ggml_type_name(type), written, ROWS * row_bytes);
        return 1;
    }
    ggml_get_type_traits(type)->to_float(q, y, (int64_t) ROWS * COLS);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.bin", dir, ggml_type_name(type));
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return 1; }
    int32_t header[3] = { (int32_t) type, ROWS, COLS };
    fwrite("TOKSQVEC", 1, 8, f);
    fwrite(header, sizeof header[0], 3, f);
    fwrite(x, sizeof(float), ROWS * COLS, f);
    fwrite(q, 1, ROWS * row_bytes, f);
    fwrite(y, sizeof(float), ROWS * COLS, f);
    if (fclose(f) != 0) { perror(path); return 1; }
    printf("%s: %zu bytes per row -> %s\n", ggml_type_name(type), row_bytes, path);
    free(q);
    free(y);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]); return 2; }
    static float x[ROWS * COLS];
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) x[r * COLS + c] = input_value(r, c);
    ggml_cpu_init();
    const enum ggml_type types[] = { GGML_TYPE_Q4_0, GGML_TYPE_Q4_1, GGML_TYPE_Q8_0, GGML_TYPE_Q4_K, GGML_TYPE_Q5_K, GGML_TYPE_Q6_K };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (write_vectors(argv[1], types[i], x) != 0) return 1;
    return 0;
}
