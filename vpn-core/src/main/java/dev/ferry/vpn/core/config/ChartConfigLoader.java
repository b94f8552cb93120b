package dev.ferry.vpn.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads the IBM strongSwan Helm chart's {@code config.yaml} (the chart's {@code values.yaml} keys)
 * into a {@link TunnelConfig}, collecting every problem in one pass.
 *
 * <h2>What is read</h2>
 *
 * <ul>
 *   <li>{@code ipsec.*}: {@code keyexchange} must be {@code ikev2} ({@code ikev1}/{@code ike} are
 *       refused with an explanation); {@code ike}/{@code esp} in strongSwan proposal syntax, blank
 *       meaning the chart defaults {@code aes128-sha1-modp2048,3des-sha1-modp1536} and {@code
 *       aes128-sha1,3des-sha1}; {@code auto} start|add; {@code closeaction}
 *       none|auto|restart|clear|hold; {@code dpdaction} none|clear|hold|restart; {@code
 *       ikelifetime}/{@code lifetime}/{@code margintime} in strongSwan time syntax ({@code 3h},
 *       {@code 9m}, {@code 2.5m}, seconds without a unit); {@code keyingtries} a number or {@code
 *       %forever}; {@code additionalOptions} kept but not interpreted.
 *   <li>{@code local.subnet} (required; comma-separated CIDRs or {@code %zoneSubnet}), {@code
 *       local.zoneSubnet} ({@code zone=cidr} lines), {@code local.id}; {@code remote.gateway}
 *       ({@code %any}, address or host name), {@code remote.subnet} (required), {@code remote.id},
 *       {@code remote.privateIPtoPing}; {@code preshared.secret} (required, never shown).
 *   <li>{@code localSubnetNAT}, {@code remoteSubnetNAT} ({@code orig=mapped} entries separated by
 *       newlines, commas or spaces; bad entries are reported as {@code localSubnetNAT[i]},
 *       0-based), {@code enableSingleSourceIP}, {@code localNonClusterSubnet}, {@code
 *       enablePodSNAT}, {@code zoneSpecificRoutes}, {@code monitoring.*}.
 *   <li>Placement-only keys ({@code nodeSelector}, {@code tolerations}, {@code loadBalancerIP},
 *       {@code zoneSelector}, ...) are kept verbatim in {@link TunnelConfig#placement()}, with a
 *       note when set to something other than the chart default. {@code overRideIpsecConf} and
 *       {@code overRideIpsecSecrets} are refused: Ferry cannot run a raw strongSwan file.
 * </ul>
 *
 * <h2>Ferry's own section</h2>
 *
 * <p>Everything Ferry needs beyond the chart lives under a top-level {@code ferry:} key, which the
 * chart ignores; all of it is optional (see {@code samples/configs/bidirectional-nat.yaml}):
 *
 * <pre>{@code
 * ferry:
 *   tunnel:  { device: ferry0, mtu: 1400 }        # 1-15 byte interface name; 576..9000, >=1280 with IPv6
 *   ike:     { port: 500, natTraversalPort: 4500 }
 *   esp:     { replayWindow: 1024 }               # 32..65536 packets
 *   cluster:                                      # lists: YAML lists or comma-separated CIDRs
 *     podSubnets: [172.30.0.0/16]                 # absent: the route planner uses local.subnet
 *     serviceSubnets: [172.21.0.0/16]
 *     nodeSubnets: [10.176.48.0/24]
 *     reservedSubnets: [172.16.0.0/16]
 *     zone: dal10                                 # this node's zone
 *   routes:  { privateNetwork: 10.0.0.0/8, table: main, metric: 100, protocol: 247 }
 *   nat:     { tableSize: 65536, portRange: 1024-65535 }
 * }</pre>
 *
 * <h2>YAML</h2>
 *
 * <p>YAML 1.1 as Helm reads it: {@code yes/no/on/off} are booleans, {@code 3h} is a string.
 * Duplicate keys are errors (go-yaml refuses them too). Unknown keys are warnings with a "did you
 * mean" hint. An invalid file yields {@link ConfigLoadResult.Invalid} with every error and no
 * configuration. The pre-shared key (and the {@code preshared} section, the secrets override and
 * the Slack webhook) is never shown in any message; the secret text is also scrubbed from messages
 * about other keys.
 */
public final class ChartConfigLoader {
  /** The YAML document size limit; chart values files are a few kilobytes. */
  private static final int MAX_CODE_POINTS = 1 << 20;

  /** Loads a file; an unreadable file is reported as an invalid result, not thrown. */
  public ConfigLoadResult load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new ConfigLoadResult.Invalid(file.toString(), List.of(new ConfigProblem(
          ConfigProblem.Severity.ERROR, "(file)", null, "cannot read: " + e.getMessage(), 0)));
    }
    return load(text, file.toString());
  }

  /** Loads YAML text; {@code sourceName} names it in messages. */
  public ConfigLoadResult load(String yaml, String sourceName) {
    ConfigReader in = new ConfigReader();
    Node root;
    try {
      root = yaml(yaml);
    } catch (MarkedYAMLException e) {
      // Only the problem text: snakeyaml's snippet would echo the line, which may hold the secret.
      String reason = "YAML syntax: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")");
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      in.error("(yaml)", null, reason, line);
      return new ConfigLoadResult.Invalid(sourceName, in.problems(Optional.empty()));
    } catch (YAMLException e) {
      in.error("(yaml)", null, "YAML could not be read: " + e.getClass().getSimpleName(), 0);
      return new ConfigLoadResult.Invalid(sourceName, in.problems(Optional.empty()));
    }
    if (root != null && !(root instanceof MappingNode)) {
      in.error("(root)", null, "the file must be a mapping of chart keys", ConfigReader.line(root));
      return new ConfigLoadResult.Invalid(sourceName, in.problems(Optional.empty()));
    }
    if (root != null) {
      in.walk((MappingNode) root, "");
    }
    ConfigLoad load = new ConfigLoad(in);
    load.readIpsec();
    load.readLocal();
    load.readRemote();
    load.readPreshared();
    load.readNatAndSwitches();
    load.readMonitoring();
    load.readFerry();
    CrossChecks.run(load);
    if (in.hasErrors()) {
      return new ConfigLoadResult.Invalid(sourceName, in.problems(load.secretText));
    }
    return new ConfigLoadResult.Valid(load.build(sourceName));
  }

  private static Node yaml(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    // compose() builds nodes only: no Java objects are constructed from the document.
    return new Yaml(options).compose(new StringReader(text));
  }
}
