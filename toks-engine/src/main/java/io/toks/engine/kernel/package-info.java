/**
 * Which kernels multiply the weights ({@link io.toks.engine.kernel.Kernels}: the Java ones, or the
 * native library's where it has the type) and what they can do on this machine ({@link
 * io.toks.engine.kernel.KernelSupport}). The native library's binding is package-private; {@link
 * io.toks.engine.kernel.NativeMatrix} wraps a matrix with its products; {@link
 * io.toks.engine.kernel.NativeAttention} attends over a block of a KV cache; {@link
 * io.toks.engine.kernel.PeakDotLoop} times the peak of its dot-product instructions. Builds on {@link
 * io.toks.engine.tensor} and {@link io.toks.engine.math}.
 */
package io.toks.engine.kernel;
