package io.toks.report.compare;

import io.toks.core.result.Direction;
import io.toks.core.result.Unit;
import io.toks.core.stats.Difference;
import java.util.List;

/**
 * Two result documents compared ({@code toks compare A B}): every matched figure with its test and
 * verdict, the runs without a partner, what A and B differ in as a whole, and warnings.
 *
 * @param nameA       what A is called (its file)
 * @param nameB       what B is called
 * @param alpha       significance level of every test
 * @param threshold   a significant regression larger than this relative change fails the gate (0.03 = 3%)
 * @param rows        one per matched run and figure
 * @param onlyInA     runs of A with no partner in B, as keys
 * @param onlyInB     runs of B with no partner in A
 * @param differences what A and B differ in as a whole ({@code kernels: A java..., B native...}):
 *                    left out of matching
 * @param warnings    different machines, documents of different commands, figures asked for that no run carries
 */
public record Comparison(String nameA, String nameB, double alpha, double threshold, List<Row> rows,
                         List<String> onlyInA, List<String> onlyInB, List<String> differences, List<String> warnings) {

    public Comparison {
        rows = List.copyOf(rows);
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }

    /**
     * One figure of one matched pair of runs.
     *
     * @param kind             engine, load, tokenizer, hardware
     * @param run              the pair's key ({@code smollm2-135m Q4_0 t=2 tg16}, {@code c=4})
     * @param figure           {@code decode_tps}, {@code ttft_p99}
     * @param unit             of both values
     * @param direction        which way is better
     * @param difference       both values, ratio, interval, p-value, method
     * @param verdict          what it means at the comparison's alpha
     * @param beyondThreshold  a regression larger than the threshold: fails the gate
     */
    public record Row(String kind, String run, String figure, Unit unit, Direction direction, Difference difference,
                      Verdict verdict, boolean beyondThreshold) {

        /** {@code faster}, {@code slower}, {@code better}, {@code worse}, {@code no significant change}, or why untested. */
        public String verdictText() {
            return switch (verdict) {
                case IMPROVEMENT -> direction.improvement();
                case REGRESSION -> direction.regression();
                case NO_SIGNIFICANT_CHANGE -> "no significant change";
                case NOT_TESTED -> difference.note().isEmpty() ? "no test" : difference.note();
            };
        }
    }

    public long count(Verdict verdict) {
        return rows.stream().filter(r -> r.verdict() == verdict).count();
    }

    public long beyondThreshold() {
        return rows.stream().filter(Row::beyondThreshold).count();
    }

    /** 1 when any figure regressed significantly by more than the threshold (a CI gate), else 0. */
    public int exitCode() {
        return beyondThreshold() > 0 ? 1 : 0;
    }
}
