package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** toks estimate from the command line: spec-sheet bounds, the catalog, validation here, and one-line errors. */
class EstimateCliTest {

    @Test
    void aPresetOnASpecSheetGetsMemoryBoundsAndTrainingTime() {
        CliTest.Result r = toks("estimate", "--model", "llama-3.2-1b", "--type", "bf16", "--hardware", "h100-sxm",
                "--context", "4096", "--concurrency", "8", "--train-tokens", "300B", "--gpus", "8");
        assertThat(r.code()).as(r.err()).isZero();
        // weights: 1,235,814,400 parameters in BF16 (norms F32) = 2.47 GB; KV f16: 8 x 4096 x 32 KiB = 1.07 GB
        assertThat(r.out()).contains("llama-3.2-1b, BF16: 1.24 B parameters", "weights 2.47 GB", "KV cache 1.07 GB (8 x 4096 positions)",
                "8 x h100-sxm (spec sheet: https://www.nvidia.com/en-us/data-center/h100/)", "KV cache f16", "fits",
                "decode at depth 4096", "(memory)", "6·N + 12·L·H·Q·T", "300 B tokens");
    }

    @Test
    void theCatalogListsEveryEntryWithItsSource() {
        CliTest.Result r = toks("estimate", "--list-hardware");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("h100-sxm", "mi300x", "apple-m4-max", "epyc-9654", "https://www.amd.com/");
    }

    @Test
    void aGgufFileIsReadFromItsHeaderAndValidatedHere() {
        CliTest.Result r = toks("estimate", "--model", shared("models/stories260K/stories260K.gguf").toString(), "--hardware", "this",
                "-t", "1", "--context", "256", "--validate", "-p", "32", "-n", "16", "-r", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("this machine, 1 thread (measured", "KV cache f16", "measured here (t=1, KV cache f16", "pp32", "tg16", "measured/bound");
        // The 1 MB model lives in the caches, as toks bench says: above the memory bound is no error there.
        assertThat(r.out()).contains("fit in the CPU's caches").doesNotContain("ABOVE THE BOUND", "a byte or FLOP count is wrong");
    }

    @Test
    void badInputGetsOneLine() {
        assertOneLineError(toks("estimate", "--model", "llama-9t"), 1, "neither a file nor a preset");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "tpu-v9"), 1, "unknown hardware 'tpu-v9'");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "rtx-5090", "--precision", "bf16"), 1,
                "states no bf16 peak");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "l4", "--validate"), 1, "use --hardware this");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "l4", "--train-tokens", "lots"), 1,
                "like 300B or 1T");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "l4", "--cache-type", "q3"), 1, "unknown cache type");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "l4", "--concurrency", "0"), 1,
                "concurrency must be at least 1");
        assertOneLineError(toks("estimate", "--model", shared("models/stories260K/stories260K.gguf").toString(), "--type", "q4_0",
                "--hardware", "l4"), 1, "--type is for presets");
        assertOneLineError(toks("estimate", "--hardware", "l4"), 1, "--model PRESET|FILE is required");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--hardware", "l4", "--gpus", "0"), 1, "--gpus must be at least 1");
        assertOneLineError(toks("estimate", "--model", "llama-3.2-1b", "--gpus", "4"), 1, "--gpus is for catalog hardware");
        CliTest.Result noMfu = toks("estimate", "--model", "llama-3.2-1b", "--hardware", "a100-sxm", "--train-tokens", "1T", "--mfu", "0");
        assertOneLineError(noMfu, 1, "--mfu must be in (0, 1], got 0.0");
        assertThat(noMfu.out()).as("no half report before the error").isEmpty();
    }
}
