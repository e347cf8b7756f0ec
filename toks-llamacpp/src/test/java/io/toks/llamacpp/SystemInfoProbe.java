package io.toks.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

/**
 * A child JVM's main (BindingFactsTest): loads a model with llama.cpp's log on, so its system
 * info line reaches this process's standard error, and exits (the binding's server thread would
 * keep the JVM alive).
 */
public final class SystemInfoProbe {

    public static void main(String[] args) {
        NativeLibrary.ensureLoaded();
        try (var model = new LlamaModel(new ModelParameters().setModel(args[0]).setThreads(1).setCtxSize(64))) {
            System.out.println("loaded");
        }
        System.exit(0);
    }
}
