package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.config.ConfigLoadResult;
import dev.ferry.vpn.core.config.ConfigProblem;
import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.route.IpRouteJson;
import dev.ferry.vpn.core.route.IpRouteReader;
import dev.ferry.vpn.core.route.RouteFormatException;
import dev.ferry.vpn.core.route.RoutePlan;
import dev.ferry.vpn.core.route.RoutePlanRequest;
import dev.ferry.vpn.core.route.RoutePlanner;
import dev.ferry.vpn.core.route.RouteTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plan-routes --config FILE [--node-routes FILE] [--zone ZONE]}: prints the routes one node
 * needs so that replies to the on-prem subnets leave through the private network, as {@code ip
 * route} commands, then the planner's diagnostics as {@code #} lines. Nothing is changed: the
 * output is a script to review or run.
 */
@Command(
    name = "plan-routes",
    mixinStandardHelpOptions = true,
    description = {
      "Print the route plan of one node as `ip route` commands plus diagnostics.",
      "Without --node-routes the current network namespace's tables are read with `ip -j route`."
    })
final class PlanRoutesCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "config.yaml")
  Path config;

  @Option(
      names = "--node-routes",
      paramLabel = "FILE",
      description = "a node's routes: output of `ip -j route` (or `ip -j route show table all`)")
  Path nodeRoutes;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description = "the node's zone (default: ferry.cluster.zone of the configuration)")
  String zone;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoadResult loaded = ConfigFiles.load(config, err);
    if (loaded == null) {
      return SidecarMain.EXIT_FAILURE;
    }
    if (loaded instanceof ConfigLoadResult.Invalid invalid) {
      err.println(config + ": invalid, run check-config for details; errors:");
      invalid.errors().forEach(p -> err.println("  " + p));
      return SidecarMain.EXIT_INVALID;
    }
    TunnelConfig tunnel = loaded.orThrow();
    for (ConfigProblem warning : tunnel.warningsOnly()) {
      err.println("warning: " + warning);
    }

    RouteTable table;
    if (nodeRoutes != null) {
      if (!Files.isRegularFile(nodeRoutes)) {
        err.println("error: " + nodeRoutes + ": no such file");
        return SidecarMain.EXIT_FAILURE;
      }
      try {
        table = IpRouteJson.parse(Files.readString(nodeRoutes, StandardCharsets.UTF_8));
      } catch (RouteFormatException e) {
        err.println(nodeRoutes + ": not `ip -j route` output: " + e.getMessage());
        return SidecarMain.EXIT_INVALID;
      }
    } else {
      table = new IpRouteReader().read();
    }

    String nodeZone = zone != null ? zone : tunnel.ferry().zone().orElse(null);
    RoutePlan plan =
        RoutePlanner.standard().plan(new RoutePlanRequest(tunnel.routePolicy(), nodeZone, table));
    out.println("# route plan for " + (nodeRoutes != null ? nodeRoutes : "this network namespace")
        + (nodeZone != null ? " (zone " + nodeZone + ")" : "") + ": "
        + plan.operations().size() + " operation(s), " + plan.diagnostics().size()
        + " diagnostic(s)");
    plan.toScriptLines().forEach(out::println);
    return 0;
  }
}
