package io.toks.serve;

import java.util.List;

/**
 * The OpenAI {@code stop} parameter on streamed text: text is released only once it cannot be
 * the start of a stop string, and generation ends (without the stop string) when one appears.
 */
final class StopStrings {

    private final List<String> stops;
    private final int holdBack;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops;
        int longest = 0;
        for (String s : stops) longest = Math.max(longest, s.length());
        this.holdBack = Math.max(0, longest - 1);
    }

    boolean stopped() {
        return stopped;
    }

    /** Adds generated text; returns what can be sent now. */
    String push(String text) {
        if (stopped) return "";
        held.append(text);
        int at = -1;
        for (String s : stops) {
            int i = held.indexOf(s);
            if (i >= 0 && (at < 0 || i < at)) at = i;
        }
        if (at >= 0) {
            stopped = true;
            String out = held.substring(0, at);
            held.setLength(0);
            return out;
        }
        int release = held.length() - holdBack;
        if (release <= 0) return "";
        // Never split a surrogate pair between chunks.
        if (Character.isHighSurrogate(held.charAt(release - 1))) release--;
        String out = held.substring(0, release);
        held.delete(0, release);
        return out;
    }

    /** The held-back tail, at the end of generation. */
    String flush() {
        String out = stopped ? "" : held.toString();
        held.setLength(0);
        return out;
    }
}
