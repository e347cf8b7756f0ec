package io.toks.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a sample's {@code main} printed, run in this JVM as a user would run it. Standard output is
 * swapped for the run (one at a time), so the samples stay plain programs with a {@code main}.
 */
final class Printed {

    /** A sample's main method. */
    @FunctionalInterface
    interface Main {
        void main(String[] args) throws Exception;
    }

    private Printed() {}

    static synchronized String by(Main sample, String... args) throws Exception {
        PrintStream original = System.out;
        var bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            sample.main(args);
        } finally {
            System.setOut(original);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        original.print(printed); // still shown in the test's log
        return printed;
    }
}
