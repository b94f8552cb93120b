package dev.ferry.vpn.testing.netns;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one finished (or abandoned) command: its argument vector, exit code, captured
 * output and whether it was killed for exceeding its timeout.
 *
 * @param command the argument vector as executed (including any {@code ip netns exec} prefix)
 * @param exitCode the exit status; meaningless ({@code -1}) when {@code timedOut}
 * @param stdout everything the command wrote to standard output, decoded as UTF-8
 * @param stderr everything the command wrote to standard error, decoded as UTF-8
 * @param timedOut true when the command was killed because it ran longer than its timeout
 */
public record CommandResult(
    List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

  public CommandResult {
    command = List.copyOf(command);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** True when the command ran to completion and exited with status 0. */
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** Returns this result, or throws {@link LabException} naming the command and its output. */
  public CommandResult requireSuccess() {
    if (!succeeded()) {
      throw new LabException(describeFailure());
    }
    return this;
  }

  /** One paragraph for failure messages: command, status and the tail of both output streams. */
  public String describeFailure() {
    String status = timedOut ? "timed out" : "exited with status " + exitCode;
    return "command `" + String.join(" ", command) + "` " + status
        + "\n--- stdout (tail) ---\n" + tail(stdout)
        + "\n--- stderr (tail) ---\n" + tail(stderr);
  }

  private static String tail(String text) {
    int max = 4000;
    return text.length() <= max ? text : "..." + text.substring(text.length() - max);
  }
}
