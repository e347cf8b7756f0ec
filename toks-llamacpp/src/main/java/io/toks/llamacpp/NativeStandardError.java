package io.toks.llamacpp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Catches what native code writes to the process's standard error while an action runs.
 * <p>
 * Why: llama.cpp's GGUF reader reports a file it refuses straight to standard error (file
 * descriptor 2) whatever its log settings, and the binding's exception then says only "could not
 * load model from given file path". Pointing descriptor 2 at a temporary file for the duration
 * of the load (POSIX {@code dup}/{@code dup2} through the FFM linker) keeps that line off the
 * user's terminal and puts llama.cpp's reason into toks's one-line error. Java's own
 * {@code System.err} writes to the same descriptor, so anything another thread prints meanwhile
 * lands in the file too; model loads are short and toks prints nothing during them. Where the C
 * functions are not found (Windows), the action runs as it is.
 */
final class NativeStandardError {

    private static final int STDERR = 2;
    private static final Functions C = Functions.find();

    private NativeStandardError() {}

    /** What {@code action} returned and what native code wrote to standard error meanwhile. */
    record Captured<T>(T value, RuntimeException failure, String written) {}

    /** The action run with standard error left where it is. */
    static <T> Captured<T> uncaptured(Supplier<T> action) {
        return run(action, "");
    }

    static <T> Captured<T> capture(Supplier<T> action) {
        if (C == null) return run(action, "");
        Path file;
        try {
            file = Files.createTempFile("toks-llamacpp-stderr-", ".txt");
        } catch (IOException e) {
            return run(action, "");
        }
        System.err.flush();
        try (Arena arena = Arena.ofConfined()) {
            int saved = (int) C.dup.invokeExact(STDERR);
            MemorySegment stream = (MemorySegment) C.fopen.invokeExact(arena.allocateFrom(file.toString()), arena.allocateFrom("w"));
            if (saved < 0) return run(action, "");
            if (stream.equals(MemorySegment.NULL)) {
                int closedSaved = (int) C.close.invokeExact(saved);
                return run(action, "");
            }
            int redirected = (int) C.dup2.invokeExact((int) C.fileno.invokeExact(stream), STDERR);
            Captured<T> captured;
            try {
                captured = run(action, "");
            } finally {
                if (redirected >= 0) {
                    int restored = (int) C.dup2.invokeExact(saved, STDERR);
                }
                int closedSaved = (int) C.close.invokeExact(saved);
                int closedFile = (int) C.fclose.invokeExact(stream);
            }
            return new Captured<>(captured.value(), captured.failure(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (Throwable e) {
            if (e instanceof Error error) throw error;
            throw new IllegalStateException("could not redirect standard error around a native call: " + e, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a small file left in the temporary folder
            }
        }
    }

    private static <T> Captured<T> run(Supplier<T> action, String written) {
        try {
            return new Captured<>(action.get(), null, written);
        } catch (RuntimeException e) {
            return new Captured<>(null, e, written);
        }
    }

    /** The C library's functions, or null where one of them is missing. */
    private record Functions(MethodHandle dup, MethodHandle dup2, MethodHandle close, MethodHandle fopen,
                             MethodHandle fileno, MethodHandle fclose) {

        static Functions find() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup c = linker.defaultLookup();
                FunctionDescriptor intOfInt = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
                return new Functions(
                        linker.downcallHandle(c.findOrThrow("dup"), intOfInt),
                        linker.downcallHandle(c.findOrThrow("dup2"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)),
                        linker.downcallHandle(c.findOrThrow("close"), intOfInt),
                        linker.downcallHandle(c.findOrThrow("fopen"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)),
                        linker.downcallHandle(c.findOrThrow("fileno"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                        linker.downcallHandle(c.findOrThrow("fclose"), FunctionDescriptor.of(JAVA_INT, ADDRESS)));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
