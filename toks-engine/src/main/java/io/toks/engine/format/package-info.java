/**
 * What goes wrong with a model file, for every reader and for the model's own checks: a file that
 * is not what it claims ({@link io.toks.engine.format.ModelFormatException}) or one this engine
 * cannot run yet ({@link io.toks.engine.format.UnsupportedModelException}).
 */
package io.toks.engine.format;
