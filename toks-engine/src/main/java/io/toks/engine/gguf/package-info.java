/**
 * The GGUF file format: reading (metadata, tensor infos, tensor data in place) and writing. Knows
 * tensors' element types, not models: {@link io.toks.engine.ModelLoader} assembles a model from a
 * parsed file.
 */
package io.toks.engine.gguf;
