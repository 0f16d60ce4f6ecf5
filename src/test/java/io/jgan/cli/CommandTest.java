package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.train.loop.DivergedException;
import io.jgan.train.distributed.WorkersLostException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

/**
 * What every command shares, with a stand-in command: option values parsed into numbers with their
 * bounds (each at its edge), and each kind of failure mapped to its exit status and one line on
 * stderr, without a stack trace.
 */
class CommandTest {
  /** A command with a number option, whose execute does what the test gives it. */
  private static final class Probe extends Command {
    private final Function<CommandLine, Integer> body;

    Probe(Function<CommandLine, Integer> body) {
      this.body = body;
    }

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public String summary() {
      return "a stand-in command";
    }

    @Override
    protected Options options() {
      return new Options().addOption(valued("n", "N", "a number")).addOption(flag("quick", "a flag"));
    }

    @Override
    protected int execute(CommandLine line, PrintStream out, PrintStream err) {
      return body.apply(line);
    }
  }

  private record Outcome(int status, String out, String err) {}

  private static Outcome run(Function<CommandLine, Integer> body, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int status = new Probe(body).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The value {@code parse} gets from {@code --n value}, or the usage error it printed. */
  private static Object parsed(Function<CommandLine, Object> parse, String... args) {
    List<Object> got = new ArrayList<>();
    Outcome o = run(line -> {
      got.add(parse.apply(line));
      return Command.OK;
    }, args);
    if (o.status() == Command.OK) {
      return got.get(0);
    }
    assertEquals(Command.USAGE_ERROR, o.status());
    assertTrue(o.err().contains("usage: jgan probe [options]"), o.err());
    return o.err().lines().findFirst().orElseThrow();
  }

  @Test
  void integerOptionsAreBoundedAndFallBackWhenAbsent() {
    Function<CommandLine, Object> atLeast3 = line -> Command.intOption(line, "n", 3, 17);
    assertEquals(17, parsed(atLeast3));
    assertEquals(3, parsed(atLeast3, "--n", "3"));
    assertEquals(40, parsed(atLeast3, "--n", " 40 "));
    assertEquals("error: --n: expected an integer >= 3, got 2", parsed(atLeast3, "--n", "2"));
    assertEquals("error: --n: expected an integer, got '4.5'", parsed(atLeast3, "--n", "4.5"));
    // The ends of int.
    Function<CommandLine, Object> any = line -> Command.intValue(line, "n");
    assertNull(parsed(any));
    assertEquals(Integer.MAX_VALUE, parsed(any, "--n", "2147483647"));
    assertEquals(Integer.MIN_VALUE, parsed(any, "--n", "-2147483648"));
    assertEquals("error: --n: expected an integer <= 2147483647, got 2147483648", parsed(any, "--n", "2147483648"));
    assertEquals("error: --n: expected an integer <= 2147483647, got -2147483649", parsed(any, "--n", "-2147483649"));
  }

  @Test
  void longAndNumberOptions() {
    Function<CommandLine, Object> steps = line -> Command.longOption(line, "n", 0, 99);
    assertEquals(99L, parsed(steps));
    assertEquals(0L, parsed(steps, "--n", "0"));
    assertEquals(5_000_000_000L, parsed(steps, "--n", "5000000000"));
    assertEquals("error: --n: expected an integer >= 0, got -1", parsed(steps, "--n", "-1"));
    Function<CommandLine, Object> minutes = line -> Command.doubleValue(line, "n");
    assertNull(parsed(minutes));
    assertEquals(2.5, parsed(minutes, "--n", " 2.5"));
    assertEquals("error: --n: expected a number, got 'soon'", parsed(minutes, "--n", "soon"));
  }

  @Test
  void eachFailureHasItsExitStatusAndOneLine() {
    Outcome usage = run(line -> {
      throw new UsageException("--n: expected this, got that");
    });
    assertEquals(Command.USAGE_ERROR, usage.status());
    assertTrue(usage.err().startsWith("error: --n: expected this, got that\nusage: jgan probe [options]"), usage.err());
    Outcome[] outcomes = {
      run(line -> {
        throw new BadInputException("data/x: expected a, got b");
      }),
      run(line -> {
        throw new DivergedException(4, "training diverged at step 4");
      }),
      run(line -> {
        throw new WorkersLostException("worker 1 is gone", null);
      }),
      run(line -> {
        throw new UncheckedIOException("cannot save: No space left on device", new IOException("No space left on device"));
      }),
    };
    int[] statuses = {Command.INPUT_ERROR, Command.DIVERGED, Command.WORKERS_LOST, Command.INPUT_ERROR};
    String[] lines = {"data/x: expected a, got b", "training diverged at step 4", "worker 1 is gone",
        "cannot save: No space left on device"};
    assertEquals(List.of(1, 3, 4, 1), List.of(statuses[0], statuses[1], statuses[2], statuses[3]), "the documented statuses");
    for (int i = 0; i < outcomes.length; i++) {
      assertEquals(statuses[i], outcomes[i].status(), lines[i]);
      assertEquals("error: " + lines[i] + "\n", outcomes[i].err());
      assertEquals("", outcomes[i].out());
    }
    assertEquals(7, run(line -> 7).status(), "a command's own status is returned");
    IllegalStateException bug = new IllegalStateException("a bug");
    assertSame(bug, assertThrows(IllegalStateException.class, () -> run(line -> {
      throw bug;
    })), "an unexpected failure is not dressed up as bad input");
  }

  @Test
  void helpAndStrayArguments() {
    Outcome help = run(line -> Command.OK, "--help");
    assertEquals(Command.OK, help.status());
    assertTrue(help.out().startsWith("usage: jgan probe [options]\na stand-in command\n"), help.out());
    assertTrue(help.out().lines().anyMatch(l -> l.contains("--n <N>") && l.endsWith(" a number")), help.out());
    assertTrue(help.out().contains("--verbose"), help.out());
    Outcome stray = run(line -> Command.OK, "--quick", "extra");
    assertEquals(Command.USAGE_ERROR, stray.status());
    assertTrue(stray.err().startsWith("error: unexpected argument 'extra'\n"), stray.err());
    Outcome prefix = run(line -> Command.OK, "--qui");
    assertEquals(Command.USAGE_ERROR, prefix.status(), "no prefix matching: --qui is not --quick");
  }
}
