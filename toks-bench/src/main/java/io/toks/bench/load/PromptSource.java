package io.toks.bench.load;

/** Where requests come from. Thread-safe: many senders ask at once. */
public interface PromptSource {

    /** The prompt for the {@code index}-th request of a level (sources cycle when they run out). */
    LoadPrompt prompt(long index);

    /** How the prompts were made, for the report. */
    String describe();

    /** The same prompt for every request. */
    static PromptSource fixed(LoadPrompt prompt) {
        return new PromptSource() {
            @Override public LoadPrompt prompt(long index) { return prompt; }
            @Override public String describe() { return "one fixed prompt"; }
        };
    }
}
