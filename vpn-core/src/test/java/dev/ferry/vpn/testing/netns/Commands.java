package dev.ferry.vpn.testing.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs short external commands with a timeout and captures both output streams. A command that
 * outlives its timeout is killed (with its descendants) and reported as timed out rather than
 * left running, so a hung {@code swanctl} cannot hang the test JVM.
 */
final class Commands {
  private Commands() {}

  static CommandResult run(List<String> command, Duration timeout) {
    return run(command, timeout, Map.of());
  }

  static CommandResult run(List<String> command, Duration timeout, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new CommandResult(command, 127, "", "cannot start: " + e.getMessage(), false);
    }
    FutureTask<String> out = drain(process.getInputStream());
    FutureTask<String> err = drain(process.getErrorStream());
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    int exit = finished ? process.exitValue() : -1;
    return new CommandResult(command, exit, collect(out), collect(err), !finished);
  }

  /** The absolute path of an executable found on PATH or in the usual sbin directories. */
  static Optional<Path> findExecutable(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    String searched = path + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : searched.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static FutureTask<String> drain(InputStream stream) {
    FutureTask<String> task = new FutureTask<>(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        // The stream closes when a killed process goes away; what was read so far is lost.
        return "";
      }
    });
    Thread.ofVirtual().name("command-output").start(task);
    return task;
  }

  private static String collect(FutureTask<String> task) {
    try {
      return task.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (ExecutionException e) {
      throw new UncheckedIOException(new IOException("reading command output failed", e));
    } catch (java.util.concurrent.TimeoutException e) {
      // A grandchild kept the pipe open (for example a daemon the command spawned); give up on it.
      task.cancel(true);
      return "";
    }
  }
}
