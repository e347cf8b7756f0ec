/*
 * Times the native attention kernel (toks_attend, toks-engine/src/main/c/attention.h) of a built
 * library, one thread, on llama-3.2-1b's shape (16 layers, 8 key/value heads of 64, 4 query heads
 * each) with the engine's KV cache layout, random elements:
 *   decode    one decode step at the given depth: every layer and head, blocks of 256 positions
 *             (as InferenceSession splits a step), the whole cache read from memory once per step;
 *             ms per step, and the cache bytes read / that time
 *   hot       one block of 256 positions again and again (in cache): GFLOP/s, 4 heads x 256 x 64
 *             x 2 multiply-adds (scores and weighted sum) x 2 per call; "peaked" multiplies the
 *             queries by 30, so that most softmax weights are subnormal
 * Best of 3 runs each. Usage (the variant: -1 the build's best, 0 scalar, 1 256-bit, 2 512-bit):
 *   bash toks-engine/src/main/c/build.sh toks-engine/src/main/c /tmp/attn
 *   gcc -O2 -o /tmp/attention-bench scripts/attention-bench.c -ldl -lm
 *   /tmp/attention-bench /tmp/attn/native/linux-x86_64/libtoks_kernels.so f16 4096 [VARIANT]
 * A variant of the library (TOKS_NATIVE_CFLAGS='-DATTEND_KEYS_AHEAD=0' for build.sh) is timed the
 * same way from its own directory.
 */
#define _POSIX_C_SOURCE 199309L
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*attend_fn)(int, int, const void *, const uint16_t *, const void *, const uint16_t *, int, int, int, int,
                         const float *, int, float, int, int, float *, float *, float *);

enum { LAYERS = 16, KV_HEADS = 8, HEAD = 64, GROUP = 4, KV_DIM = KV_HEADS * HEAD, BLOCK = 256 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t state = 88172645463325252ull;
static uint32_t next_random(void) { /* xorshift64: a fixed sequence, no libc rand() in the timings */
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t) (state >> 32);
}

/* A float in [-1, 1). */
static float uniform(void) { return next_random() / 2147483648.0f - 1.0f; }

/* IEEE binary16 bits of x (a value in F16's normal range), truncated: good enough for random data. */
static uint16_t to_half(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    uint32_t sign = (u >> 16) & 0x8000, exponent = (u >> 23) & 255;
    if (exponent < 113) return (uint16_t) sign; /* below F16's normal range: zero */
    return (uint16_t) (sign | (exponent - 112) << 10 | (u >> 13 & 1023));
}

struct cache {
    int type, bytes, context;
    uint8_t *keys, *values;
    uint16_t *key_scales, *value_scales;
};

static struct cache make(int type, int context) {
    struct cache c = {type, type == 0 ? 4 : type == 1 ? 2 : 1, context, NULL, NULL, NULL, NULL};
    size_t elements = (size_t) LAYERS * context * KV_DIM;
    c.keys = malloc(elements * c.bytes);
    c.values = malloc(elements * c.bytes);
    if (!c.keys || !c.values) exit(1);
    for (size_t i = 0; i < elements; i++) {
        float k = 2 * uniform(), v = 2 * uniform();
        if (type == 0) {
            ((float *) c.keys)[i] = k;
            ((float *) c.values)[i] = v;
        } else if (type == 1) {
            ((uint16_t *) c.keys)[i] = to_half(k);
            ((uint16_t *) c.values)[i] = to_half(v);
        } else {
            ((int8_t *) c.keys)[i] = (int8_t) (127 * uniform());
            ((int8_t *) c.values)[i] = (int8_t) (127 * uniform());
        }
    }
    if (type == 8) {
        c.key_scales = malloc(elements / 32 * 2);
        c.value_scales = malloc(elements / 32 * 2);
        for (size_t i = 0; i < elements / 32; i++) {
            c.key_scales[i] = to_half(0.015f + 0.005f * uniform());
            c.value_scales[i] = to_half(0.015f + 0.005f * uniform());
        }
    }
    return c;
}

/* Heads [g * GROUP, + GROUP) of layer l over positions [from, to). */
static void call(attend_fn attend, int variant, const struct cache *c, int l, int g, const float *q, int from, int to,
                 float *out, float *lse, float *scores) {
    size_t layer = (size_t) c->context * KV_DIM;
    int rc = attend(variant, c->type, c->keys + l * layer * c->bytes, c->key_scales ? c->key_scales + l * layer / 32 : NULL,
                    c->values + l * layer * c->bytes, c->value_scales ? c->value_scales + l * layer / 32 : NULL, c->context, KV_DIM,
                    g * HEAD, HEAD, q + g * GROUP * HEAD, GROUP, 0.125f, from, to, out + g * GROUP * HEAD, lse, scores);
    if (rc != 0) {
        fprintf(stderr, "attention-bench: the library refused the call (variant %d not built?)\n", variant);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s LIBRARY f32|f16|q8_0 DEPTH [VARIANT]\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    attend_fn attend = lib ? (attend_fn) dlsym(lib, "toks_attend") : NULL;
    if (!attend) {
        fprintf(stderr, "attention-bench: no toks_attend in %s\n", argv[1]);
        return 1;
    }
    int type = strcmp(argv[2], "f32") == 0 ? 0 : strcmp(argv[2], "f16") == 0 ? 1 : strcmp(argv[2], "q8_0") == 0 ? 8 : -1;
    int depth = atoi(argv[3]), variant = argc > 4 ? atoi(argv[4]) : -1;
    if (type < 0 || depth < BLOCK) {
        fprintf(stderr, "attention-bench: type f32, f16 or q8_0 and a depth of at least %d\n", BLOCK);
        return 2;
    }
    struct cache c = make(type, depth);
    float q[KV_HEADS * GROUP * HEAD], peaked[KV_HEADS * GROUP * HEAD], out[KV_HEADS * GROUP * HEAD], lse[GROUP], scores[GROUP * BLOCK];
    for (int i = 0; i < KV_HEADS * GROUP * HEAD; i++) peaked[i] = 30 * (q[i] = uniform());

    double step = 1e9;
    for (int run = 0; run < 3; run++) {
        double t0 = now();
        for (int l = 0; l < LAYERS; l++) {
            for (int g = 0; g < KV_HEADS; g++) {
                for (int b = 0; b < depth; b += BLOCK) call(attend, variant, &c, l, g, q, b, b + BLOCK < depth ? b + BLOCK : depth, out, lse, scores);
            }
        }
        double t = now() - t0;
        if (t < step) step = t;
    }
    double bytes = 2.0 * LAYERS * depth * KV_DIM * (type == 8 ? 34.0 / 32 : c.bytes);
    printf("%s depth %d variant %d: decode step %.2f ms (%.1f GB/s of cache)", argv[2], depth, variant, step * 1e3, bytes / step / 1e9);
    for (int k = 0; k < 2; k++) {
        const float *queries = k ? peaked : q;
        double best = 1e9;
        for (int run = 0; run < 3; run++) {
            double t0 = now();
            for (int i = 0; i < 2000; i++) call(attend, variant, &c, 0, 0, queries, 0, BLOCK, out, lse, scores);
            double t = (now() - t0) / 2000;
            if (t < best) best = t;
        }
        printf(", %s block %.1f GFLOP/s", k ? "peaked" : "hot", 4.0 * GROUP * BLOCK * HEAD / best / 1e9);
    }
    printf("\n");
    return 0;
}
