package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.nat.NatProblem;
import dev.ferry.vpn.core.nat.NatValidation;

import dev.ferry.vpn.core.config.ConfigReader.Located;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Rules that relate several keys; each problem is reported at the key that should change. */
final class CrossChecks {
  private CrossChecks() {}

  static void run(ConfigLoad c) {
    ConfigReader in = c.in;
    if (c.startAction == StartAction.START && !c.gateway.isConcrete()) {
      in.error("remote.gateway", c.gateway.toString(), "ipsec.auto=start makes the cluster "
          + "initiate, so it needs the peer's address or host name, not %any",
          in.lineOf("remote.gateway"));
    }
    // strongSwan rekeys marginTime before expiry; a margin as long as a lifetime rekeys at once.
    if (c.marginTime.compareTo(c.lifetime) >= 0 || c.marginTime.compareTo(c.ikeLifetime) >= 0) {
      in.error("ipsec.margintime", StrongSwanTime.format(c.marginTime), "must be shorter than "
          + "ipsec.lifetime (" + StrongSwanTime.format(c.lifetime) + ") and ipsec.ikelifetime ("
          + StrongSwanTime.format(c.ikeLifetime) + ")", in.lineOf("ipsec.margintime"));
    }
    zones(c);
    singleSourceIp(c);
    subnets(c);
    nat(c);
    ferry(c);
    if (c.zoneSpecificRoutes && c.zoneSelector.isEmpty()) {
      in.warning("zoneSpecificRoutes", "true", "ignored because zoneSelector is not set",
          in.lineOf("zoneSpecificRoutes"));
    }
    if (c.monitoringEnabled && c.monitoringTargets == 0) {
      in.warning("monitoring.enable", "true", "nothing to monitor: set monitoring.privateIPs or "
          + "monitoring.httpEndpoints", in.lineOf("monitoring.enable"));
    }
  }

  private static List<IpPrefix> localPrefixes(ConfigLoad c) {
    return c.subnetFromZone ? List.copyOf(c.zoneSubnets.values()) : ConfigReader.values(c.localSubnets);
  }

  private static void zones(ConfigLoad c) {
    ConfigReader in = c.in;
    if (c.subnetFromZone && c.zoneSubnets.isEmpty() && !in.isPresent("local.zoneSubnet")) {
      in.error("local.subnet", "%zoneSubnet", "needs local.zoneSubnet entries (zone=subnet)",
          in.lineOf("local.subnet"));
    }
    if (!c.subnetFromZone && !c.zoneSubnets.isEmpty()) {
      in.warning("local.zoneSubnet", null, "ignored unless local.subnet is %zoneSubnet",
          in.lineOf("local.zoneSubnet"));
    }
    if (c.subnetFromZone && c.zone.isPresent() && !c.zoneSubnets.isEmpty()
        && !c.zoneSubnets.containsKey(c.zone.get())) {
      in.error("ferry.cluster.zone", c.zone.get(), "has no entry in local.zoneSubnet (zones: "
          + String.join(", ", c.zoneSubnets.keySet()) + ")", in.lineOf("ferry.cluster.zone"));
    }
  }

  private static void singleSourceIp(ConfigLoad c) {
    if (!c.singleSourceIp) {
      return;
    }
    ConfigReader in = c.in;
    String subnetKey = c.subnetFromZone ? "local.zoneSubnet" : "local.subnet";
    List<IpPrefix> local = localPrefixes(c);
    boolean singleHosts = c.subnetFromZone
        ? local.stream().allMatch(IpPrefix::isHost)
        : local.size() == 1 && local.get(0).isHost();
    if (!local.isEmpty() && !singleHosts) {
      in.error(subnetKey, null, "enableSingleSourceIP needs " + subnetKey + " to be a single /32 "
          + "address (per zone for local.zoneSubnet)", in.lineOf(subnetKey));
    }
    if (!c.localNat.isEmpty()) {
      in.error("localSubnetNAT", null, "must be blank when enableSingleSourceIP is true",
          in.lineOf("localSubnetNAT"));
    }
    if (!local.isEmpty() && singleHosts && c.localNat.isEmpty()) {
      // The many-to-one rules this switch implies must not conflict with remoteSubnetNAT.
      IpPrefix external = local.get(0);
      List<NatRule> implied = DerivedPolicies.singleSourceOriginals(c.cluster,
              external, local, ConfigReader.values(c.remoteSubnets),
              ConfigReader.values(c.remoteNat))
          .stream().map(original -> new NatRule(original, external)).toList();
      for (NatProblem p : NatValidation.validate(implied, ConfigReader.values(c.remoteNat),
          List.of(), List.of())) {
        in.error("enableSingleSourceIP", "true", "the implied source NAT "
            + (p.list().equals(NatProblem.LOCAL) ? p.rule() + " " : "") + "conflicts: "
            + p.reason(), in.lineOf("enableSingleSourceIP"));
      }
    }
    if (c.podSnat == PodSnat.DISABLED) {
      in.error("enablePodSNAT", "false", "must not be false when enableSingleSourceIP is true",
          in.lineOf("enablePodSNAT"));
    }
  }

