package dev.ferry.vpn.testing.netns;

/**
 * A lab step failed: a command returned an error, timed out, or a daemon did not come up. The
 * message names the step, what was expected and the evidence (exit code, output or log tail), so
 * that a failing interop test explains itself without re-running it.
 */
public final class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
