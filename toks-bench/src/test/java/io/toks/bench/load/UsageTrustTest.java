package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.Usage;
import io.toks.http.openai.StreamedCompletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server's usage is believed unless it cannot be true (docs/metrics.md, "Token counts and their
 * provenance"): a count that is no count, or more completion tokens than the max_tokens asked.
 * Then the request counts as if no usage had come, and the level says how many and why.
 */
class UsageTrustTest {

    private static final long MS = 1_000_000;
    /** The max_tokens every request here asked for. */
    private static final int ASKED = 8;

    /** 8 chunks of one word each, over 80 ms, ending with {@code usage}. */
    private static StreamedCompletion eightChunks(long start, Usage usage) {
        long[] times = new long[8];
        int[] tokens = new int[8];
        for (int i = 0; i < 8; i++) {
            times[i] = start + (i + 1) * 10 * MS;
            tokens[i] = -1;
        }
        return new StreamedCompletion(start, start + MS, start + 81 * MS, 200, times, tokens, " word".repeat(8), usage,
                FinishReason.LENGTH, null, null);
    }

    private static RequestResult request(int i, Usage usage, int retokenized) {
        long due = i * 100 * MS;
        return RequestResult.of("r" + i, due, new LoadPrompt("p", 16, ASKED), eightChunks(due, usage), retokenized);
    }

    @Test
    void usageThatCannotBeTrueIsNotBelieved() {
        assertThat(UsageProblem.of(new Usage(-3, 1_000_000), ASKED)).isEqualTo(UsageProblem.NOT_A_COUNT);
        assertThat(UsageProblem.of(new Usage(16, Usage.NOT_A_COUNT), ASKED)).isEqualTo(UsageProblem.NOT_A_COUNT);
        assertThat(UsageProblem.of(new Usage(-2, 8), ASKED)).as("a negative prompt count alone").isEqualTo(UsageProblem.NOT_A_COUNT);
        assertThat(UsageProblem.of(new Usage(16, 9), ASKED)).isEqualTo(UsageProblem.OVER_MAX_TOKENS);
        // What a server may mean is believed: exactly max_tokens, a count not sent, no max_tokens asked at all.
        assertThat(UsageProblem.of(new Usage(16, 8), ASKED)).isNull();
        assertThat(UsageProblem.of(new Usage(-1, -1), ASKED)).isNull();
        assertThat(UsageProblem.of(new Usage(16, 1_000_000), 0)).isNull();
        assertThat(UsageProblem.of(null, ASKED)).isNull();
    }

    /** A reasoning model counts tokens it never streams: a large count under max_tokens is believed, little text or not. */
    @Test
    void aLargeCountWithinMaxTokensIsBelievedThoughLittleTextCame() {
        long due = 0;
        StreamedCompletion c = eightChunks(due, new Usage(16, 4000));
        RequestResult r = RequestResult.of("r", due, new LoadPrompt("p", 16, 8192), c, 8);
        assertThat(r.outputTokens()).isEqualTo(4000);
        assertThat(r.outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
        assertThat(r.usageProblem()).isNull();
    }

    @Test
    void aRequestWithUsageNotBelievedCountsAsIfNoneHadCome() {
        RequestResult recounted = request(0, new Usage(-3, 1_000_000), 8);
        assertThat(recounted.outputTokens()).isEqualTo(8);
        assertThat(recounted.outputSource()).isEqualTo(TokenCountSource.CLIENT_RETOKENIZED);
        RequestResult chunked = request(0, new Usage(16, 9), -1);
        assertThat(chunked.outputTokens()).isEqualTo(8);
        assertThat(chunked.outputSource()).isEqualTo(TokenCountSource.CHUNKS_COUNTED);
        assertThat(request(0, new Usage(16, 8), -1).outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
    }

    /** The level counts the requests by problem, its rates use the fallback counts, and prompt tokens the client's. */
    @Test
    void theLevelSaysHowManyAndWhyAndItsRatesStayTrue() {
        List<RequestResult> results = new ArrayList<>();
        results.add(request(0, new Usage(-3, 1_000_000), -1));
        results.add(request(1, new Usage(16, 9), -1));
        results.add(request(2, new Usage(16, 8), -1));
        LevelRun run = new LevelRun(new LoadShape.Concurrency(1), 0, 281 * MS, results, -1);
        LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(m.invalidUsage()).isEqualTo(Map.of("not_a_count", 1, "over_max_tokens", 1));
        assertThat(m.countSources()).isEqualTo(Map.of("chunks_counted", 2, "server_usage", 1));
        assertThat(m.outputTps() * m.windowSeconds()).isCloseTo(24, within(1e-9));
        assertThat(m.totalTps() * m.windowSeconds()).isCloseTo(24 + 3 * 16, within(1e-9)); // -3 prompt tokens are not believed
        assertThat(m.lengthMismatches()).isZero();
        assertThat(m.toRun(null).invalidUsageRequests()).isEqualTo(2);
        assertThat(m.toRun(null).invalidUsage()).isEqualTo(m.invalidUsage());
    }

    /** Per-chunk counts from a server whose usage is not believed are not believed either: those gaps are not itl. */
    @Test
    void perChunkCountsOfAnUnbelievedServerAreUnknown() {
        long[] times = {10 * MS, 20 * MS};
        StreamedCompletion c = new StreamedCompletion(0, MS, 21 * MS, 200, times, new int[] {500_000, 500_000}, "a b",
                new Usage(-3, 1_000_000), FinishReason.LENGTH, null, null);
        RequestResult r = RequestResult.of("r", 0, new LoadPrompt("p", 16, 2), c, -1);
        assertThat(LevelAnalysis.tokensPerChunk(r)).containsExactly(1, 1); // the counted chunks, one token each
        StreamedCompletion believed = new StreamedCompletion(0, MS, 21 * MS, 200, times, new int[] {1, 1}, "a b",
                new Usage(16, 2), FinishReason.LENGTH, null, null);
        assertThat(LevelAnalysis.tokensPerChunk(RequestResult.of("r", 0, new LoadPrompt("p", 16, 2), believed, -1))).containsExactly(1, 1);
    }
}
