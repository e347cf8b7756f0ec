package io.toks.bench.load;

import java.util.Locale;

/** How load is offered: a fixed number of streams (closed loop) or an arrival rate (open loop). */
public sealed interface LoadShape {

    /** Short label for tables and the journal, e.g. {@code c=16} or {@code rate=5/s poisson}. */
    String label();

    /** A numeric level, for sweeps and charts: streams or requests per second. */
    double level();

    /** Closed loop: each of {@code streams} clients sends its next request when the previous one ends. */
    record Concurrency(int streams) implements LoadShape {
        public Concurrency {
            if (streams < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + streams);
        }

        @Override public String label() { return "c=" + streams; }
        @Override public double level() { return streams; }
    }

    /**
     * Open loop: requests are scheduled at {@code perSecond} on average whatever the server does,
     * and latency counts from each scheduled time.
     */
    record Rate(double perSecond, Arrival arrival) implements LoadShape {
        public Rate {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) throw new IllegalArgumentException("rate must be > 0 requests/s, got " + perSecond);
        }

        @Override public String label() {
            return String.format(Locale.ROOT, "rate=%s/s %s", trim(perSecond), arrival.name().toLowerCase(Locale.ROOT));
        }

        @Override public double level() { return perSecond; }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** Inter-arrival times of an open loop. */
    enum Arrival {
        /** Exponential gaps: independent users, the realistic default. */
        POISSON,
        /** Equal gaps. */
        CONSTANT;

        public static Arrival parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "poisson" -> POISSON;
                case "constant", "uniform" -> CONSTANT;
                default -> throw new IllegalArgumentException("unknown arrival '" + s + "': poisson or constant");
            };
        }
    }
}
