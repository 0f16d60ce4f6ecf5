package io.jgan;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering the README draws, checked on the compiled classes (ArchUnit): every
 * dependency points down, and no two packages import each other, directly or around a loop.
 *
 * <pre>
 *   cli   parity   bench         commands and tools
 *    \      |      /
 *          api                   the entry point for other Java programs: Generator, Images
 *           |
 *          run                   a training run: configuration, data loading, lock, wiring
 *           |
 *          eval                  sample quality: judges, classifier score, Frechet distance, KID
 *           |
 *        presets                 the catalogue: one preset per seed tutorial
 *        /     \
 *   models     train             seed networks | losses, steps, trainer, listeners, graphs
 *      |     /  |  \   \
 *      |  optim store data viz   optimizers | checkpoints, SavedModel | datasets | grids, GIFs, plots
 *      |   /    /
 *      nn                        layers, initializers, randomness, Trackable
 *      |
 *   io.jgan (root)               errors, atomic files, pixel scale: used by all, uses none
 * </pre>
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.jgan");
  }

  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("io.jgan.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void everyDependencyPointsDown() {
    ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("root").definedBy("io.jgan")
        .layer("nn").definedBy("io.jgan.nn..")
        .layer("optim").definedBy("io.jgan.optim..")
        .layer("store").definedBy("io.jgan.store..")
        .layer("data").definedBy("io.jgan.data..")
        .layer("viz").definedBy("io.jgan.viz..")
        .layer("models").definedBy("io.jgan.models..")
        .layer("train").definedBy("io.jgan.train..")
        .layer("presets").definedBy("io.jgan.presets..")
        .layer("eval").definedBy("io.jgan.eval..")
        .layer("run").definedBy("io.jgan.run..")
        .layer("api").definedBy("io.jgan.api..")
        .layer("tools").definedBy("io.jgan.cli..", "io.jgan.parity..", "io.jgan.bench..")
        .whereLayer("tools").mayNotBeAccessedByAnyLayer()
        .whereLayer("api").mayOnlyBeAccessedByLayers("tools")
        .whereLayer("run").mayOnlyBeAccessedByLayers("api", "tools")
        .whereLayer("eval").mayOnlyBeAccessedByLayers("run", "api", "tools")
        .whereLayer("presets").mayOnlyBeAccessedByLayers("eval", "run", "api", "tools")
        .whereLayer("train").mayOnlyBeAccessedByLayers("presets", "eval", "run", "api", "tools")
        .whereLayer("models").mayOnlyBeAccessedByLayers("presets", "eval", "run", "tools")
        .whereLayer("optim").mayOnlyBeAccessedByLayers("train", "presets", "eval", "run", "tools")
        .whereLayer("store").mayOnlyBeAccessedByLayers("train", "presets", "eval", "run", "tools")
        .whereLayer("data").mayOnlyBeAccessedByLayers("train", "presets", "eval", "run", "api", "tools")
        .whereLayer("viz").mayOnlyBeAccessedByLayers("train", "presets", "eval", "run", "api", "tools")
        .whereLayer("nn").mayOnlyBeAccessedByLayers("optim", "store", "models", "train", "presets", "eval", "run", "api",
            "tools")
        .whereLayer("root").mayOnlyBeAccessedByLayers("nn", "optim", "store", "data", "viz", "models", "train", "presets",
            "eval", "run", "api", "tools");
    rule.check(classes);
  }
}
