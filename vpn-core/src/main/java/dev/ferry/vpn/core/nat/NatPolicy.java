package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The NAT rules of one connection, as the chart states them.
 *
 * <ul>
 *   <li>{@code localRules} ({@code localSubnetNAT}): a 1:1 rule makes a cluster subnet appear to
 *       the remote side as the mapped subnet (outbound source original to mapped, inbound
 *       destination mapped to original); a many-to-one rule ({@code original=address/32})
 *       makes the original's hosts leave with one address, outbound only.
 *   <li>{@code remoteRules} ({@code remoteSubnetNAT}, 1:1 only): an on-premises subnet is seen by
 *       the cluster as the mapped subnet (outbound destination mapped to original, inbound source
 *       original to mapped).
 * </ul>
 *
 * <p>The structural checks of {@link NatValidation} (without network context) run on
 * construction, so an engine can never hold an ambiguous policy; run {@link
 * NatValidation#validate} with the cluster and remote networks for the full report.
 */
public record NatPolicy(List<NatRule> localRules, List<NatRule> remoteRules) {

  /** No translation at all. */
  public static final NatPolicy NONE = new NatPolicy(List.of(), List.of());

  /**
   * @throws IllegalArgumentException listing every structural problem when the rules conflict
   */
  public NatPolicy {
    localRules = List.copyOf(Objects.requireNonNull(localRules, "localRules"));
    remoteRules = List.copyOf(Objects.requireNonNull(remoteRules, "remoteRules"));
    List<NatProblem> problems =
        NatValidation.validate(localRules, remoteRules, List.of(), List.of());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("NAT rules conflict: " + problems.stream()
          .map(NatProblem::toString).collect(Collectors.joining("; ")));
    }
  }

  /**
   * The chart's {@code enableSingleSourceIP}: every cluster network leaves with the one address
   * {@code external} (many-to-one, replies only), plus optional remote 1:1 rules.
   */
  public static NatPolicy singleSource(IpAddress external, List<IpPrefix> clusterNetworks,
      List<NatRule> remoteRules) {
    Objects.requireNonNull(external, "external");
    IpPrefix target = IpPrefix.host(external);
    List<NatRule> local = new ArrayList<>();
    for (IpPrefix network : Objects.requireNonNull(clusterNetworks, "clusterNetworks")) {
      local.add(new NatRule(network, target));
    }
    return new NatPolicy(local, remoteRules);
  }

  /** The 1:1 rules of {@code localRules}. */
  public List<NatRule> localOneToOne() {
    return localRules.stream().filter(r -> r.kind() == NatRule.Kind.ONE_TO_ONE).toList();
  }

  /** The many-to-one (source NAT) rules of {@code localRules}. */
  public List<NatRule> localManyToOne() {
    return localRules.stream().filter(r -> r.kind() == NatRule.Kind.MANY_TO_ONE).toList();
  }
}
