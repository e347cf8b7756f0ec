package io.toks.report;

import static io.toks.report.LoadTable.num;

import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a level measured the server or the client: a load generator that falls behind its
 * schedule or runs out of CPU reports its own limits as the server's. Each warning says which.
 */
final class ClientHealth {

    /** Send lag above this at p99 means requests left noticeably late. */
    static final double LAG_P99_LIMIT_MS = 10;
    static final double CPU_SHARE_LIMIT = 0.7;

    private ClientHealth() {}

    static List<String> warnings(LoadRun m) {
        MetricSummary lag = m.metric(Metric.SEND_LAG);
        double windowSeconds = m.windowSeconds();
        List<String> out = new ArrayList<>();
        // Against the schedule's own rate over these requests: a Poisson schedule runs above or below the nominal rate by chance.
        if (!Double.isNaN(m.scheduledRate()) && m.achievedRate() < 0.95 * m.scheduledRate()) {
            out.add("sent " + num(m.achievedRate(), 2) + " req/s of the " + num(m.scheduledRate(), 2) + " the schedule asked: "
                    + "the client could not keep the schedule (latencies still count from the schedule)");
        }
        if (lag != null && lag.n() > 0 && lag.percentile("p99") > LAG_P99_LIMIT_MS && !Double.isNaN(m.targetRate())) {
            out.add("requests left up to " + num(lag.percentile("p99"), 1) + " ms late (p99): the client, not only the server, "
                    + "adds latency at this load");
        }
        if (m.clientCpuShare() > CPU_SHARE_LIMIT && windowSeconds >= 1) { // short levels are all JIT warm-up
            out.add(String.format(Locale.ROOT, "the client used %.0f%% of this machine's CPU: it may be the bottleneck "
                    + "(run it on another machine, or lower the load)", 100 * m.clientCpuShare()));
        }
        return out;
    }
}
