package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.config.ConfigLoadResult;
import dev.ferry.vpn.core.config.ConfigProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check-config --config FILE}: loads a chart-compatible {@code config.yaml}. Valid: one
 * summary line (then its warnings) and exit 0. Invalid: every problem with key path, value and
 * reason, and exit 2. The pre-shared key is never printed (the loader redacts it).
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate a configuration file (the strongSwan chart's config.yaml plus a ferry: section).")
final class CheckConfigCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "config.yaml to check")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoadResult result = ConfigFiles.load(config, err);
    if (result == null) {
      return SidecarMain.EXIT_FAILURE;
    }
    switch (result) {
      case ConfigLoadResult.Valid valid -> {
        out.println(config + ": " + valid.config().summary());
        for (ConfigProblem p : valid.problems()) {
          out.println("  " + p);
        }
        return 0;
      }
      case ConfigLoadResult.Invalid invalid -> {
        long errors = invalid.errors().size();
        err.println(config + ": invalid, " + errors + (errors == 1 ? " error" : " errors"));
        for (ConfigProblem p : invalid.problems()) {
          err.println("  " + p);
        }
        return SidecarMain.EXIT_INVALID;
      }
    }
  }
}
