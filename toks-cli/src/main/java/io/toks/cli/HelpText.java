package io.toks.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Commands write their descriptions and footers as arrays of source-code lines, and picocli takes
 * each element for a line of its own and wraps it again at the usage width: a 95-character
 * element came out as a full line and a stub of two words, and a long example command was cut in
 * two, its second half at the left margin where it cannot be pasted. Here each paragraph's lines
 * are joined so picocli wraps the paragraph as a whole (an empty element still separates
 * paragraphs, and so does the end of a sentence), and an element that starts with a space (an example, a table row) is printed as
 * written: a terminal wraps a long one softly, and it still pastes as one command.
 */
final class HelpText {

    private HelpText() {}

    /** Reflows the descriptions and footers of {@code root} and every subcommand registered under it. */
    static void reflow(CommandLine root) {
        UsageMessageSpec usage = root.getCommandSpec().usageMessage();
        usage.description(paragraphs(usage.description()));
        usage.footer(paragraphs(usage.footer()));
        root.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> footer(help.commandSpec().usageMessage().footer(), help.commandSpec().usageMessage().width()));
        for (CommandLine sub : root.getSubcommands().values()) reflow(sub);
    }

    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder paragraph = null;
        for (String line : lines) {
            boolean standsAlone = line.isEmpty() || Character.isWhitespace(line.charAt(0));
            if (standsAlone || paragraph == null || endsSentence(paragraph)) {
                if (paragraph != null) out.add(paragraph.toString());
                paragraph = standsAlone ? null : new StringBuilder(line);
                if (standsAlone) out.add(line);
            } else {
                paragraph.append(' ').append(line.strip());
            }
        }
        if (paragraph != null) out.add(paragraph.toString());
        return out.toArray(String[]::new);
    }

    /** A line that ends a sentence ends its paragraph too: authors put separate statements on separate lines. */
    private static boolean endsSentence(CharSequence text) {
        char last = text.charAt(text.length() - 1);
        return last == '.' || last == ':' || last == '!' || last == '?';
    }

    /** Prose wrapped at {@code width} between words; indented lines as written. */
    static String footer(String[] lines, int width) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                out.append(line).append(System.lineSeparator());
                continue;
            }
            int column = 0;
            for (String word : line.split(" +")) {
                if (column > 0 && column + 1 + word.length() > width) {
                    out.append(System.lineSeparator());
                    column = 0;
                }
                if (column > 0) {
                    out.append(' ');
                    column++;
                }
                out.append(word);
                column += word.length();
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
