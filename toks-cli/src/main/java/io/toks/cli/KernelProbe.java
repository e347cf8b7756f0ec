package io.toks.cli;

import io.toks.engine.kernel.Kernels;

/**
 * Prints {@code native} when this jar's native kernels load on this machine, else {@code java}.
 * Not a toks command: the launcher runs it once per jar and keeps the answer beside the jar
 * ({@code toks.kernels}), because the JIT it picks for {@code toks run} depends on it: with every
 * product native, C1 alone starts faster and decodes faster in a short run; the Java (Vector
 * API) kernels need C2 (docs/performance.md, "Cold start, third pass").
 */
final class KernelProbe {

    private KernelProbe() {}

    public static void main(String[] args) {
        System.out.println(Kernels.support().nativeAvailable() ? "native" : "java");
    }
}
