package io.toks.engine.model;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A model file's SHA-256, computed the first time someone asks for it. Result manifests
 * ({@code toks bench}) need it; {@code toks run}, {@code toks serve} and the rest do not, and hashing
 * a large model took longer than loading it, most of all in a JVM whose SHA intrinsics are not
 * compiled yet (docs/performance.md, "Cold start, third pass").
 */
public final class ContentHash {

    private final MemorySegment bytes;
    private volatile String hex;

    private ContentHash(MemorySegment bytes, String hex) {
        this.bytes = bytes;
        this.hex = hex;
    }

    /** A hash already known (or a description where there is no file). */
    public static ContentHash known(String hex) {
        return new ContentHash(null, Objects.requireNonNull(hex));
    }

    /** The hash of these bytes, computed at the first {@link #hex()}: they must stay readable until then. */
    public static ContentHash of(MemorySegment bytes) {
        return new ContentHash(Objects.requireNonNull(bytes), null);
    }

    /** SHA-256, hex. */
    public String hex() {
        String h = hex;
        if (h == null) {
            synchronized (this) {
                h = hex;
                if (h == null) hex = h = sha256(bytes);
            }
        }
        return h;
    }

    /** Whether {@link #hex()} would return at once. */
    public boolean computed() {
        return hex != null;
    }

    /** SHA-256 of the whole segment, hex, read in 16 MiB slices from the mapping. */
    static String sha256(MemorySegment file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long chunk = 1 << 24;
            for (long off = 0; off < file.byteSize(); off += chunk) {
                ByteBuffer view = file.asSlice(off, Math.min(chunk, file.byteSize() - off)).asByteBuffer();
                md.update(view);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return computed() ? hex : "sha256 (not computed)";
    }
}
