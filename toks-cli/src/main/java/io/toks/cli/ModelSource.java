package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A model a command will load: a file, the embedded default, or a synthetic preset. Loaded lazily, one at a time. */
record ModelSource(String label, boolean synthetic, Supplier<LlamaModel> loader) {

    LlamaModel load() {
        return loader.get();
    }

    /**
     * Each source converted in memory to each of {@code types} (none: the sources as they are).
     * A source is loaded once per type: models are measured one at a time, never held together.
     */
    static List<ModelSource> withTypes(List<ModelSource> sources, List<String> types) {
        if (types == null || types.isEmpty()) return sources;
        List<ModelSource> out = new ArrayList<>();
        for (ModelSource s : sources) {
            for (String t : types) {
                var type = io.toks.engine.quant.ModelQuantizer.parseType(t);
                out.add(new ModelSource(s.label() + "@" + type.name().toLowerCase(java.util.Locale.ROOT), s.synthetic(),
                        () -> io.toks.engine.quant.ModelQuantizer.convert(s.load(), type)));
            }
        }
        return out;
    }

    /** The file or embedded model, or the synthetic specs if any were given (not both). */
    static List<ModelSource> resolve(ModelOptions options, List<String> syntheticSpecs) {
        if (syntheticSpecs == null || syntheticSpecs.isEmpty()) {
            // Checked here, before any output starts (a table header above the error would look like a result).
            if (options.model != null && !java.nio.file.Files.exists(options.model)) {
                throw new ToksException("model file not found: " + options.model);
            }
            String label = options.model == null ? "embedded:stories260K" : options.model.toString();
            return List.of(new ModelSource(label, false, options::load));
        }
        if (options.model != null) throw new ToksException("give either MODEL or --synthetic, not both");
        List<ModelSource> out = new ArrayList<>();
        for (String spec : syntheticSpecs) {
            int colon = spec.indexOf(':');
            if (colon < 0) throw new ToksException("--synthetic takes PRESET:TYPE, e.g. llama-3.2-1b:q4_0; got '" + spec + "'");
            Preset preset = Preset.named(spec.substring(0, colon));
            WeightRecipe recipe = WeightRecipe.parse(spec.substring(colon + 1));
            out.add(new ModelSource(spec, true, () -> SyntheticModels.build(preset, recipe, 42)));
        }
        return out;
    }
}
