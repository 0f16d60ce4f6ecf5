package io.jgan.cli;

import io.jgan.BadInputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * One subcommand: its own options, parsed once into a typed value, then executed. Returns an exit
 * status instead of exiting: 0 success, 1 a problem with input files, data or the disk, 2 a bad
 * command line, 3 training diverged (NaN or infinity).
 */
public abstract class Command {
  public static final int OK = 0;
  public static final int INPUT_ERROR = 1;
  public static final int USAGE_ERROR = 2;
  public static final int DIVERGED = 3;
  /** A multi-worker run lost a worker (or its workers disagree); the latest checkpoint is intact. */
  public static final int WORKERS_LOST = 4;

  /** The command's name, e.g. {@code train}. */
  public abstract String name();

  /** One line for the overview. */
  public abstract String summary();

  /** Its options, {@code --help} included by {@link #run}. */
  protected abstract Options options();

  /** Runs with a parsed command line. Throws UsageException for bad values. */
  protected abstract int execute(CommandLine line, PrintStream out, PrintStream err) throws Exception;

  /** Parses {@code args} and executes; prints usage and returns 2 for a bad command line. */
  public final int run(String[] args, PrintStream out, PrintStream err) {
    Options options = withCommonOptions(options());
    CommandLine line;
    try {
      // No prefix matching: "--epoch 3" must be an error, not a silent "--epochs 3".
      line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
    } catch (ParseException e) {
      return usageError(e.getMessage(), err);
    }
    if (line.hasOption("help")) {
      printUsage(out);
      return OK;
    }
    if (!line.getArgList().isEmpty()) {
      return usageError("unexpected argument '" + line.getArgList().get(0) + "'", err);
    }
    try {
      return execute(line, out, err);
    } catch (io.jgan.InvalidSettingException e) {
      return usageError(e.getMessage(), err);
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      return INPUT_ERROR;
    } catch (io.jgan.train.loop.DivergedException e) {
      err.println("error: " + e.getMessage());
      return DIVERGED;
    } catch (io.jgan.train.distributed.WorkersLostException e) {
      err.println("error: " + e.getMessage());
      return WORKERS_LOST;
    } catch (java.io.UncheckedIOException e) {
      err.println("error: " + e.getMessage()); // disk full, read-only directory: said plainly, no stack trace
      return INPUT_ERROR;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private int usageError(String message, PrintStream err) {
    err.println("error: " + message);
    printUsage(err);
    return USAGE_ERROR;
  }

  /** --help, and --verbose (show TensorFlow's native log lines; see {@link Relaunch}). */
  private Options withCommonOptions(Options options) {
    options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
    options.addOption(flag("verbose", "show TensorFlow's native log lines"));
    return options;
  }

  public void printUsage(PrintStream stream) {
    Options options = withCommonOptions(options());
    PrintWriter w = new PrintWriter(stream);
    HelpFormatter f = new HelpFormatter();
    f.setWidth(100);
    f.printHelp(w, 100, "jgan " + name() + " [options]", summary(), options, 2, 4, "", false);
    w.flush();
  }

  /** An integer option at least {@code min}, or {@code fallback} when absent. */
  protected static int intOption(CommandLine line, String name, int min, int fallback) {
    Integer v = intValue(line, name);
    return v == null ? fallback : atLeast(name, v, min).intValue();
  }

  protected static long longOption(CommandLine line, String name, long min, long fallback) {
    Long v = longValue(line, name);
    return v == null ? fallback : atLeast(name, v, min);
  }

  /** The option's value as an integer, or null when absent; its bounds are checked where it is used. */
  protected static Integer intValue(CommandLine line, String name) {
    Long v = longValue(line, name);
    if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
      throw new UsageException("--" + name + ": expected an integer <= " + Integer.MAX_VALUE + ", got " + v);
    }
    return v == null ? null : v.intValue();
  }

  /** The option's value as a number, or null when absent. */
  protected static Double doubleValue(CommandLine line, String name) {
    String raw = line.getOptionValue(name);
    if (raw == null) {
      return null;
    }
    try {
      return Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": expected a number, got '" + raw + "'");
    }
  }

  /** The option's value as a long, or null when absent. */
  protected static Long longValue(CommandLine line, String name) {
    String raw = line.getOptionValue(name);
    if (raw == null) {
      return null;
    }
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": expected an integer, got '" + raw + "'");
    }
  }

  private static Long atLeast(String name, long v, long min) {
    if (v < min) {
      throw new UsageException("--" + name + ": expected an integer >= " + min + ", got " + v);
    }
    return v;
  }

  protected static Option valued(String longName, String argName, String description) {
    return Option.builder().longOpt(longName).hasArg().argName(argName).desc(description).build();
  }

  protected static Option flag(String longName, String description) {
    return Option.builder().longOpt(longName).desc(description).build();
  }
}
