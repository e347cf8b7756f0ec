package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.EngineRun;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One CSV line per engine test with every statistic and the raw samples (space-separated); the
 * tok/s columns count the tokens of all {@code n_parallel} sequences of the test.
 */
final class BenchCsv implements ResultRenderer {

    private final PrintStream out;

    BenchCsv(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(Manifest manifest) {
        out.println("model,size_bytes,params,type,threads,test,n_prompt,n_gen,n,mean_tps,stdev_tps,"
                + "ci95_low_tps,ci95_high_tps,min_tps,median_tps,max_tps,samples_tps,count_source,kernels,est_chars_per_s,chars_per_token,engine,n_parallel,n_depth,cache_type");
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof EngineRun r)) return;
        MetricSummary s = r.tokensPerSecond();
        String samples = Arrays.stream(s.samples()).mapToObj(BenchCsv::number).collect(Collectors.joining(" "));
        var text = r.textNormalized();
        out.println(String.join(",", quote(r.model()), Long.toString(r.modelSize()), Long.toString(r.modelNParams()),
                r.modelType(), Integer.toString(r.nThreads()), r.name(), Integer.toString(r.nPrompt()),
                Integer.toString(r.nGen()), Long.toString(s.n()), number(s.mean()), number(s.stdev()),
                number(s.ci95Low()), number(s.ci95High()), number(s.min()), number(s.median()), number(s.max()),
                samples, r.countSource().name(), quote(r.kernels()),
                text == null ? "" : number(text.estimatedCharsPerS()), text == null ? "" : number(text.charsPerToken()), quote(r.engine()),
                Integer.toString(r.nParallel()), Integer.toString(r.nDepth()), r.cacheType() == null ? "" : quote(r.cacheType())));
        out.flush();
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    /** RFC 4180 quoting where needed. */
    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }
}
