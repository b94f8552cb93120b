package dev.ferry.vpn.sidecar;

import java.util.Arrays;
import picocli.CommandLine;

/**
 * The sidecar ({@code run ...}) with its IKE transport wrapped in a {@link CrossingRekeyTransport},
 * for the simultaneous-rekey interop tests: {@code CrossingRekeySidecarMain PEER|US run --config
 * FILE [options]}.
 */
public final class CrossingRekeySidecarMain {
  private CrossingRekeySidecarMain() { }

  public static void main(String[] args) {
    CrossingRekeyTransport.First first = CrossingRekeyTransport.First.valueOf(args[0]);
    CommandLine command = SidecarMain.newCommandLine();
    RunCommand run = command.getSubcommands().get("run").getCommand();
    run.transportOpener = CrossingRekeyTransport.opener(first);
    System.exit(command.execute(Arrays.copyOfRange(args, 1, args.length)));
  }
}
