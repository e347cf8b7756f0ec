package io.toks.report.compare;

import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.QualityRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.MeterRun;
import io.toks.core.result.Run;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run is, by its parameters, so runs of two documents pair up whatever order they were
 * measured in. Fields are of two sorts: the <em>subject</em> (what was measured: model, weight
 * type, kernels, threads of an engine; the tokenizer) and the <em>workload</em> (what it was asked
 * to do: the test, the load level, the corpus, the threads of a probe).
 *
 * @param kind   engine, load, tokenizer, hardware, quality, meter
 * @param fields in display order
 */
record RunKey(String kind, List<Field> fields) {

    /**
     * @param name    as in the result document ({@code kernels}, {@code concurrency})
     * @param value   compared for equality
     * @param shown   how the value is printed in a key ({@code t=2})
     * @param subject whether it names what was measured (may differ between A and B as a whole)
     */
    record Field(String name, String value, String shown, boolean subject) {}

    RunKey {
        fields = List.copyOf(fields);
    }

    static RunKey of(Run run) {
        List<Field> f = new ArrayList<>();
        String kind = switch (run) {
            case EngineRun e -> {
                f.add(new Field("model", e.model(), e.model(), true));
                f.add(new Field("model_type", e.modelType(), e.modelType(), true));
                f.add(new Field("kernels", e.kernels(), e.kernels(), true));
                f.add(new Field("n_threads", Integer.toString(e.nThreads()), "t=" + e.nThreads(), true));
                if (e.cacheType() != null) f.add(new Field("cache_type", e.cacheType(), e.cacheType(), true));
                f.add(new Field("test", e.name(), e.name(), false));
                // Sequences run together are part of the workload; one sequence is left unshown, as before -B existed.
                f.add(new Field("n_parallel", Integer.toString(e.nParallel()), e.nParallel() > 1 ? "B=" + e.nParallel() : "", false));
                yield "engine";
            }
            case LoadRun l -> {
                if (l.concurrency() != null) {
                    f.add(new Field("concurrency", l.concurrency().toString(), "c=" + l.concurrency(), false));
                } else {
                    String rate = l.rate() == null ? "?" : number(l.rate());
                    f.add(new Field("rate", rate, "rate=" + rate + "/s", false));
                    f.add(new Field("arrival", String.valueOf(l.arrival()), String.valueOf(l.arrival()), false));
                }
                yield "load";
            }
            case TokenizerRun t -> {
                f.add(new Field("tokenizer", t.tokenizer(), t.tokenizer(), true));
                String corpus = t.files() + " files, " + t.bytes() + " bytes";
                f.add(new Field("corpus", corpus, "on " + corpus, false));
                yield "tokenizer";
            }
            case HardwareRun h -> {
                f.add(new Field("threads", Integer.toString(h.threads()), h.threads() + (h.threads() == 1 ? " thread" : " threads"), false));
                yield "hardware";
            }
            case QualityRun q -> {
                f.add(new Field("model", q.model(), q.model(), true));
                f.add(new Field("model_type", q.modelType(), q.modelType(), true));
                f.add(new Field("kernels", q.kernels(), q.kernels(), true));
                f.add(new Field("n_threads", Integer.toString(q.nThreads()), "t=" + q.nThreads(), true));
                f.add(new Field("text", q.text(), q.text(), true));
                f.add(new Field("n_ctx", Integer.toString(q.nCtx()), "ctx=" + q.nCtx(), false));
                yield "quality";
            }
            case MeterRun m -> {
                // A meter measures what the program's calls did: the model is what two meters are compared on.
                f.add(new Field("model", m.model(), m.model(), true));
                yield "meter";
            }
            case TrainingRun t -> {
                f.add(new Field("model", t.model(), t.model(), true));
                f.add(new Field("n_threads", Integer.toString(t.nThreads()), "t=" + t.nThreads(), true));
                f.add(new Field("batch", Integer.toString(t.batch()), "b=" + t.batch(), false));
                f.add(new Field("seq", Integer.toString(t.seq()), "seq=" + t.seq(), false));
                yield "training";
            }
        };
        return new RunKey(kind, f);
    }

    /** The key without the named fields (those A and B differ in as a whole). */
    RunKey without(java.util.Set<String> names) {
        return new RunKey(kind, fields.stream().filter(x -> !names.contains(x.name())).toList());
    }

    String value(String name) {
        for (Field x : fields) if (x.name().equals(name)) return x.value();
        return null;
    }

    /** For people: {@code smollm2-135m Q4_0 java t=2 tg16}, {@code ... tg16 B=4}, {@code c=4}. */
    String shown() {
        return String.join(" ", fields.stream().map(Field::shown).filter(x -> !x.isEmpty()).toList());
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
