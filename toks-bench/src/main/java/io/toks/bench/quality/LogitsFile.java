package io.toks.bench.quality;

import io.toks.core.ToksException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
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

    /** Bytes a file of these positions takes: the header, then 4 bytes per vocabulary entry per scored position. */
    static long size(int vocabulary, int textTokens, long scoredPositions) {
        return 24 + 4L * textTokens + 4L * vocabulary * scoredPositions;
    }

    /**
     * Writes every scored position's log-probabilities as they come, into a temporary file beside
     * {@code file} that takes its name only when {@link #commit()} is called: a run that fails
     * midway leaves no file a later {@code --kl-from} would take for whole.
     */
    static final class Writer implements ScoredPosition, AutoCloseable {
        private final Path file;
        private final Path partial;
        private final DataOutputStream out;
        private boolean committed;

        Writer(Path file, Header header) {
            this.file = file;
            Path dir = file.toAbsolutePath().getParent();
            try {
                partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
            DataOutputStream stream = null;
            try {
                stream = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20));
                stream.write(MAGIC);
                stream.writeInt(header.vocabulary());
                stream.writeInt(header.nCtx());
                stream.writeInt(header.chunks());
                stream.writeInt(header.tokens().length);
                for (int t : header.tokens()) stream.writeInt(t);
            } catch (IOException e) {
                closeQuietly(stream);
                deleteQuietly(partial);
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
            out = stream;
        }

        @Override
        public void accept(float[] logits, double logNormalizer, int nextToken) {
            try {
                for (float logit : logits) out.writeFloat((float) (logit - logNormalizer));
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
        }

        /** Every position is written: the file takes its name. */
        void commit() {
            try {
                out.close();
                Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            } catch (IOException e) {
                throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
            }
        }

        /** Without {@link #commit()}: the partial file is removed. */
        @Override
        public void close() {
            if (committed) return;
            closeQuietly(out);
            deleteQuietly(partial);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // the file is being abandoned
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file left behind is all that is lost
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
            DataInputStream stream = null;
            try {
                stream = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
                byte[] magic = new byte[MAGIC.length];
                stream.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) throw new ToksException(file + " is not a toks logits file (--save-logits writes them)");
                int vocabulary = stream.readInt(), nCtx = stream.readInt(), chunks = stream.readInt(), n = stream.readInt();
                if (vocabulary < 1 || nCtx < 4 || chunks < 1 || n < 0 || (long) chunks * nCtx > n || n > (Files.size(file) - 24) / 4) {
                    throw new ToksException(file + ": a corrupt logits file (vocabulary " + vocabulary + ", ctx " + nCtx
                            + ", chunks " + chunks + ", tokens " + n + ")");
                }
                int[] tokens = new int[n];
                for (int i = 0; i < n; i++) tokens[i] = stream.readInt();
                header = new Header(vocabulary, nCtx, chunks, tokens);
                logProbs = new float[vocabulary];
                in = stream;
            } catch (EOFException e) {
                closeQuietly(stream);
                throw new ToksException(file + ": a truncated logits file");
            } catch (IOException e) {
                closeQuietly(stream);
                throw new ToksException("cannot read logits from " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(stream);
                throw e;
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
