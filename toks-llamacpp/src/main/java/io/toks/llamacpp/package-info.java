/**
 * llama.cpp in this process, through its Java binding {@code de.kherud:llama} (JNI; the native
 * libraries ship inside its jar): {@link io.toks.llamacpp.LlamaCppModel} loads a GGUF file and
 * streams greedy completions with a timestamp per output, {@link io.toks.llamacpp.BindingFacts}
 * says which llama.cpp build that is and what its CPU code was compiled for. It knows nothing of
 * toks's engine: {@code toks bench --engine toks,llamacpp} (toks-bench) runs both on the same
 * workload and compares them.
 */
package io.toks.llamacpp;
