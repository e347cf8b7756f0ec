/**
 * The engine's front: {@link io.toks.engine.ModelLoader} opens a model file of any supported
 * format (or the embedded one) and assembles the model from it, {@link io.toks.engine.Generator}
 * runs a request on it. Packages depend one way, from here down: {@code quant} and {@code synth};
 * the readers {@code llama2c} and {@code gguf}; {@code model} and {@code sampling};
 * {@code kernel}; {@code tensor}; {@code math}. {@code parallel} and {@code format} (the errors
 * of model files) depend on none of them. ArchitectureTest in toks-cli keeps it so.
 */
package io.toks.engine;
