package io.jgan.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.gan.Gan;
import io.jgan.gan.Plan;
import io.jgan.gan.Preset;
import io.jgan.train.TinyGan;
import org.junit.jupiter.api.Test;

/**
 * The parity driver trains a GAN a program defines (examples/conditional-gan) from its class's
 * {@code gan()} and {@code plan()}, and refuses a class without them or a GAN of another name than the
 * reference's.
 */
class ProgramGanTest {
  /** A program's class as the driver finds it on the classpath. */
  public static final class Program {
    static final Gan GAN = TinyGan.preset().gan();
    static final Plan PLAN = TinyGan.preset().plan().toBuilder().batchSize(3).build();

    public static Gan gan() {
      return GAN;
    }

    public static Plan plan() {
      return PLAN;
    }
  }

  @Test
  void trainsTheGanAndPlanOfTheNamedClass() {
    Preset preset = ParityDriver.definedBy(Program.class.getName(), "tiny");
    assertSame(Program.GAN, preset.gan());
    assertEquals(3, preset.batchSize());
    assertNull(preset.tutorial(), "a program's GAN, not a catalogue preset");
  }

  @Test
  void refusesAClassWithoutGanAndPlanOrAGanOfAnotherName() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> ParityDriver.definedBy("NoSuchProgram", "tiny"));
    assertTrue(missing.getMessage().startsWith("expected a class NoSuchProgram on the classpath with public static Gan gan() "
        + "and Plan plan(), got java.lang.ClassNotFoundException"), missing.getMessage());
    IllegalArgumentException noMethods = assertThrows(IllegalArgumentException.class,
        () -> ParityDriver.definedBy(ProgramGanTest.class.getName(), "tiny"));
    assertTrue(noMethods.getMessage().contains("got java.lang.NoSuchMethodException"), noMethods.getMessage());
    IllegalArgumentException renamed = assertThrows(IllegalArgumentException.class,
        () -> ParityDriver.definedBy(Program.class.getName(), "conditional-gan"));
    assertEquals(Program.class.getName() + ".gan(): expected a GAN named conditional-gan, got tiny", renamed.getMessage());
  }
}
