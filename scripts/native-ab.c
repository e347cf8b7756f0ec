/*
 * Two builds of the native kernel library side by side (scripts/native-ab.sh builds them).
 *   native-ab check A.so B.so   every exported function on the same inputs: outputs must be
 *                               equal bit for bit (exit status 1 when one differs)
 *   native-ab time A.so B.so    one thread, the kernels of A and B called in turns, the best
 *                               of many calls each: microseconds and the ratio B / A
 * Weights are random bytes with sane block scales; shapes are llama-3.2-1b's (2048 columns).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    void (*quantize_q8)(const float *, int, int8_t *, float *, float *);
    int (*matvec_q8)(int, const uint8_t *, int64_t, const int8_t *, const float *, const float *, float *, int, int, int);
    int (*matvec)(int, const uint8_t *, int64_t, const float *, float *, int, int, int);
    int (*matmul_q8)(int, const uint8_t *, int64_t, const int8_t *, const float *, const float *, int, float *, int64_t, int, int, int);
    int (*matmul_f)(int, int, const uint8_t *, int64_t, const void *, int, float *, int64_t, int, int, int);
    void (*to_bf16)(const float *, int, uint16_t *);
    float (*read_sum)(const float *, int64_t);
    int (*batched_float)(void);
    int (*matvec_type)(int);
    int (*batched)(void);
    const char *(*isa)(void);
} lib_t;

enum { F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q8_0 = 8, Q4_K = 12, Q5_K = 13, Q6_K = 14, BF16 = 30 };

static void *sym(void *h, const char *name) {
    void *p = dlsym(h, name);
    if (!p) { fprintf(stderr, "missing symbol %s\n", name); exit(2); }
    return p;
}

static lib_t open_lib(const char *path) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); exit(2); }
    return (lib_t) {sym(h, "toks_quantize_q8"), sym(h, "toks_matvec_q8"), sym(h, "toks_matvec"), sym(h, "toks_matmul_q8"),
                    sym(h, "toks_matmul_f"), sym(h, "toks_to_bf16"), sym(h, "toks_read_sum"),
                    sym(h, "toks_kernels_batched_float"), sym(h, "toks_kernels_matvec_type"), sym(h, "toks_kernels_batched"),
                    sym(h, "toks_kernels_isa")};
}

static uint64_t rng = 88172645463325252ull;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t) rng; }
static float uniform(void) { return (next() >> 8) / 16777216.0f * 2 - 1; }
static uint16_t half(float f) { return _cvtss_sh(f, 0); }

/* Block bytes and values, and where a block's f16 scales sit (set to small values, not random bits). */
typedef struct { int type, values, bytes, scales, scale_at[2]; } layout_t;
static const layout_t layouts[] = {
    {Q8_0, 32, 34, 1, {0}}, {Q4_0, 32, 18, 1, {0}}, {Q4_1, 32, 20, 2, {0, 2}},
    {Q4_K, 256, 144, 2, {0, 2}}, {Q5_K, 256, 176, 2, {0, 2}}, {Q6_K, 256, 210, 1, {208}},
};

static uint8_t *weights(int type, int rows, int cols, int64_t *row_bytes) {
    if (type == F32 || type == F16 || type == BF16) {
        *row_bytes = (int64_t) cols * (type == F32 ? 4 : 2);
        uint8_t *w = aligned_alloc(64, (size_t) (*row_bytes * rows + 64));
        for (int64_t i = 0; i < (int64_t) rows * cols; i++) {
            float f = uniform();
            uint32_t u;
            memcpy(&u, &f, 4);
            uint16_t h = type == F16 ? half(f) : (uint16_t) (u >> 16);
            if (type == F32) memcpy(w + 4 * i, &f, 4);
            else memcpy(w + 2 * i, &h, 2);
        }
        return w;
    }
    for (size_t k = 0; k < sizeof layouts / sizeof *layouts; k++) {
        const layout_t *l = &layouts[k];
        if (l->type != type) continue;
        *row_bytes = (int64_t) cols / l->values * l->bytes;
        size_t total = (size_t) (*row_bytes * rows);
        uint8_t *w = aligned_alloc(64, total + 64);
        for (size_t i = 0; i < total; i++) w[i] = (uint8_t) next();
        for (size_t b = 0; b < total / l->bytes; b++) {
            for (int s = 0; s < l->scales; s++) {
                uint16_t h = half(uniform() * 0.01f);
                memcpy(w + b * l->bytes + l->scale_at[s], &h, 2);
            }
        }
        return w;
    }
    fprintf(stderr, "no layout for type %d\n", type);
    exit(2);
}

