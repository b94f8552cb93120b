package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.crypto.Secret;

import dev.ferry.vpn.core.nat.PortRange;
import dev.ferry.vpn.core.route.ClusterNetworks;
import dev.ferry.vpn.core.route.RouteProtocol;
import dev.ferry.vpn.core.route.RouteTableId;

import dev.ferry.vpn.core.config.ConfigReader.Located;
import dev.ferry.vpn.core.config.ConfigReader.Scalar;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.ProposalException;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Support;
import dev.ferry.vpn.core.proposal.Transform;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The values of one file, read section by section into builders. Each reader method reports its
 * own key's problems; {@link CrossChecks} then relates keys to each other.
 */
final class ConfigLoad {
  /** The chart's published placeholder; accepted (the sample uses it) but always warned about. */
  static final String CHART_PLACEHOLDER_SECRET = "strongswan-preshared-secret";

  final ConfigReader in;

  StartAction startAction = StartAction.ADD;
  final ImmutableIkeSettings.Builder ike = ImmutableIkeSettings.builder();
  Duration ikeLifetime = IkeSettings.DEFAULT_IKE_LIFETIME;
  Duration lifetime = IkeSettings.DEFAULT_LIFETIME;
  Duration marginTime = IkeSettings.DEFAULT_MARGIN_TIME;

  List<Located<IpPrefix>> localSubnets = List.of();
  boolean subnetFromZone;
  final Map<String, IpPrefix> zoneSubnets = new LinkedHashMap<>();
  Identity localId = Identity.parse("ibm-cloud");

  RemoteGateway gateway = new RemoteGateway.Any();
  List<Located<IpPrefix>> remoteSubnets = List.of();
  Identity remoteId = Identity.parse("on-prem");
  Optional<IpAddress> privateIpToPing = Optional.empty();

  Optional<Secret> secret = Optional.empty();
  Optional<String> secretText = Optional.empty();

  List<Located<NatRule>> localNat = List.of();
  List<Located<NatRule>> remoteNat = List.of();
  boolean singleSourceIp;
  List<Located<IpPrefix>> nonClusterSubnets = List.of();
  PodSnat podSnat = PodSnat.AUTO;
  boolean zoneSpecificRoutes;
  Optional<String> zoneSelector = Optional.empty();

  final ImmutableMonitoringSettings.Builder monitoring = ImmutableMonitoringSettings.builder();
  boolean monitoringEnabled;
  int monitoringTargets;

  final ImmutableFerrySettings.Builder ferry = ImmutableFerrySettings.builder();
  int mtu = FerrySettings.DEFAULT_MTU;
  int ikePort = 500;
  int natTraversalPort = 4500;
  List<IpPrefix> nodeSubnets = List.of();
  ClusterNetworks cluster = ClusterNetworks.none();
  Optional<String> zone = Optional.empty();

  ConfigLoad(ConfigReader in) {
    this.in = in;
  }

  // ---------------------------------------------------------------- ipsec.*

