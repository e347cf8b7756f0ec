package io.toks.bench.load;

import io.toks.core.ToksException;
import io.toks.http.openai.StreamedCompletion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The journals of several clients that drove one server at the same time, as if one client had
 * sent every request: level i of every journal becomes one level whose offered load is the sum
 * of theirs (concurrency adds up, rates add up), holding every request of every client. The
 * summary is then computed from all requests at once, so percentiles are exact, never averages
 * of per-client percentiles.
 *
 * <p>Each client timed its requests on its own monotonic clock; latencies are differences on
 * that clock and need no alignment. Only the level windows (and so throughputs) need a common
 * time line: each journal's level start carries the wall-clock time it began, and every client's
 * times are moved onto the first journal's clock by the difference of the two anchors. The error
 * of that is the clients' wall-clock disagreement (NTP keeps it to milliseconds).
 */
public final class JournalMerge {

    private JournalMerge() {}

    /** The levels of one journal, or of several merged; a bad or mismatched file is a named error. */
    public static List<LevelRun> read(List<Path> files) {
        if (files.isEmpty()) throw new IllegalArgumentException("no journal given");
        if (files.size() == 1) return RequestJournal.read(files.get(0));
        List<List<RequestJournal.AnchoredLevel>> journals = new ArrayList<>();
        for (Path f : files) journals.add(RequestJournal.readAnchored(f));
        int levels = journals.get(0).size();
        for (int j = 1; j < files.size(); j++) {
            if (journals.get(j).size() != levels) {
                throw new ToksException("cannot merge " + files.get(0) + " (" + levels + " levels) with " + files.get(j)
                        + " (" + journals.get(j).size() + " levels): clients of one run offer the same number of levels");
            }
        }
        List<LevelRun> merged = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            List<RequestJournal.AnchoredLevel> level = new ArrayList<>();
            for (int j = 0; j < files.size(); j++) {
                RequestJournal.AnchoredLevel l = journals.get(j).get(i);
                if (l.startEpochNanos() == null) {
                    throw new ToksException(files.get(j) + " has no wall-clock time for its levels (written by an older toks);"
                            + " journals can be merged only when each records when its levels began");
                }
                level.add(l);
            }
            merged.add(mergeLevel(level, files, i));
        }
        return merged;
    }

    private static LevelRun mergeLevel(List<RequestJournal.AnchoredLevel> level, List<Path> files, int index) {
        LevelRun first = level.get(0).run();
        long firstOffset = level.get(0).startEpochNanos() - first.startNanos();
        LoadShape shape = first.shape();
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
        List<RequestResult> results = new ArrayList<>();
        for (int j = 0; j < level.size(); j++) {
            LevelRun run = level.get(j).run();
            if (j > 0) shape = sum(shape, run.shape(), files.get(j), index);
            // client j's monotonic time t is wall time t + offset_j; on the first client's clock it is t + offset_j - offset_0
            long shift = (level.get(j).startEpochNanos() - run.startNanos()) - firstOffset;
            start = Math.min(start, run.startNanos() + shift);
            end = Math.max(end, run.endNanos() + shift);
            String client = "c" + (j + 1) + "/";
            for (RequestResult r : run.results()) results.add(shifted(r, shift, client));
        }
        results.sort(Comparator.comparingLong(r -> r.completion().endNanos()));
        // CPU time of several machines against this machine's cores would be a wrong share: unknown.
        return new LevelRun(shape, start, end, List.copyOf(results), -1);
    }

    private static LoadShape sum(LoadShape a, LoadShape b, Path file, int index) {
        if (a instanceof LoadShape.Concurrency ca && b instanceof LoadShape.Concurrency cb) {
            return new LoadShape.Concurrency(ca.streams() + cb.streams());
        }
        if (a instanceof LoadShape.Rate ra && b instanceof LoadShape.Rate rb && ra.arrival() == rb.arrival()) {
            return new LoadShape.Rate(ra.perSecond() + rb.perSecond(), ra.arrival());
        }
        throw new ToksException("cannot merge level " + (index + 1) + " of " + file + " (" + b.label()
                + ") with " + a.label() + ": clients of one run offer the same kind of load");
    }

    /** The request on another clock, its id prefixed with its client so ids stay unique. */
    static RequestResult shifted(RequestResult r, long shift, String client) {
        StreamedCompletion c = r.completion();
        long[] chunks = c.chunkNanos().clone();
        for (int k = 0; k < chunks.length; k++) chunks[k] += shift;
        // a head time of 0 means no response head arrived: it stays 0
        StreamedCompletion moved = new StreamedCompletion(c.sentNanos() + shift, c.headNanos() == 0 ? 0 : c.headNanos() + shift, c.endNanos() + shift,
                c.status(), chunks, c.chunkTokens(), c.text(), c.usage(), c.finishReason(), c.error(), c.errorMessage());
        return new RequestResult(client + r.id(), r.scheduledNanos() + shift, r.prompt(), moved, r.outputTokens(),
                r.outputSource(), r.retokenized());
    }
}