static float *vector(int n, float scale) {
    float *x = aligned_alloc(64, sizeof(float) * (size_t) (n + 64));
    for (int i = 0; i < n; i++) x[i] = uniform() * scale;
    return x;
}

static int checks, differ;

static void same(const char *what, const void *a, const void *b, size_t n) {
    checks++;
    if (memcmp(a, b, n) != 0) { differ++; printf("differ: %s\n", what); }
}

static void same_int(const char *what, int a, int b) {
    checks++;
    if (a != b) { differ++; printf("differ: %s (%d against %d)\n", what, a, b); }
}

static int is_float_type(int type) { return type == F32 || type == F16 || type == BF16; }

static int check(lib_t A, lib_t B) {
    char what[200];
    printf("isa %s / %s\n", A.isa(), B.isa());
    if (strcmp(A.isa(), B.isa()) != 0) { differ++; printf("differ: isa\n"); }
    same_int("toks_kernels_batched", A.batched(), B.batched());
    same_int("toks_kernels_batched_float", A.batched_float(), B.batched_float());
    for (int t = -1; t < 40; t++) {
        snprintf(what, sizeof what, "toks_kernels_matvec_type(%d)", t);
        same_int(what, A.matvec_type(t), B.matvec_type(t));
    }
    for (int n = 32; n <= 4096; n *= 2) {
        float *x = vector(n, 3);
        memset(x, 0, 32 * sizeof(float)); /* an all-zero block */
        int8_t qa[4096], qb[4096];
        float da[128], db[128], sa[128], sb[128];
        A.quantize_q8(x, n, qa, da, sa);
        B.quantize_q8(x, n, qb, db, sb);
        snprintf(what, sizeof what, "toks_quantize_q8 n=%d", n);
        same(what, qa, qb, n);
        same(what, da, db, 4 * (n / 32));
        same(what, sa, sb, 4 * (n / 32));
        free(x);
    }
    for (int n = 1; n < 300; n += 7) {
        float *x = vector(n, 1e5f); /* large values, NaN and infinity */
        if (n > 3) { x[1] = NAN; x[2] = INFINITY; x[3] = -65504.0f; }
        uint16_t oa[300], ob[300];
        A.to_bf16(x, n, oa);
        B.to_bf16(x, n, ob);
        snprintf(what, sizeof what, "toks_to_bf16 n=%d", n);
        same(what, oa, ob, 2 * n);
        free(x);
    }
    {
        float *x = vector(1 << 20, 1);
        float ra = A.read_sum(x, 1 << 20), rb = B.read_sum(x, 1 << 20);
        same("toks_read_sum", &ra, &rb, 4);
        free(x);
    }
    const int types[] = {F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K, 6 /* Q5_0: refused */, 99};
    const int widths[] = {32, 96, 224, 256, 512, 768, 2048, 100, 48};
    for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++) {
        int type = types[ti], k_quant = type == Q4_K || type == Q5_K || type == Q6_K;
        int wtype = (type == 6 || type == 99) ? Q8_0 : type;
        for (size_t ci = 0; ci < sizeof widths / sizeof *widths; ci++) {
            int cols = widths[ci], rows = 37;
            if (!is_float_type(type) && cols % (k_quant ? 256 : 32) != 0) {
                int64_t rb;
                uint8_t *w = weights(wtype, 2, k_quant ? 256 : 32, &rb);
                float *x = vector(cols, 1), oa[2], ob[2];
                snprintf(what, sizeof what, "toks_matvec refusal, type %d, %d columns", type, cols);
                same_int(what, A.matvec(type, w, rb, x, oa, 0, 0, cols), B.matvec(type, w, rb, x, ob, 0, 0, cols));
                free(w);
                free(x);
                continue;
            }
            int64_t row_bytes;
            uint8_t *w = weights(wtype, rows, cols, &row_bytes);
            float *x = vector(cols, 1), oa[64], ob[64];
            for (int from = 0; from <= 3; from += 3) {
                for (int to = from; to <= rows; to += (to < 6 ? 1 : 13)) {
                    memset(oa, 0x55, sizeof oa);
                    memset(ob, 0x55, sizeof ob);
                    int ra = A.matvec(type, w, row_bytes, x, oa, from, to, cols);
                    int rb = B.matvec(type, w, row_bytes, x, ob, from, to, cols);
                    snprintf(what, sizeof what, "toks_matvec type %d, %d columns, rows [%d, %d)", type, cols, from, to);
                    same_int(what, ra, rb);
                    same(what, oa, ob, sizeof oa);
                }
            }
            for (int n = 1; n <= 11; n += (n < 6 ? 1 : 5)) {
                float *xs = vector(n * cols, 2);
                int64_t ld = rows - 3;
                size_t out_bytes = sizeof(float) * n * ld;
                float *ma = malloc(out_bytes), *mb = malloc(out_bytes);
                if (!is_float_type(type)) {
                    int8_t *q = malloc((size_t) n * cols);
                    float *d = malloc(4 * (size_t) n * cols / 32 + 4), *ds = malloc(4 * (size_t) n * cols / 32 + 4);
                    for (int t = 0; t < n; t++) A.quantize_q8(xs + t * cols, cols, q + t * cols, d + t * cols / 32, ds + t * cols / 32);
                    memset(ma, 0x55, out_bytes);
                    memset(mb, 0x55, out_bytes);
                    int ra = A.matmul_q8(type, w, row_bytes, q, d, ds, n, ma, ld, 3, rows, cols);
                    int rb = B.matmul_q8(type, w, row_bytes, q, d, ds, n, mb, ld, 3, rows, cols);
                    snprintf(what, sizeof what, "toks_matmul_q8 type %d, %d columns, %d tokens", type, cols, n);
                    same_int(what, ra, rb);
                    same(what, ma, mb, out_bytes);
                    memset(oa, 0x55, sizeof oa);
                    memset(ob, 0x55, sizeof ob);
                    ra = A.matvec_q8(type, w, row_bytes, q, d, ds, oa, 1, rows, cols);
                    rb = B.matvec_q8(type, w, row_bytes, q, d, ds, ob, 1, rows, cols);
                    snprintf(what, sizeof what, "toks_matvec_q8 type %d, %d columns", type, cols);
                    same_int(what, ra, rb);
                    same(what, oa, ob, sizeof oa);
                    free(q);
                    free(d);
                    free(ds);
                } else {
                    const int xtypes[] = {F32, BF16};
                    uint16_t *halves = malloc(2 * (size_t) n * cols);
                    for (int xi = 0; xi < 2; xi++) {
                        int xtype = xtypes[xi];
                        const void *xp = xs;
                        if (xtype == BF16) { A.to_bf16(xs, n * cols, halves); xp = halves; }
                        memset(ma, 0x55, out_bytes);
                        memset(mb, 0x55, out_bytes);
                        int ra = A.matmul_f(type, xtype, w, row_bytes, xp, n, ma, ld, 3, rows, cols);
                        int rb = B.matmul_f(type, xtype, w, row_bytes, xp, n, mb, ld, 3, rows, cols);
                        snprintf(what, sizeof what, "toks_matmul_f type %d, activations %d, %d columns, %d tokens", type, xtype, cols, n);
                        same_int(what, ra, rb);
                        same(what, ma, mb, out_bytes);
                    }
                    free(halves);
                }
                free(xs);
                free(ma);
                free(mb);
            }
            free(w);
            free(x);
        }
    }
    printf("%d comparisons, %d differ\n", checks, differ);
    return differ != 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* What one timed call does, on library l. */
