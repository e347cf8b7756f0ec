package io.toks.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/DESIGN: dependencies point one way, from the command line down to the
 * core, and no package depends on itself through others. Checked on the main classes of every
 * module this one depends on (all but the JMH benchmarks), so it stays true as code moves.
 */
class ArchitectureTest {

    private static final JavaClasses TOKS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.toks");

    @Test
    void coreImportsNothingOfToks() {
        mayNotUse("io.toks.core..", "tokenizer", "engine", "http", "report", "history", "llamacpp", "bench", "serve", "train", "cli", "micrometer").check(TOKS);
    }

    /** Renderers are fed only by the result document. */
    @Test
    void reportImportsOnlyCore() {
        mayNotUse("io.toks.report..", "tokenizer", "engine", "http", "history", "llamacpp", "bench", "serve", "train", "cli", "micrometer").check(TOKS);
    }

    /** The history store keeps result documents: it knows the core's records and JDBC, nothing that measures or renders. */
    @Test
    void historyImportsOnlyCore() {
        mayNotUse("io.toks.history..", "tokenizer", "engine", "http", "report", "llamacpp", "bench", "serve", "train", "cli").check(TOKS);
    }

    /** Chart specs are data: what draws them (the HTML page, the image writer) depends on them, never the reverse. */
    @Test
    void chartSpecsKnowNothingOfWhatDrawsThem() {
        noClasses().that().resideInAPackage("io.toks.report.chart..").should().dependOnClassesThat()
                .resideInAnyPackage("io.toks.report.html..", "io.toks.report.image..", "org.knowm..").check(TOKS);
    }

    /** Meters are fed by the event vocabulary of the core, whichever target told it. */
    @Test
    void micrometerImportsOnlyCore() {
        mayNotUse("io.toks.micrometer..", "tokenizer", "engine", "http", "report", "history", "llamacpp", "bench", "serve", "train", "cli").check(TOKS);
    }

    @Test
    void tokenizerImportsOnlyCore() {
        mayNotUse("io.toks.tokenizer..", "engine", "http", "report", "history", "llamacpp", "bench", "serve", "train", "cli").check(TOKS);
    }

    /** toks's engine stands alone: llama.cpp is measured beside it (by the bench), never called from it. */
    @Test
    void engineNeverImportsHttpLlamaCppServeBenchOrCli() {
        mayNotUse("io.toks.engine..", "http", "report", "history", "llamacpp", "serve", "bench", "train", "cli", "micrometer").check(TOKS);
    }

    /** The llama.cpp binding's wrapper knows the core's records and the binding, nothing of toks's engine. */
    @Test
    void llamaCppImportsOnlyCore() {
        mayNotUse("io.toks.llamacpp..", "tokenizer", "engine", "http", "report", "history", "bench", "serve", "train", "cli", "micrometer").check(TOKS);
    }

    @Test
    void httpNeverImportsEngineBenchServeOrCli() {
        mayNotUse("io.toks.http..", "engine", "report", "history", "llamacpp", "bench", "serve", "train", "cli", "micrometer").check(TOKS);
    }

    @Test
    void benchNeverImportsServeOrCli() {
        mayNotUse("io.toks.bench..", "report", "history", "serve", "train", "cli").check(TOKS);
    }

    @Test
    void serveNeverImportsBenchOrCli() {
        mayNotUse("io.toks.serve..", "report", "history", "llamacpp", "bench", "train", "cli").check(TOKS);
    }

    /** Training builds on the engine (GGUF, tokenizers, the worker pool) and writes core's result records; nothing measures or serves from it. */
    @Test
    void trainImportsOnlyCoreTokenizerAndEngine() {
        mayNotUse("io.toks.train..", "http", "report", "history", "llamacpp", "bench", "serve", "cli", "micrometer").check(TOKS);
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("io.toks.(*)..").namingSlices("module toks-$1").should().beFreeOfCycles().check(TOKS);
    }

    /** Every package its own slice, a module's root package (io.toks.engine) included. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.toks.(**)").namingSlices("package io.toks.$1").should().beFreeOfCycles().check(TOKS);
    }

    private static ArchRule mayNotUse(String module, String... otherModules) {
        String[] packages = new String[otherModules.length];
        for (int i = 0; i < otherModules.length; i++) packages[i] = "io.toks." + otherModules[i] + "..";
        return noClasses().that().resideInAPackage(module).should().dependOnClassesThat().resideInAnyPackage(packages);
    }
}
