package dev.ferry.vpn.testing.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started inside a lab namespace (a daemon such as charon-systemd, or the
 * endpoint under test). Its standard output and error go to {@link #outputFile()}. The lab stops
 * every process it started when it closes; {@link #stop(Duration)} stops one earlier.
 */
public final class LabProcess {
  private final String label;
  private final Process process;
  private final Path outputFile;

  LabProcess(String label, Process process, Path outputFile) {
    this.label = Objects.requireNonNull(label, "label");
    this.process = Objects.requireNonNull(process, "process");
    this.outputFile = Objects.requireNonNull(outputFile, "outputFile");
  }

  public String label() {
    return label;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Standard output and error of the process, interleaved. */
  public Path outputFile() {
    return outputFile;
  }

  /** Everything the process has written so far (standard output and error). */
  public String output() {
    try {
      return java.nio.file.Files.exists(outputFile)
          ? java.nio.file.Files.readString(outputFile, java.nio.charset.StandardCharsets.UTF_8)
          : "";
    } catch (java.io.IOException e) {
      return "(cannot read " + outputFile + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Waits until the process output contains {@code fragment}; throws {@link AssertionError} with
   * the output tail when it does not within {@code timeout} or the process exits first.
   */
  public void awaitOutput(String fragment, Duration timeout) {
    Await.until(label + " output \"" + fragment + "\"", timeout, () -> {
      if (output().contains(fragment)) {
        return java.util.Optional.of(Boolean.TRUE);
      }
      if (!process.isAlive()) {
        throw new AssertionError(label + " exited with status " + process.exitValue()
            + " before printing \"" + fragment + "\"\n" + tail());
      }
      return java.util.Optional.empty();
    }, this::tail);
  }

  private String tail() {
    String text = output();
    return "--- " + label + " output (tail) ---\n"
        + (text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000));
  }

  /** The exit status once the process ended; throws {@link LabException} while it runs. */
  public int exitValue() {
    if (process.isAlive()) {
      throw new LabException(label + " (pid " + pid() + ") is still running");
    }
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, waits up to {@code grace} for the process to exit, then SIGKILLs it and its
   * descendants. Returns true when it exited within the grace period. Idempotent.
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public String toString() {
    return "LabProcess[" + label + ", pid " + pid() + (isAlive() ? ", running]" : ", exited]");
  }
}