  void readIpsec() {
    in.scalar("ipsec.keyexchange").ifPresent(s -> {
      switch (s.text().toLowerCase(java.util.Locale.ROOT)) {
        case "ikev2" -> { }
        case "ikev1", "ike" -> in.error(s.path(), s.text(),
            "Ferry speaks IKEv2 only (RFC 7296): 'ikev1' asks for IKEv1 and 'ike' for whichever "
                + "version the peer offers; configure the on-premises gateway for IKEv2 and set "
                + "ikev2", ConfigReader.line(s.node()));
        default -> in.error(s.path(), s.text(), "must be ikev2", ConfigReader.line(s.node()));
      }
    });
    proposals("ipsec.ike", Protocol.IKE, ProposalList.CHART_DEFAULT_IKE).ifPresent(ike::ikeProposals);
    proposals("ipsec.esp", Protocol.ESP, ProposalList.CHART_DEFAULT_ESP).ifPresent(ike::espProposals);
    startAction = in.choice("ipsec.auto", Map.of("start", StartAction.START, "add", StartAction.ADD))
        .orElse(StartAction.ADD);
    ike.startAction(startAction);
    in.choice("ipsec.closeaction", Map.of("none", Optional.of(PeerAction.NONE),
            "auto", Optional.<PeerAction>empty(), "restart", Optional.of(PeerAction.RESTART),
            "clear", Optional.of(PeerAction.CLEAR), "hold", Optional.of(PeerAction.HOLD)))
        .flatMap(a -> a)
        .ifPresent(ike::closeAction);
    in.choice("ipsec.dpdaction", Map.of("none", PeerAction.NONE, "clear", PeerAction.CLEAR,
        "hold", PeerAction.HOLD, "restart", PeerAction.RESTART)).ifPresent(ike::dpdAction);
    ikeLifetime = time("ipsec.ikelifetime").orElse(ikeLifetime);
    lifetime = time("ipsec.lifetime").orElse(lifetime);
    marginTime = time("ipsec.margintime").orElse(marginTime);
    if (ikeLifetime.compareTo(Duration.ofHours(24)) > 0) {
      in.warning("ipsec.ikelifetime", StrongSwanTime.format(ikeLifetime),
          "longer than the chart's documented maximum of 24h", in.lineOf("ipsec.ikelifetime"));
    }
    in.parsed("ipsec.keyingtries", KeyingTries::parse).ifPresent(ike::keyingTries);
    List<String> options = in.scalar("ipsec.additionalOptions")
        .map(s -> s.text().lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
        .orElse(List.of());
    if (!options.isEmpty()) {
      in.warning("ipsec.additionalOptions", null, "raw ipsec.conf lines are kept but not "
          + "interpreted by Ferry; use the ipsec keys or the ferry section",
          in.lineOf("ipsec.additionalOptions"));
    }
    ike.additionalOptions(options);
  }

  private Optional<ProposalList> proposals(String path, Protocol protocol, String chartDefault) {
    Optional<Scalar> s = in.scalar(path);
    ProposalList list;
    try {
      list = ProposalList.parse(s.map(Scalar::text).orElse(chartDefault), protocol);
    } catch (ProposalException e) {
      in.error(path, s.map(Scalar::text).orElse(null), e.getMessage(), in.lineOf(path));
      return Optional.empty();
    }
    List<Transform> legacy = list.transformsWith(Support.LEGACY);
    if (!legacy.isEmpty()) {
      in.warning(path, s.map(Scalar::text).orElse(null),
          (s.isEmpty() ? "the chart default " + chartDefault + " uses" : "uses")
              + " legacy algorithms: " + legacy.stream()
                  .map(t -> t + " (" + t.algorithm().supportNote() + ")")
                  .collect(Collectors.joining("; ")),
          in.lineOf(path));
    }
    return Optional.of(list);
  }

  private Optional<Duration> time(String path) {
    Optional<Duration> d = in.parsed(path, StrongSwanTime::parse);
    if (d.isPresent() && d.get().isZero()) {
      in.error(path, StrongSwanTime.format(d.get()), "must be at least 1s", in.lineOf(path));
      return Optional.empty();
    }
    return d;
  }

  // ---------------------------------------------------------------- local.*, remote.*, preshared

  void readLocal() {
    Optional<Scalar> subnet = in.scalar("local.subnet");
    if (subnet.isEmpty()) {
      in.error("local.subnet", null, "required: the cluster subnets to expose over the VPN "
          + "(e.g. 172.30.0.0/16,172.21.0.0/16) or %zoneSubnet", in.lineOf("local.subnet"));
    } else if (subnet.get().text().equals("%zoneSubnet")) {
      subnetFromZone = true;
    } else {
      localSubnets = in.prefixes("local.subnet", false);
    }
    for (Located<String[]> z : in.parsedEntries("local.zoneSubnet", false, ConfigLoad::zoneEntry)) {
      try {
        IpPrefix prefix = IpPrefix.parse(z.value()[1]);
        if (zoneSubnets.putIfAbsent(z.value()[0], prefix) != null) {
          in.error(z.path(), String.join("=", z.value()), "zone " + z.value()[0] + " is listed twice",
              z.line());
        }
      } catch (IllegalArgumentException e) {
        in.error(z.path(), String.join("=", z.value()), ConfigReader.reasonOf(e), z.line());
      }
    }
    in.parsed("local.id", Identity::parse).ifPresent(id -> localId = id);
  }

  private static String[] zoneEntry(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException("expected zone=subnet, e.g. dal10=192.168.168.10/32");
    }
    return new String[] {text.substring(0, eq), text.substring(eq + 1)};
  }

  void readRemote() {
    in.parsed("remote.gateway", RemoteGateway::parse).ifPresent(g -> gateway = g);
    if (!in.isPresent("remote.subnet")) {
      in.error("remote.subnet", null, "required: the on-premises subnets the cluster may reach",
          in.lineOf("remote.subnet"));
    }
    remoteSubnets = in.prefixes("remote.subnet", false);
    in.parsed("remote.id", Identity::parse).ifPresent(id -> {
      if (id.kind().isPlaceholder()) {
        in.error("remote.id", id.value(), "%nodePublicIP and %loadBalancerIP describe the cluster "
            + "side and are only valid in local.id", in.lineOf("remote.id"));
      } else {
        remoteId = id;
      }
    });
    privateIpToPing = in.parsed("remote.privateIPtoPing", IpAddress::parse);
  }

