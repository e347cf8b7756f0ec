package io.toks.report.compare;

/** What a comparison concluded about one figure. */
public enum Verdict {
    /** B is significantly better than A (faster, or lower latency). */
    IMPROVEMENT,
    /** B is significantly worse than A. */
    REGRESSION,
    /** Tested, and the difference may be chance. */
    NO_SIGNIFICANT_CHANGE,
    /** No test was possible (a single figure, too few samples). */
    NOT_TESTED
}
