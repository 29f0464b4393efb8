package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code replay} command line tool: turns NYC TLC trip files into trip events ({@code
 * convert}), replays event files into a stream ({@code kafka}, {@code kinesis}), and sends dead
 * letters' payloads back into the pipeline ({@code redrive}). Built on picocli: each command
 * declares its options, picocli parses them in command line order and writes the usage text.
 *
 * <p>Usage: {@code replay <command> [options]}. Exit status: 0 on success, 1 if an input cannot be
 * read or converted, the output cannot be written or a stream cannot be reached or refuses, 2 for a
 * usage error. User errors are reported as one message on standard error, never as a stack trace: a
 * {@link UsageException} (or a command line picocli cannot parse) as {@code replay <command>:
 * <message>} and a hint to {@code --help}.
 */
@Command(
    name = "replay",
    customSynopsis = "replay <command> [options]",
    description = {
      "Turns NYC TLC trip files into trip events, replays event files into a Kafka topic or a Kinesis stream,"
          + " and sends dead letters back into the pipeline once fixed."
    },
    commandListHeading = "%nCommands:%n",
    footer = "Run 'replay <command> --help' for the options of a command.")
public final class Replay {
  /** Exit status of a successful run. */
  public static final int EXIT_OK = 0;

  /** Exit status when an input cannot be read or converted, or the output cannot be written. */
  public static final int EXIT_FAILURE = 1;

  /** Exit status when the command line is wrong. */
  public static final int EXIT_USAGE = 2;

  private static final int USAGE_WIDTH = 110;
  private static final int LONG_OPTIONS_WIDTH = 26;

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
    CommandLine replay = commandLine(out, err);
    if (args.length == 0) {
      err.print(replay.getUsageMessage(Ansi.OFF));
      return EXIT_USAGE;
    }
    if (isHelp(args[0])) {
      out.print(replay.getUsageMessage(Ansi.OFF));
      return EXIT_OK;
    }
    CommandLine command = replay.getSubcommands().get(args[0]);
    if (command == null) {
      err.printf("replay: unknown command '%s'%n%n%s", args[0], replay.getUsageMessage(Ansi.OFF));
      return EXIT_USAGE;
    }
    if (Arrays.stream(args).skip(1).anyMatch(Replay::isHelp)) {
      out.print(command.getUsageMessage(Ansi.OFF));
      return EXIT_OK;
    }
    return replay.execute(args);
  }

  private static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine replay = new CommandLine(new Replay());
    for (Object command :
        List.of(
            new ConvertCommand(out, err),
            new KafkaCommand(out, err),
            new KinesisCommand(out, err),
            new RedriveCommand(out, err))) {
      replay.addSubcommand(configure(new CommandLine(command), out, err));
    }
    return configure(replay, out, err);
  }

  private static CommandLine configure(CommandLine command, PrintStream out, PrintStream err) {
    command
        .getCommandSpec()
        .usageMessage()
        .descriptionHeading("%n")
        .parameterListHeading("%nArguments:%n")
        .optionListHeading("%nOptions:%n")
        .footerHeading("%n");
    return command
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        // The commands check a repeated option themselves: some may repeat, some may not.
        .setOverwrittenOptionsAllowed(true)
        // An INPUT named @file is a file, not a list of arguments.
        .setExpandAtFiles(false)
        .setUsageHelpWidth(USAGE_WIDTH)
        .setUsageHelpLongOptionsMaxWidth(LONG_OPTIONS_WIDTH)
        .setHelpFactory(SpacedLabelsHelp::new)
        .setParameterExceptionHandler(
            (e, args) -> usageError(e.getCommandLine(), message(e, args), err))
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              if (e instanceof UsageException) {
                return usageError(commandLine, e.getMessage(), err);
              }
              if (e instanceof IOException) {
                err.printf(
                    "replay %s: error: %s%n",
                    commandLine.getCommandName(), describe((IOException) e));
                return EXIT_FAILURE;
              }
              throw e;
            });
  }

  private static int usageError(CommandLine command, String message, PrintStream err) {
    err.printf(
        "replay %s: %s%nRun 'replay %s --help' for usage.%n",
        command.getCommandName(), message, command.getCommandName());
    return EXIT_USAGE;
  }

  /**
   * The message of a command line that does not parse: a command's own words, or picocli's in ours.
   */
  private static String message(ParameterException e, String[] args) {
    if (e.getCause() instanceof UsageException) {
      return e.getCause().getMessage();
    }
    if (e instanceof MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return option.longestName() + " needs a value";
    }
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      return "unknown option '" + unmatched.getUnmatched().get(0) + "'";
    }
    if (e instanceof MaxValuesExceededException) {
      for (OptionSpec flag : e.getCommandLine().getCommandSpec().options()) {
        for (String arg : args) {
          if (flag.arity().max() == 0 && arg.startsWith(flag.longestName() + "=")) {
            return flag.longestName() + " takes no value, got '" + arg + "'";
          }
        }
      }
    }
    return e.getMessage();
  }

  private static String describe(IOException e) {
    return e instanceof TripFileException
            || e instanceof KafkaReplayException
            || e instanceof KinesisReplayException
        ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * Usage text that shows an option's value after a space ({@code --limit N}), as the commands
   * document it.
   */
  private static final class SpacedLabelsHelp extends Help {
    SpacedLabelsHelp(CommandLine.Model.CommandSpec spec, Help.ColorScheme colors) {
      super(spec, colors);
    }

    @Override
    public IParamLabelRenderer parameterLabelRenderer() {
      IParamLabelRenderer labels = super.parameterLabelRenderer();
      return new IParamLabelRenderer() {
        @Override
        public Ansi.Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<Ansi.IStyle> styles) {
          if (!arg.isOption()) {
            return labels.renderParameterLabel(arg, ansi, styles);
          }
          return ansi.text(arg.arity().max() == 0 ? "" : " " + arg.paramLabel());
        }

        @Override
        public String separator() {
          return " ";
        }
      };
    }
  }
}
