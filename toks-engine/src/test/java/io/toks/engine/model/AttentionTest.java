package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention over the transposed key cache, one head or a group of heads sharing a key/value head,
 * equals attention written straight from its definition over keys stored one per row.
 */
class AttentionTest {

    @ParameterizedTest(name = "{0} heads per group, head size {1}, position {2}")
    @CsvSource({"1, 64, 0", "2, 64, 100", "4, 64, 0", "4, 64, 70", "4, 64, 200", "5, 64, 63", "3, 48, 100", "4, 8, 17", "4, 128, 129", "7, 64, 64"})
    void aGroupOfHeadsEqualsTheDefinition(int heads, int headSize, int pos) {
        Random random = new Random(31L * heads + headSize + pos);
        int kvHeads = 2, kvDim = kvHeads * headSize, contextSize = pos + 9, kvHead = 1;
        float[][] keyRows = new float[pos + 1][kvDim], valueRows = new float[pos + 1][kvDim];
        float[] keys = new float[contextSize * kvDim], values = new float[contextSize * kvDim];
        for (int p = 0; p <= pos; p++) {
            for (int i = 0; i < kvDim; i++) {
                keyRows[p][i] = (float) random.nextGaussian();
                valueRows[p][i] = (float) random.nextGaussian();
            }
            Attention.storeKey(keyRows[p], kvDim, keys, contextSize, p);
            System.arraycopy(valueRows[p], 0, values, p * kvDim, kvDim);
        }
        int qOffset = 3;
        float[] q = new float[qOffset + heads * headSize];
        for (int i = 0; i < q.length; i++) q[i] = (float) random.nextGaussian();
        float scale = (float) (1 / Math.sqrt(headSize));
        float[] out = new float[(heads + 1) * headSize]; // one head's room past the group: must stay untouched
        java.util.Arrays.fill(out, heads * headSize, out.length, 42f);
        float[] scores = new float[heads * (pos + 1)];
        Attention.group(q, qOffset, heads, keys, values, kvDim, kvHead * headSize, contextSize, pos, headSize, scale, scores, 0, out, 0);
        for (int h = 0; h < heads; h++) {
            double[] expected = definition(q, qOffset + h * headSize, keyRows, valueRows, kvHead * headSize, pos, headSize, scale);
            for (int d = 0; d < headSize; d++) {
                assertThat((double) out[h * headSize + d]).as("head %d dimension %d", h, d).isCloseTo(expected[d], within(1e-4));
            }
        }
        for (int i = heads * headSize; i < out.length; i++) assertThat(out[i]).as("past the group's output, %d", i).isEqualTo(42f);
    }

    /** softmax(q . k_p * scale) weighted sum of v_p, in doubles. */
    private static double[] definition(float[] q, int qOffset, float[][] keys, float[][] values, int kvOffset, int pos, int headSize,
                                       float scale) {
        double[] scores = new double[pos + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int p = 0; p <= pos; p++) {
            double dot = 0;
            for (int d = 0; d < headSize; d++) dot += (double) q[qOffset + d] * keys[p][kvOffset + d];
            scores[p] = dot * scale;
            max = Math.max(max, scores[p]);
        }
        double sum = 0;
        for (int p = 0; p <= pos; p++) sum += scores[p] = Math.exp(scores[p] - max);
        double[] out = new double[headSize];
        for (int p = 0; p <= pos; p++) {
            for (int d = 0; d < headSize; d++) out[d] += scores[p] / sum * values[p][kvOffset + d];
        }
        return out;
    }
}