  void readPreshared() {
    Optional<Scalar> s = in.scalar("preshared.secret");
    if (s.isEmpty()) {
      in.error("preshared.secret", null, "required and must not be empty",
          in.lineOf("preshared.secret"));
      return;
    }
    String raw = s.get().node().getValue();
    secretText = Optional.of(raw);
    secret = Optional.of(Secret.ofUtf8(raw));
    int line = ConfigReader.line(s.get().node());
    if (!s.get().node().getTag().equals(Tag.STR) && s.get().node().getScalarStyle() == ScalarStyle.PLAIN) {
      in.warning("preshared.secret", raw, "not a string to YAML (a number or boolean): Helm may "
          + "rewrite it (0123 becomes 83, yes becomes true); put it in quotes", line);
    }
    if (raw.equals(CHART_PLACEHOLDER_SECRET)) {
      in.warning("preshared.secret", raw, "this is the chart's published example secret; "
          + "anyone can read it, so replace it", line);
    } else if (raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
      in.warning("preshared.secret", raw, "shorter than 16 bytes: a pre-shared key can be guessed "
          + "offline from one captured IKE_AUTH exchange", line);
    }
  }

  // ---------------------------------------------------------------- NAT and top-level switches

  void readNatAndSwitches() {
    localNat = in.parsedEntries("localSubnetNAT", false, NatRule::parse);
    remoteNat = in.parsedEntries("remoteSubnetNAT", false, NatRule::parse);
    singleSourceIp = in.bool("enableSingleSourceIP").orElse(false);
    nonClusterSubnets = in.prefixes("localNonClusterSubnet", false);
    podSnat = in.choice("enablePodSNAT", Map.of("true", PodSnat.ENABLED, "yes", PodSnat.ENABLED,
        "on", PodSnat.ENABLED, "false", PodSnat.DISABLED, "no", PodSnat.DISABLED,
        "off", PodSnat.DISABLED, "auto", PodSnat.AUTO)).orElse(PodSnat.AUTO);
    zoneSpecificRoutes = in.bool("zoneSpecificRoutes").orElse(false);
    Object selector = in.placement().get("zoneSelector");
    if (selector instanceof String zoneName && !zoneName.isBlank()) {
      zoneSelector = Optional.of(zoneName.strip());
    }
    for (String path : List.of("overRideIpsecConf", "overRideIpsecSecrets")) {
      if (in.isPresent(path)) {
        in.error(path, "(file contents)", "Ferry builds its configuration from the ipsec, local, "
            + "remote and preshared keys and cannot take a raw strongSwan file; remove " + path
            + " and set those keys", in.lineOf(path));
      }
    }
  }

  // ---------------------------------------------------------------- monitoring.*

  void readMonitoring() {
    monitoringEnabled = in.bool("monitoring.enable").orElse(false);
    monitoring.enabled(monitoringEnabled);
    in.scalar("monitoring.clusterName").ifPresent(s -> monitoring.clusterName(s.text()));
    List<IpAddress> ips =
        ConfigReader.values(in.parsedEntries("monitoring.privateIPs", false, IpAddress::parse));
    List<URI> urls =
        ConfigReader.values(in.parsedEntries("monitoring.httpEndpoints", false, ConfigLoad::httpUrl));
    monitoring.privateIps(ips).httpEndpoints(urls);
    monitoringTargets = ips.size() + urls.size();
    in.integer("monitoring.timeout", 1, 86_400)
        .ifPresent(s -> monitoring.timeout(Duration.ofSeconds(s)));
    in.integer("monitoring.delay", 1, 86_400)
        .ifPresent(s -> monitoring.delay(Duration.ofSeconds(s)));
    in.parsed("monitoring.slackWebhook", text -> {
      URI uri = httpUrl(text);
      if (!"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("a Slack webhook is an https:// URL");
      }
      return Secret.ofUtf8(text);
    }).ifPresent(monitoring::slackWebhook);
    in.scalar("monitoring.slackChannel").ifPresent(s -> monitoring.slackChannel(s.text()));
    in.scalar("monitoring.slackUsername").ifPresent(s -> monitoring.slackUsername(s.text()));
    in.scalar("monitoring.slackIcon").ifPresent(s -> monitoring.slackIcon(s.text()));
  }

  private static URI httpUrl(String text) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("expected an http:// or https:// URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
  }

