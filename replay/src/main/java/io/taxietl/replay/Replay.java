package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code replay} command line tool: turns NYC TLC trip files into trip events ({@code convert}) and
 * replays event files into a stream ({@code kafka}, {@code kinesis}).
 *
 * <p>Usage: {@code replay <command> [options]}. Exit status: 0 on success, 1 if an input cannot be read or
 * converted, the output cannot be written or a stream cannot be reached or refuses, 2 for a usage error.
 * User errors are reported as one message on standard error, never as a stack trace.
 */
public final class Replay {
  /** Exit status of a successful run. */
  public static final int EXIT_OK = 0;

  /** Exit status when an input cannot be read or converted, or the output cannot be written. */
  public static final int EXIT_FAILURE = 1;

  /** Exit status when the command line is wrong. */
  public static final int EXIT_USAGE = 2;

  private static final Map<String, Command> COMMANDS = commands(new ConvertCommand(), new KafkaCommand(), new KinesisCommand());

  private Replay() {}

  /** Runs the tool and exits the JVM with its exit status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tool without exiting the JVM.
   *
   * @return the exit status: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return EXIT_USAGE;
    }
    if (isHelp(args[0])) {
      out.print(usage());
      return EXIT_OK;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.printf("replay: unknown command '%s'%n%n%s", args[0], usage());
      return EXIT_USAGE;
    }
    List<String> commandArgs = Arrays.asList(args).subList(1, args.length);
    if (commandArgs.stream().anyMatch(Replay::isHelp)) {
      out.print(command.usage());
      return EXIT_OK;
    }
    try {
      command.run(commandArgs, out, err);
      return EXIT_OK;
    } catch (UsageException e) {
      err.printf(
          "replay %s: %s%nRun 'replay %s --help' for usage.%n", command.name(), e.getMessage(), command.name());
      return EXIT_USAGE;
    } catch (IOException e) {
      err.printf("replay %s: error: %s%n", command.name(), describe(e));
      return EXIT_FAILURE;
    }
  }

  /** The main usage text: the commands and how to get help on one. */
  static String usage() {
    StringBuilder text = new StringBuilder("Usage: replay <command> [options]\n\nCommands:\n");
    COMMANDS.values().forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
    return text.append("\nRun 'replay <command> --help' for the options of a command.\n").toString();
  }

  private static String describe(IOException e) {
    return e instanceof TripFileException || e instanceof KafkaReplayException || e instanceof KinesisReplayException
        ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static Map<String, Command> commands(Command... commands) {
    Map<String, Command> byName = new LinkedHashMap<>();
    for (Command command : commands) {
      byName.put(command.name(), command);
    }
    return byName;
  }
}
