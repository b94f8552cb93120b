package dev.ferry.vpn.sidecar;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line face of Ferry: {@code java -jar vpn-sidecar.jar <command>}.
 *
 * <p>Exit codes: 0 success, 1 an operational failure (unreadable file, missing {@code ip} tool),
 * 2 an invalid configuration or input file (every problem listed), 64 a usage error.
 */
@Command(
    name = "vpn-sidecar",
    mixinStandardHelpOptions = true,
    versionProvider = SidecarMain.Version.class,
    description = "Ferry VPN sidecar: an IKEv2/ESP site-to-site endpoint for Kubernetes pods.",
    subcommands = {CheckConfigCommand.class, PlanRoutesCommand.class, RunCommand.class})
public final class SidecarMain implements Runnable {

  /** Exit code for a configuration or input file that is not valid. */
  static final int EXIT_INVALID = 2;

  /** Exit code for a failure that is not the input's fault (I/O, missing tools). */
  static final int EXIT_FAILURE = 1;

  /** sysexits.h EX_USAGE, kept apart from {@link #EXIT_INVALID}. */
  static final int EXIT_USAGE = 64;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line; tests run commands through it in-process. */
  static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new SidecarMain());
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          failed.getErr().println("error: " + ex.getMessage());
          failed.usage(failed.getErr());
          return EXIT_USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + ex.getMessage());
          return EXIT_FAILURE;
        });
    return cmd;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SidecarMain.class.getPackage().getImplementationVersion();
      return new String[] {"vpn-sidecar " + (v == null ? "development" : v)};
    }
  }
}
