package io.toks.bench.load;

import io.toks.tokenizer.Tokenizer;
import java.util.SplittableRandom;

/**
 * Prompts of an exact length in a named tokenizer: random English words, encoded, cut to the
 * drawn length, decoded, and checked by encoding again (a cut can merge differently; the text is
 * then shortened until the count is right). Every prompt is different, so a server's prefix
 * cache cannot answer from memory. A pool is built up front: building costs no time during the run.
 */
public final class SyntheticPrompts implements PromptSource {

    private static final String[] WORDS = ("the of and to in is was that for on with as by at from his her they "
            + "time people year way day man thing woman life child world school state family student group country "
            + "problem hand part place case week company system program question work government number night point "
            + "home water room mother area money story fact month lot right study book eye job word business issue "
            + "side kind head house service friend father power hour game line end member law car city community name "
            + "president team minute idea kid body information back parent face others level office door health person "
            + "art war history party result change morning reason research girl guy moment air teacher force education "
            + "small large green quick bright quiet heavy simple strange early late happy open clear river mountain "
            + "runs builds writes reads finds keeps brings holds turns shows hears plays moves lives believes happens")
            .split(" ");

    private final LoadPrompt[] pool;
    private final String description;

    /**
     * @param poolSize distinct prompts to build; requests cycle through them
     */
    public SyntheticPrompts(Tokenizer tokenizer, String tokenizerName, TokenLength input, TokenLength output, int poolSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        pool = new LoadPrompt[poolSize];
        for (int i = 0; i < poolSize; i++) {
            int want = input.draw(random);
            String text = exactText(tokenizer, want, random);
            pool[i] = new LoadPrompt(text, tokenizer.encode(text, false, false).length, output.draw(random));
        }
        description = "synthetic: " + input + " input tokens, " + output + " output tokens (" + tokenizerName + "), "
                + poolSize + " distinct prompts";
    }

    private static String exactText(Tokenizer tokenizer, int tokens, SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int[] ids;
        do { // words give roughly 1-1.5 tokens each; grow until long enough
            for (int i = 0; i < tokens; i++) sb.append(sb.isEmpty() ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            ids = tokenizer.encode(sb.toString(), false, false);
        } while (ids.length < tokens);
        for (int cut = tokens; cut > 0; cut--) {
            String text = tokenizer.decode(java.util.Arrays.copyOf(ids, cut)).strip();
            if (tokenizer.encode(text, false, false).length == tokens) return text;
            if (tokenizer.encode(text, false, false).length < tokens) break;
        }
        // Rare: no cut re-encodes to exactly the length; take the cut and let its measured length stand.
        return tokenizer.decode(java.util.Arrays.copyOf(ids, tokens)).strip();
    }

    @Override
    public LoadPrompt prompt(long index) {
        return pool[(int) (index % pool.length)];
    }

    @Override
    public String describe() {
        return description;
    }
}