  private static void subnets(ConfigLoad c) {
    ConfigReader in = c.in;
    List<IpPrefix> local = localPrefixes(c);
    for (Located<IpPrefix> r : c.remoteSubnets) {
      for (IpPrefix l : local) {
        if (l.overlaps(r.value())) {
          in.error(r.path(), r.value().toString(), "overlaps local subnet " + l + "; traffic "
              + "selectors on both sides of a tunnel must be disjoint (use remoteSubnetNAT or "
              + "localSubnetNAT to remap)", r.line());
        }
      }
    }
    for (Located<IpPrefix> r : c.remoteSubnets) {
      if (r.value().prefixLength() == 0) {
        in.error(r.path(), r.value().toString(), "a remote subnet of length 0 would take over the "
            + "nodes' default route; list the on-premises subnets instead", r.line());
      }
    }
    Set<IpFamily> localFamilies = families(local);
    Set<IpFamily> remoteFamilies = families(ConfigReader.values(c.remoteSubnets));
    if (!local.isEmpty() && !c.remoteSubnets.isEmpty() && !localFamilies.equals(remoteFamilies)) {
      in.error("remote.subnet", null, "address families differ: local side has " + localFamilies
          + ", remote side has " + remoteFamilies + "; a packet can only be tunnelled to a "
          + "subnet of its own family", in.lineOf("remote.subnet"));
    }
    c.privateIpToPing.ifPresent(ip -> {
      if (c.remoteSubnets.stream().noneMatch(r -> r.value().contains(ip))) {
        in.warning("remote.privateIPtoPing", ip.toString(), "is not inside remote.subnet",
            in.lineOf("remote.privateIPtoPing"));
      }
    });
    for (Located<IpPrefix> n : c.nonClusterSubnets) {
      if (!c.subnetFromZone && local.stream().noneMatch(l -> l.contains(n.value()))) {
        in.error(n.path(), n.value().toString(), "must also be listed in local.subnet (the chart "
            + "exposes only local.subnet over the tunnel)", n.line());
      }
      for (IpPrefix node : c.nodeSubnets) {
        if (node.overlaps(n.value())) {
          in.error(n.path(), n.value().toString(), "overlaps the worker subnet " + node
              + " (ferry.cluster.nodeSubnets); do not list worker subnets here", n.line());
        }
      }
    }
  }

  /**
   * The NAT rules themselves are judged by {@link NatValidation} (one place for those rules); the
   * chart-specific advice about {@code local.subnet} stays here.
   */
  private static void nat(ConfigLoad c) {
    ConfigReader in = c.in;
    List<NatRule> local = ConfigReader.values(c.localNat);
    List<NatRule> remote = ConfigReader.values(c.remoteNat);
    for (NatProblem p : NatValidation.validate(
        local, remote, c.cluster.all(), ConfigReader.values(c.remoteSubnets))) {
      Located<NatRule> at = (p.list().equals(NatProblem.LOCAL) ? c.localNat : c.remoteNat)
          .get(p.index());
      in.error(at.path(), p.rule().toString(), p.reason(), at.line());
    }
    List<IpPrefix> localSubnets = localPrefixes(c);
    for (Located<NatRule> r : c.localNat) {
      IpPrefix mapped = r.value().mapped();
      if (!localSubnets.isEmpty() && localSubnets.stream().noneMatch(l -> l.contains(mapped))) {
        in.warning(r.path(), r.value().toString(), "the chart exposes the subnet after '='; add "
            + mapped + " to local.subnet", r.line());
      }
    }
  }

  private static void ferry(ConfigLoad c) {
    ConfigReader in = c.in;
    boolean ipv6 = localPrefixes(c).stream().anyMatch(p -> p.family() == IpFamily.IPV6)
        || c.remoteSubnets.stream().anyMatch(p -> p.value().family() == IpFamily.IPV6);
    // RFC 8200 section 5: every IPv6 link carries at least 1280 octets.
    if (ipv6 && c.mtu < FerrySettings.MIN_MTU_IPV6) {
      in.error("ferry.tunnel.mtu", Integer.toString(c.mtu), "must be at least 1280 when IPv6 "
          + "subnets are tunnelled (RFC 8200 section 5)", in.lineOf("ferry.tunnel.mtu"));
    }
    if (c.ikePort == c.natTraversalPort) {
      in.error("ferry.ike.natTraversalPort", Integer.toString(c.natTraversalPort), "must differ "
          + "from ferry.ike.port: NAT-T (RFC 3948) moves IKE and ESP to a second port",
          in.lineOf("ferry.ike.natTraversalPort"));
    }
  }

  private static Set<IpFamily> families(List<IpPrefix> prefixes) {
    Set<IpFamily> out = EnumSet.noneOf(IpFamily.class);
    prefixes.forEach(p -> out.add(p.family()));
    return out;
  }

  private static String join(List<IpPrefix> prefixes) {
    return String.join(",", prefixes.stream().map(IpPrefix::toString).toList());
  }
}
