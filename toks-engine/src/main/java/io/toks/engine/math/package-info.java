/**
 * Float-array math the engine computes with: the Vector API kernels ({@link
 * io.toks.engine.math.VectorKernels}: dot products, softmax, attention products) and their plain
 * scalar references ({@link io.toks.engine.math.ScalarKernels}). Depends on nothing of the engine.
 */
package io.toks.engine.math;
