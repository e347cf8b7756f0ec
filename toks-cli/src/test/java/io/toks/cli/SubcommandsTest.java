package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.junit.jupiter.api.Test;

/** The lazily registered subcommands: each under its own name, one when named, all otherwise. */
class SubcommandsTest {

    @Test
    void eachEntryIsRegisteredUnderTheNameItsAnnotationGives() {
        for (Subcommands.Entry e : Subcommands.ALL) {
            assertThat(e.type().getAnnotation(Command.class).name()).as(e.type().getName()).isEqualTo(e.name());
        }
    }

    @Test
    void aNamedCommandGetsOnlyItself() {
        CommandLine toks = new CommandLine(new Toks());
        Subcommands.register(toks, new String[] {"tokenize", "hello"});
        assertThat(toks.getSubcommands()).containsOnlyKeys("tokenize");
    }

    @Test
    void theVersionAloneGetsNoneAndStillPrintsIt() {
        CommandLine toks = new CommandLine(new Toks());
        Subcommands.register(toks, new String[] {"--version"});
        assertThat(toks.getSubcommands()).isEmpty();
        CliTest.Result version = CliTest.toks("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("toks ");
    }

    @Test
    void noCommandHelpOrAnUnknownNameGetsThemAll() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "run"}, {"rnu"}, {"--version", "run"}}) {
            CommandLine toks = new CommandLine(new Toks());
            Subcommands.register(toks, args);
            assertThat(toks.getSubcommands()).hasSize(Subcommands.ALL.size());
        }
    }

    @Test
    void theHelpListsEveryCommandAndATypoIsStillAUsageError() {
        CliTest.Result help = CliTest.toks("--help");
        for (Subcommands.Entry e : Subcommands.ALL) assertThat(help.out()).contains("  " + e.name());
        CliTest.Result typo = CliTest.toks("rnu");
        assertThat(typo.code()).isEqualTo(Toks.EXIT_USAGE);
        assertThat(typo.err()).startsWith("toks: Unmatched argument at index 0: 'rnu'");
    }
}
