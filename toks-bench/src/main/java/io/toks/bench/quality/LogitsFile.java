package io.toks.bench.quality;

import io.toks.core.ToksException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The next-token log-probabilities of a model at every scored position of a text, so a second
 * model can be measured against them later without both in memory ({@code --save-logits},
 * {@code --kl-from}). Layout, big-endian: the magic {@code TOKSLP01}; vocabulary size, nCtx,
 * chunks (ints); the number of text tokens, then each token id (ints), so a later run can check it
 * scores the same tokens; then, per scored position in order, vocabulary-size floats.
 */
final class LogitsFile {

    private static final byte[] MAGIC = "TOKSLP01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private LogitsFile() {}

    /** What a file holds besides the log-probabilities. */
    record Header(int vocabulary, int nCtx, int chunks, int[] tokens) {}

    /** Writes every scored position's log-probabilities as they come. */
    static final class Writer implements ScoredPosition, AutoCloseable {
        private final Path file;
        private final DataOutputStream out;
        private final float[] logProbs;

        Writer(Path file, Header header) {
            this.file = file;
            try {
                OutputStream raw = Files.newOutputStream(file);
                out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20));
                out.write(MAGIC);
                out.writeInt(header.vocabulary());
                out.writeInt(header.nCtx());
                out.writeInt(header.chunks());
                out.writeInt(header.tokens().length);
                for (int t : header.tokens()) out.writeInt(t);
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
            logProbs = new float[header.vocabulary()];
        }

        @Override
        public void accept(float[] logits, double logNormalizer, int nextToken) {
            try {
                for (int i = 0; i < logits.length; i++) out.writeFloat((float) (logits[i] - logNormalizer));
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads the positions back in order. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        private final Header header;
        private final float[] logProbs;

        Reader(Path file) {
            this.file = file;
            try {
                InputStream raw = Files.newInputStream(file);
                in = new DataInputStream(new BufferedInputStream(raw, 1 << 20));
                byte[] magic = new byte[MAGIC.length];
                in.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) throw new ToksException(file + " is not a toks logits file (--save-logits writes them)");
                int vocabulary = in.readInt(), nCtx = in.readInt(), chunks = in.readInt(), n = in.readInt();
                if (vocabulary < 1 || nCtx < 4 || chunks < 1 || n < 0 || (long) chunks * nCtx > n || n > (Files.size(file) - 28) / 4) {
                    throw new ToksException(file + ": a corrupt logits file (vocabulary " + vocabulary + ", ctx " + nCtx
                            + ", chunks " + chunks + ", tokens " + n + ")");
                }
                int[] tokens = new int[n];
                for (int i = 0; i < n; i++) tokens[i] = in.readInt();
                header = new Header(vocabulary, nCtx, chunks, tokens);
                logProbs = new float[vocabulary];
            } catch (EOFException e) {
                throw new ToksException(file + ": a truncated logits file");
            } catch (IOException e) {
                throw new ToksException("cannot read logits from " + file + ": " + e.getMessage(), e);
            }
        }

        Header header() {
            return header;
        }

        /** The next position's log-probabilities, valid until the next call. */
        float[] next() {
            try {
                for (int i = 0; i < logProbs.length; i++) logProbs[i] = in.readFloat();
                return logProbs;
            } catch (EOFException e) {
                throw new ToksException(file + ": a truncated logits file (fewer positions than its header says)");
            } catch (IOException e) {
                throw new ToksException("cannot read logits from " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only: nothing is lost
            }
        }
    }
}
