package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class HelpTextTest {

    @Test
    void linesOfOneParagraphAreJoinedAndBreaksAndIndentedLinesKept() {
        String[] in = {"First line of a", "paragraph that goes on.", "A statement of its own.", "", "Second one", "ends here.",
            "  an example", "  another", "After it."};
        assertThat(HelpText.paragraphs(in)).containsExactly("First line of a paragraph that goes on.", "A statement of its own.", "",
                "Second one ends here.", "  an example", "  another", "After it.");
    }

    @Test
    void footerProseIsWrappedBetweenWordsAndExamplesPrintedWhole() {
        String example = "  toks load --url http://127.0.0.1:8080/v1 --concurrency 1,4,16 --input-tokens 128 --output-tokens 128";
        String footer = HelpText.footer(new String[] {"", "Examples:", example, "Prose that is long enough to need wrapping at twenty"}, 20);
        assertThat(footer.lines()).containsExactly("", "Examples:", example, "Prose that is long", "enough to need", "wrapping at twenty");
    }

    @Test
    void aCommandsHelpHasNoLineCutShortInsideAParagraph() {
        StringWriter out = new StringWriter();
        int code = Toks.execute(new String[] {"load-capacity", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        String help = out.toString();
        // The description was four source lines of ~95 characters; each used to wrap into a full
        // line and a stub ("per second", "(event arrival", "this JVM and").
        assertThat(help).contains("per second 'toks load' sustains");
        assertThat(help.lines().takeWhile(l -> !l.startsWith("Examples:"))
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && l.length() < 25)).isEmpty();
        // An example stays one line (it used to continue at the left margin: "process").
        assertThat(help).contains("  toks load-capacity --serve 18100 &      # the scripted server in its own process");
    }
}
