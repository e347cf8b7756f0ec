package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.quant.ModelQuantizer;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "quantize", header = "Rewrite a GGUF model's weights in another type.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rewrites a GGUF model with its weight matrices in another type, round-to-nearest as",
                "ggml's reference quantizers (the blocks are bit-identical to llama-quantize --pure).",
                "Norms, biases and other 1-D tensors stay F32; a matrix whose rows do not fit the type's",
                "blocks is written as F16."},
        footer = {"", "Example:", "  toks quantize model-f32.gguf model-q8_0.gguf --type q8_0"})
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "GGUF model to read.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "GGUF file to write.")
    Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "q8_0, q4_0, q4_1, f16, bf16 or f32.")
    String type;

    @Override
    public Integer call() throws IOException {
        GgmlType t = ModelQuantizer.parseType(type);
        if (!Files.isRegularFile(in)) throw new ToksException("model file not found: " + in);
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new ToksException("OUT must differ from IN");
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        int[] counts = ModelQuantizer.quantizeFile(in, partial, t);
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().printf("wrote %s (%d bytes): %d matrices to %s%s%n", out, Files.size(out), counts[0], t,
                counts[1] > 0 ? ", " + counts[1] + " of them as F16 (row length not a multiple of " + t.blockSize() + ")" : "");
        return 0;
    }
}
