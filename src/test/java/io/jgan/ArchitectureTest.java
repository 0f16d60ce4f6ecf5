package io.jgan;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering docs/architecture.md draws, checked on the compiled classes (ArchUnit): every
 * dependency points down, no two packages import each other, directly or around a loop, and the
 * presets use nothing but the public API (as a program's own GAN must be able to).
 *
 * <pre>
 *   cli   parity   bench         commands and tools
 *    \      |      /
 *          api                   for programs that use exported models: Generator, Images
 *           |
 *        training                (public) a training run: Training, Callback, GracefulStop
 *           |
 *          run                   the run's configuration, data loading, lock, export description
 *           |
 *          eval                  sample quality: judges, classifier score, Frechet distance, KID
 *           |
 *          train                 the engine: graph (networks, steps, sessions, export), loop (trainer), listeners,
 *                                distributed (replicas, worker processes)
 *           |      presets       the catalogue: one file per seed tutorial, public API only
 *           |     /
 *          gan                   (public) a GAN as values: Gan, Preset, Plan, losses, steps, samples
 *      /  |   |   \
 *   optim store data viz         (public: optim, data, viz) optimizers | checkpoints | datasets | grids, GIFs
 *      \   |   /
 *          nn                    (public) layers, networks, initializers, randomness, Trackable
 *           |
 *   io.jgan (root)               errors, atomic files, pixel scale: used by all, uses none
 * </pre>
 */
class ArchitectureTest {
  /** What a program (and a preset) may use of jgan: the public API. */
  static final String[] PUBLIC_API = {"io.jgan", "io.jgan.nn..", "io.jgan.optim..", "io.jgan.data..", "io.jgan.viz..",
      "io.jgan.gan..", "io.jgan.training..", "io.jgan.api.."};

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

  /** The engine's parts: graph (networks, steps, sessions), loop (trainer, listeners' interface), listeners, distributed. */
  @Test
  void noCyclesInsideTheEngine() {
    ArchRule rule = slices().matching("io.jgan.train.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void presetsUseOnlyThePublicApi() {
    ArchRule rule = noClasses().that().resideInAPackage("io.jgan.presets..")
        .should().dependOnClassesThat(resideInAPackage("io.jgan..").and(not(resideInAnyPackage(
            concat(PUBLIC_API, "io.jgan.presets..")))))
        .because("a preset is defined as a program defines its own GAN");
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
        .layer("gan").definedBy("io.jgan.gan..")
        .layer("presets").definedBy("io.jgan.presets..")
        .layer("train").definedBy("io.jgan.train..")
        .layer("eval").definedBy("io.jgan.eval..")
        .layer("run").definedBy("io.jgan.run..")
        .layer("training").definedBy("io.jgan.training..")
        .layer("api").definedBy("io.jgan.api..")
        .layer("tools").definedBy("io.jgan.cli..", "io.jgan.parity..", "io.jgan.bench..")
        .whereLayer("tools").mayNotBeAccessedByAnyLayer()
        .whereLayer("api").mayOnlyBeAccessedByLayers("tools")
        .whereLayer("training").mayOnlyBeAccessedByLayers("api", "tools")
        .whereLayer("run").mayOnlyBeAccessedByLayers("training", "api", "tools")
        .whereLayer("eval").mayOnlyBeAccessedByLayers("run", "training", "api", "tools")
        .whereLayer("train").mayOnlyBeAccessedByLayers("eval", "run", "training", "api", "tools")
        .whereLayer("presets").mayOnlyBeAccessedByLayers("run", "training", "api", "tools")
        .whereLayer("gan").mayOnlyBeAccessedByLayers("presets", "train", "eval", "run", "training", "api", "tools")
        .whereLayer("optim").mayOnlyBeAccessedByLayers("gan", "presets", "train", "eval", "run", "training", "tools")
        .whereLayer("store").mayOnlyBeAccessedByLayers("train", "eval", "run", "training", "tools")
        .whereLayer("data").mayOnlyBeAccessedByLayers("gan", "presets", "train", "eval", "run", "training", "api", "tools")
        .whereLayer("viz").mayOnlyBeAccessedByLayers("gan", "presets", "train", "eval", "run", "training", "api", "tools")
        .whereLayer("nn").mayOnlyBeAccessedByLayers("optim", "store", "gan", "presets", "train", "eval", "run", "training",
            "api", "tools")
        .whereLayer("root").mayOnlyBeAccessedByLayers("nn", "optim", "store", "data", "viz", "gan", "presets", "train",
            "eval", "run", "training", "api", "tools");
    rule.check(classes);
  }

  private static String[] concat(String[] a, String b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }
}
