package io.toks.train.checkpoint;

import io.toks.core.ToksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The optimizer's state beside a GGUF checkpoint ({@code model.gguf.optimizer}), what a resumed
 * run needs besides the weights to continue exactly as if uninterrupted: the step, the settings
 * the run was started with, and AdamW's two moments of every weight.
 *
 * <p>Layout, little-endian: the magic {@code TOKSOPT1} (8 bytes), int32 UTF-8 length and the
 * settings as text ({@code key=value} lines), int64 step, int32 weight count n, then n float32
 * first moments and n float32 second moments.
 *
 * @param settings the run's settings, {@code key=value} per line
 */
public record OptimizerStateFile(long step, String settings, float[] firstMoments, float[] secondMoments) {

    private static final byte[] MAGIC = "TOKSOPT1".getBytes(StandardCharsets.US_ASCII);

    /** Where the state of checkpoint {@code gguf} lives. */
    public static Path beside(Path gguf) {
        return gguf.resolveSibling(gguf.getFileName() + ".optimizer");
    }

    public void write(Path file) {
        byte[] text = settings.getBytes(StandardCharsets.UTF_8);
        int n = firstMoments.length;
        try {
            Path absolute = file.toAbsolutePath();
            Path partial = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
            try {
                try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + text.length + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
                    head.put(MAGIC).putInt(text.length).put(text).putLong(step).putInt(n).flip();
                    writeFully(ch, head);
                    writeFloats(ch, firstMoments);
                    writeFloats(ch, secondMoments);
                }
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new ToksException("cannot write optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    public static OptimizerStateFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ToksException("--resume: no optimizer state " + file + " beside the checkpoint (written by toks train with the model)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            need(all, MAGIC.length + 4, file, "magic");
            all.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new ToksException(file + ": offset 0: not a toks optimizer state (bad magic)");
            int length = all.getInt();
            need(all, length, file, "settings");
            byte[] text = new byte[length];
            all.get(text);
            need(all, 12, file, "step");
            long step = all.getLong();
            int n = all.getInt();
            need(all, 8L * n, file, "moments");
            float[] m = new float[n], v = new float[n];
            all.asFloatBuffer().get(m);
            all.position(all.position() + 4 * n);
            all.asFloatBuffer().get(v);
            return new OptimizerStateFile(step, new String(text, StandardCharsets.UTF_8), m, v);
        } catch (IOException e) {
            throw new ToksException("cannot read optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    private static void need(ByteBuffer b, long bytes, Path file, String field) {
        if (bytes < 0 || b.remaining() < bytes) {
            throw new ToksException(file + ": offset " + b.position() + ": file ends inside " + field + " (truncated optimizer state?)");
        }
    }

    private static void writeFloats(FileChannel ch, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; ) {
            buf.clear();
            int n = Math.min(values.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(values, i, n);
            buf.limit(4 * n);
            writeFully(ch, buf);
            i += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
