package io.jgan.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jgan <command> [options]}: the entry point ({@code mvn exec:java -Dexec.args="train"}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (Relaunch.wanted(args)) {
      int status = Relaunch.run(args, System.err);
      if (status != 0) {
        System.exit(status);
      }
      return;
    }
    Relaunch.watchParentIfChild();
    io.jgan.training.GracefulStop.install(System.err);
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (RuntimeException | Error e) {
      if (!io.jgan.train.distributed.ClusterServer.started()) {
        throw e;
      }
      e.printStackTrace(); // an unexpected failure; the server would keep the process alive
      System.exit(1);
      return;
    }
    System.out.flush();
    // A multi-worker run's TensorFlow server cannot be stopped (see ClusterServer): exit past it.
    if (status != 0 || io.jgan.train.distributed.ClusterServer.started()) {
      System.exit(status);
    }
  }

  static Map<String, Command> commands() {
    Map<String, Command> all = new LinkedHashMap<>();
    for (Command c : new Command[] {new TrainCommand(), new GenerateCommand(), new ExportCommand(), new InfoCommand(), new ExportImagesCommand(), new TrainJudgeCommand(), new EvaluateCommand()}) {
      all.put(c.name(), c);
    }
    return all;
  }

  /** Runs a command line; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0) {
      err.println("error: expected a command");
      printOverview(err, commands);
      return Command.USAGE_ERROR;
    }
    String name = args[0];
    if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
      printOverview(out, commands);
      return Command.OK;
    }
    Command command = commands.get(name);
    if (command == null) {
      err.println("error: unknown command '" + name + "': expected one of " + String.join(", ", commands.keySet()));
      printOverview(err, commands);
      return Command.USAGE_ERROR;
    }
    return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
  }

  static void printOverview(PrintStream stream, Map<String, Command> commands) {
    stream.println("usage: jgan <command> [options]   (mvn exec:java -Dexec.args=\"<command> [options]\")");
    stream.println();
    commands.values().forEach(c -> stream.printf("  %-10s %s%n", c.name(), c.summary()));
    stream.println();
    stream.println("'jgan <command> --help' lists a command's options.");
  }
}
