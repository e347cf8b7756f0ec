/**
 * Weight matrices: the GGML element types ({@link io.toks.engine.tensor.GgmlType}) and one
 * matrix class per type, read in place from a (mapped) segment, with its Java product and
 * scalar reference. Builds on {@link io.toks.engine.math} only.
 */
package io.toks.engine.tensor;
