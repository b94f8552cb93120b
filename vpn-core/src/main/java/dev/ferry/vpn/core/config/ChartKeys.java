package dev.ferry.vpn.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The key schema of the chart's values.yaml plus Ferry's {@code ferry:} section. */
final class ChartKeys {
  private ChartKeys() {}

  static final Set<String> SECTIONS = Set.of("ipsec", "local", "remote", "preshared", "monitoring",
      "ferry", "ferry.tunnel", "ferry.ike", "ferry.esp", "ferry.cluster", "ferry.routes",
      "ferry.nat");

  static final Set<String> LEAVES = Set.of(
      "ipsec.keyexchange", "ipsec.esp", "ipsec.ike", "ipsec.auto", "ipsec.closeaction",
      "ipsec.dpdaction", "ipsec.ikelifetime", "ipsec.lifetime", "ipsec.margintime",
      "ipsec.keyingtries", "ipsec.additionalOptions",
      "local.subnet", "local.zoneSubnet", "local.id",
      "remote.gateway", "remote.subnet", "remote.id", "remote.privateIPtoPing",
      "preshared.secret",
      "localSubnetNAT", "remoteSubnetNAT", "enableSingleSourceIP", "localNonClusterSubnet",
      "enablePodSNAT", "zoneSpecificRoutes", "overRideIpsecConf", "overRideIpsecSecrets",
      "monitoring.enable", "monitoring.clusterName", "monitoring.privateIPs",
      "monitoring.httpEndpoints", "monitoring.timeout", "monitoring.delay",
      "monitoring.slackWebhook", "monitoring.slackChannel", "monitoring.slackUsername",
      "monitoring.slackIcon",
      "ferry.tunnel.device", "ferry.tunnel.mtu", "ferry.ike.port", "ferry.ike.natTraversalPort",
      "ferry.esp.replayWindow", "ferry.cluster.podSubnets", "ferry.cluster.serviceSubnets",
      "ferry.cluster.nodeSubnets", "ferry.cluster.reservedSubnets", "ferry.cluster.zone",
      "ferry.routes.privateNetwork", "ferry.routes.table", "ferry.routes.metric",
      "ferry.routes.protocol", "ferry.nat.tableSize", "ferry.nat.portRange");

  /**
   * Chart keys that only steer Kubernetes objects, with the chart's default rendered as text; a
   * note is given when a file sets one to something else.
   */
  static final Map<String, String> PLACEMENT_DEFAULTS = Map.ofEntries(
      Map.entry("validate", "strict"),
      Map.entry("enableRBAC", "true"),
      Map.entry("enableServiceSourceIP", "false"),
      Map.entry("loadBalancerIP", ""),
      Map.entry("zoneLoadBalancer", ""),
      Map.entry("connectUsingLoadBalancerIP", "auto"),
      Map.entry("nodeSelector", "{}"),
      Map.entry("zoneSelector", ""),
      Map.entry("privilegedVpnPod", "false"),
      Map.entry("helmTestsToRun", "ALL"),
      Map.entry("tolerations", "[]"),
      Map.entry("strongswanLogging", "default = 1\ncfg = 2\ndmn = 2\nike = 2\nnet = 0"));

  /** Paths whose values are never shown: the preshared section, secrets override, Slack webhook. */
  static boolean isSecretPath(String path) {
    return path.equals("preshared") || path.startsWith("preshared.")
        || path.equals("monitoring.slackWebhook") || path.equals("overRideIpsecSecrets");
  }

  /** go-yaml v2 / YAML 1.1 boolean words. */
  static Optional<Boolean> yamlBoolean(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "on" -> Optional.of(true);
      case "false", "no", "n", "off" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** {@code "; did you mean remote.gateway?"} for a near miss, or empty text. */
  static String suggestion(String path) {
    TreeSet<String> candidates = new TreeSet<>();
    Stream.of(LEAVES, SECTIONS, PLACEMENT_DEFAULTS.keySet()).forEach(candidates::addAll);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(path.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= 2 ? "; did you mean " + best + "?" : "";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