  // ---------------------------------------------------------------- ferry.*

  void readFerry() {
    in.parsed("ferry.tunnel.device", name -> {
      String problem = FerrySettings.deviceNameProblem(name);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      return name;
    }).ifPresent(ferry::tunnelDevice);
    mtu = in.integer("ferry.tunnel.mtu", FerrySettings.MIN_MTU_IPV4, FerrySettings.MAX_MTU)
        .map(Long::intValue).orElse(mtu);
    ferry.mtu(mtu);
    ikePort = in.integer("ferry.ike.port", 1, 65535).map(Long::intValue).orElse(ikePort);
    natTraversalPort = in.integer("ferry.ike.natTraversalPort", 1, 65535).map(Long::intValue)
        .orElse(natTraversalPort);
    ferry.ikePort(ikePort).natTraversalPort(natTraversalPort);
    in.integer("ferry.esp.replayWindow", FerrySettings.MIN_REPLAY_WINDOW,
        FerrySettings.MAX_REPLAY_WINDOW).ifPresent(w -> ferry.replayWindow(w.intValue()));
    nodeSubnets = ConfigReader.values(in.prefixes("ferry.cluster.nodeSubnets", true));
    zone = in.scalar("ferry.cluster.zone").map(Scalar::text);
    cluster = new ClusterNetworks(
        ConfigReader.values(in.prefixes("ferry.cluster.podSubnets", true)),
        ConfigReader.values(in.prefixes("ferry.cluster.serviceSubnets", true)),
        nodeSubnets,
        ConfigReader.values(in.prefixes("ferry.cluster.reservedSubnets", true)));
    ferry.cluster(cluster);
    ferry.zone(zone);
    ImmutableRouteSettings.Builder routes = ImmutableRouteSettings.builder();
    in.parsed("ferry.routes.privateNetwork", IpPrefix::parse).ifPresent(routes::privateNetwork);
    in.parsed("ferry.routes.table", RouteTableId::parse).ifPresent(routes::table);
    in.integer("ferry.routes.metric", 0, 0xFFFF_FFFFL).ifPresent(routes::metric);
    in.parsed("ferry.routes.protocol", ConfigLoad::ownerProtocol).ifPresent(routes::protocol);
    ferry.routes(routes.build());
    in.integer("ferry.nat.tableSize", 1, 1 << 24).ifPresent(n -> ferry.natTableSize(n.intValue()));
    in.parsed("ferry.nat.portRange", PortRange::parse).ifPresent(ferry::natPortRange);
  }

  /**
   * The marker stamped on Ferry's routes. Numbers up to 4 belong to the kernel and iproute2, and a
   * named protocol (bgp, dhcp, ...) belongs to another program: routes carrying it must never look
   * like ours, or the planner would delete them.
   */
  private static RouteProtocol ownerProtocol(String text) {
    RouteProtocol p = RouteProtocol.parse(text);
    if (p.number() <= RouteProtocol.STATIC.number() || p.isNamed()) {
      throw new IllegalArgumentException("must be an unnamed protocol number from 5 to 255 (it "
          + "marks the routes Ferry owns; " + p + " belongs to another route source)");
    }
    return p;
  }

  // ---------------------------------------------------------------- result

  TunnelConfig build(String sourceName) {
    ike.ikeLifetime(ikeLifetime).lifetime(lifetime).marginTime(marginTime);
    return ImmutableTunnelConfig.builder()
        .sourceName(sourceName)
        .ike(ike.build())
        .local(ImmutableLocalSettings.builder()
            .subnets(ConfigReader.values(localSubnets))
            .subnetFromZone(subnetFromZone)
            .zoneSubnets(zoneSubnets)
            .identity(localId)
            .build())
        .remote(ImmutableRemoteSettings.builder()
            .gateway(gateway)
            .subnets(ConfigReader.values(remoteSubnets))
            .identity(remoteId)
            .privateIpToPing(privateIpToPing)
            .build())
        .presharedKey(secret.orElseThrow())
        .nat(ImmutableNatSettings.builder()
            .localSubnetNat(ConfigReader.values(localNat))
            .remoteSubnetNat(ConfigReader.values(remoteNat))
            .singleSourceIp(singleSourceIp)
            .localNonClusterSubnets(ConfigReader.values(nonClusterSubnets))
            .podSnat(podSnat)
            .build())
        .zoneSpecificRoutes(zoneSpecificRoutes)
        .zoneSelector(zoneSelector)
        .monitoring(monitoring.build())
        .ferry(ferry.build())
        .placement(in.placement())
        .warnings(in.problems(secretText))
        .build();
  }
}