typedef struct {
    const char *name;
    int kind, type, xtype, rows, n; /* kind: 0 matvec, 1 matmul_q8, 2 matmul_f */
} case_t;

static void time_libs(lib_t *libs) {
    const int cols = 2048;
    const case_t cases[] = {
        {"decode F32", 0, F32, 0, 8192, 1}, {"decode F16", 0, F16, 0, 8192, 1}, {"decode BF16", 0, BF16, 0, 8192, 1},
        {"decode Q8_0", 0, Q8_0, 0, 8192, 1}, {"decode Q4_0", 0, Q4_0, 0, 8192, 1}, {"decode Q4_1", 0, Q4_1, 0, 8192, 1},
        {"decode Q4_K", 0, Q4_K, 0, 8192, 1}, {"decode Q5_K", 0, Q5_K, 0, 8192, 1}, {"decode Q6_K", 0, Q6_K, 0, 8192, 1},
        {"batched Q8_0 x4", 1, Q8_0, 0, 1024, 4}, {"batched Q4_0 x4", 1, Q4_0, 0, 1024, 4}, {"batched Q4_1 x4", 1, Q4_1, 0, 1024, 4},
        {"batched Q4_K x4", 1, Q4_K, 0, 1024, 4}, {"batched Q5_K x4", 1, Q5_K, 0, 1024, 4}, {"batched Q6_K x4", 1, Q6_K, 0, 1024, 4},
        {"batched Q8_0 x64", 1, Q8_0, 0, 2048, 64}, {"batched Q4_0 x64", 1, Q4_0, 0, 2048, 64}, {"batched Q4_K x64", 1, Q4_K, 0, 2048, 64},
        {"batched Q6_K x64", 1, Q6_K, 0, 2048, 64}, {"batched F32 x64", 2, F32, F32, 2048, 64},
        {"batched F16 x64", 2, F16, F32, 2048, 64}, {"batched BF16 x64", 2, BF16, BF16, 2048, 64},
    };
    int n_max = 64;
    float *xs = vector(n_max * cols, 2), *out = malloc(sizeof(float) * 8192 * n_max);
    uint16_t *halves = malloc(2 * (size_t) n_max * cols);
    int8_t *q = malloc((size_t) n_max * cols);
    float *d = malloc(4 * (size_t) n_max * cols / 32), *ds = malloc(4 * (size_t) n_max * cols / 32);
    for (int t = 0; t < n_max; t++) libs[0].quantize_q8(xs + t * cols, cols, q + t * cols, d + t * cols / 32, ds + t * cols / 32);
    printf("one thread, %d columns; best of many calls, the two libraries in turns\n", cols);
    printf("%-18s %12s %12s %8s\n", "kernel", "A us", "B us", "B / A");
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const case_t *k = &cases[c];
        if (k->kind == 1 && !(libs[0].batched() && libs[1].batched())) continue;
        if (k->kind == 2 && !(libs[0].batched_float() && libs[1].batched_float())) continue;
        if (k->kind == 0 && !(libs[0].matvec_type(k->type) && libs[1].matvec_type(k->type))) continue;
        int64_t row_bytes;
        uint8_t *w = weights(k->type, k->rows, cols, &row_bytes);
        const void *x = xs;
        if (k->xtype == BF16) { libs[0].to_bf16(xs, k->n * cols, halves); x = halves; }
        int reps = k->kind == 0 ? 40 : 20;
        double best[2] = {1e9, 1e9};
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < 2; i++) {
                int l = (r & 1) ? 1 - i : i; /* ABBA: neither library always goes first */
                double t0 = now();
                if (k->kind == 0) libs[l].matvec(k->type, w, row_bytes, xs, out, 0, k->rows, cols);
                else if (k->kind == 1) libs[l].matmul_q8(k->type, w, row_bytes, q, d, ds, k->n, out, k->rows, 0, k->rows, cols);
                else libs[l].matmul_f(k->type, k->xtype, w, row_bytes, x, k->n, out, k->rows, 0, k->rows, cols);
                double dt = now() - t0;
                if (dt < best[l]) best[l] = dt;
            }
        }
        printf("%-18s %12.1f %12.1f %8.3f\n", k->name, best[0] * 1e6, best[1] * 1e6, best[1] / best[0]);
        free(w);
    }
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "time") != 0)) {
        fprintf(stderr, "usage: native-ab check|time A.so B.so\n");
        return 2;
    }
    lib_t libs[2] = {open_lib(argv[2]), open_lib(argv[3])};
    if (strcmp(argv[1], "check") == 0) return check(libs[0], libs[1]);
    time_libs(libs);
    return 0;
}
