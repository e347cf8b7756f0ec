package io.toks.llamacpp;

import io.toks.core.ToksException;
import java.nio.file.Path;

/**
 * A child JVM's main (NativeLibraryTest): opens a model twice where the native library cannot
 * load, printing each error message on its own line of standard output.
 */
public final class LoadFailureProbe {

    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try {
                LlamaCppModel.open(Path.of(args[0]), 1, 64).close();
                System.out.println("loaded");
            } catch (ToksException e) {
                System.out.println("error: " + e.getMessage());
            }
        }
        System.exit(0);
    }
}
