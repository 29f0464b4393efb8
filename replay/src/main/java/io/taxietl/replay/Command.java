package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@link Replay}, such as {@code convert}. */
interface Command {

  /** The word that selects this command on the command line. */
  String name();

  /** One line for the list of commands in the main usage text. */
  String summary();

  /** The full help text of this command, printed for {@code --help}. */
  String usage();

  /**
   * Runs the command with the arguments that follow its name.
   *
   * @throws UsageException if the arguments are wrong; nothing has been written then
   * @throws IOException if an input cannot be read or converted, or the output cannot be written
   */
  void run(List<String> args, PrintStream out, PrintStream err) throws UsageException, IOException;
}
