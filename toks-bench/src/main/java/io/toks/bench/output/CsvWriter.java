package io.toks.bench.output;

import io.toks.core.result.BenchRecord;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One CSV line per record with every statistic and the raw samples (space-separated). */
public final class CsvWriter {

    private final PrintStream out;

    public CsvWriter(PrintStream out) {
        this.out = out;
    }

    public void header() {
        out.println("model,size_bytes,params,type,threads,test,n_prompt,n_gen,n,mean_tps,stdev_tps,"
                + "ci95_low_tps,ci95_high_tps,min_tps,median_tps,max_tps,samples_tps,count_source,kernels,est_chars_per_s,chars_per_token");
    }

    public void row(BenchRecord r) {
        var s = r.tokensPerSecond();
        String samples = Arrays.stream(r.samples()).mapToObj(CsvWriter::number).collect(Collectors.joining(" "));
        out.println(String.join(",", quote(r.model()), Long.toString(r.sizeBytes()), Long.toString(r.params()),
                r.type(), Integer.toString(r.threads()), r.test(), Integer.toString(r.promptTokens()),
                Integer.toString(r.genTokens()), Integer.toString(s.n()), number(s.mean()), number(s.stdev()),
                number(s.ci95Low()), number(s.ci95High()), number(s.min()), number(s.median()), number(s.max()),
                samples, r.countSource(), quote(String.valueOf(r.extra().getOrDefault("kernels", ""))),
                textNormalized(r, "estimated_chars_per_s"), textNormalized(r, "chars_per_token")));
        out.flush();
    }

    /** A text-normalized estimate (see TextDensity), empty when the record has none. */
    private static String textNormalized(BenchRecord r, String key) {
        return r.extra().get("text_normalized") instanceof java.util.Map<?, ?> m && m.get(key) instanceof Double d ? number(d) : "";
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
