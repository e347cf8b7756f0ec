package io.toks.llamacpp;

import io.toks.core.ToksException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the binding's native library once per process, and turns a failure into one line.
 * <p>
 * Three habits of the binding's loader are kept away from the user:
 * <ul>
 *   <li>It extracts {@code libjllama} into {@code java.io.tmpdir} under a fixed name, and first
 *       deletes every file there whose name starts with "llama" or "jllama" (other programs'
 *       files included). Unless the user chose a folder ({@value #TMPDIR_PROPERTY} or
 *       {@value #LIB_PATH_PROPERTY}), it gets a private temporary folder of its own, which also
 *       keeps two toks processes from overwriting each other's copy.</li>
 *   <li>It prints "Extracted ..." on standard output (which would corrupt {@code --output json})
 *       and its failures on standard error: both are caught while it loads, and what it said on
 *       error goes into the one-line message.</li>
 *   <li>A failed load leaves the binding's class unusable for the rest of the process; the
 *       message is kept and given again on every later attempt.</li>
 * </ul>
 */
final class NativeLibrary {

    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
    static final String LIB_PATH_PROPERTY = "de.kherud.llama.lib.path";
    private static final String MODEL_CLASS = "de.kherud.llama.LlamaModel";

    private static boolean loaded;
    private static String failure;

    private NativeLibrary() {}

    /**
     * Loads the library unless loaded.
     *
     * @throws ToksException one line saying why llama.cpp cannot run here
     */
    static synchronized void ensureLoaded() {
        if (loaded) return;
        if (failure != null) throw new ToksException(failure);
        PrintStream out = System.out;
        PrintStream err = System.err;
        var said = new ByteArrayOutputStream();
        try (var capture = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            useOwnFolder();
            System.setOut(capture);
            System.setErr(capture);
            Class.forName(MODEL_CLASS, true, NativeLibrary.class.getClassLoader()); // its static initializer loads the library
            loaded = true;
        } catch (ClassNotFoundException | LinkageError | IOException | RuntimeException e) {
            failure = reason(e, said.toString(StandardCharsets.UTF_8));
            throw new ToksException(failure, e);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void useOwnFolder() throws IOException {
        if (System.getProperty(TMPDIR_PROPERTY) != null || System.getProperty(LIB_PATH_PROPERTY) != null) return;
        Path folder = Files.createTempDirectory("toks-llamacpp-");
        // Registered before the loader registers its library file: deleteOnExit runs in reverse
        // order, so the file goes first and the then-empty folder after it.
        folder.toFile().deleteOnExit();
        System.setProperty(TMPDIR_PROPERTY, folder.toString());
    }

    /** One line: what failed, with the loader's own words where it said any. */
    static String reason(Throwable e, String loaderOutput) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String what = root instanceof ClassNotFoundException
                ? "the binding de.kherud:llama is not on the class path"
                : firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
        String loaderSaid = loaderOutput.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Extracted ")).findFirst().orElse(null);
        return "llama.cpp cannot run here: its native library did not load (" + what + ")"
                + (loaderSaid == null || what.contains(loaderSaid) ? "" : ": " + loaderSaid)
                + "; de.kherud:llama " + BindingFacts.bindingVersion() + " here has it for " + BindingFacts.shippedPlatforms();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
