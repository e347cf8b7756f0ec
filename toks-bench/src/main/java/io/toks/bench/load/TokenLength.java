package io.toks.bench.load;

import java.util.SplittableRandom;

/** A token count: fixed ({@code 512}) or drawn uniformly from a range ({@code 256-1024}). */
public record TokenLength(int min, int max) {

    public TokenLength {
        if (min < 1 || max < min) throw new IllegalArgumentException("token length must be N or MIN-MAX with 1 <= MIN <= MAX; got " + min + "-" + max);
    }

    public static TokenLength parse(String s) {
        try {
            int dash = s.indexOf('-');
            if (dash < 0) {
                int n = Integer.parseInt(s.trim());
                return new TokenLength(n, n);
            }
            return new TokenLength(Integer.parseInt(s.substring(0, dash).trim()), Integer.parseInt(s.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("token length must be N or MIN-MAX, got '" + s + "'");
        }
    }

    int draw(SplittableRandom random) {
        return min == max ? min : min + random.nextInt(max - min + 1);
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
