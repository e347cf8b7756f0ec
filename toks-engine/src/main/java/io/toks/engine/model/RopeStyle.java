package io.toks.engine.model;

/** How rotary position embedding pairs up the dimensions of a head. */
public enum RopeStyle {
    /** Adjacent pairs (2i, 2i+1): Meta's original Llama layout, llama2.c, GGUF {@code llama}. */
    ADJACENT_PAIRS,
    /** Split halves (i, i + d/2): GPT-NeoX layout, GGUF {@code qwen2} and others. */
    SPLIT_HALVES
}
