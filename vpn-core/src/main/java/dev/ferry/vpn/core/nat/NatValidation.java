package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the chart's {@code localSubnetNAT} and {@code remoteSubnetNAT} lists together with the
 * networks around them and reports every rule that cannot work, with the reason. Nothing is
 * thrown for a bad rule: a configuration loader shows all problems at once.
 *
 * <p>Mismatched prefix lengths never get here: {@link NatRule} refuses them when it is built.
 *
 * <p>Rules enforced (each problem is reported on the later rule, naming the earlier one):
 *
 * <ul>
 *   <li>originals within one list must not overlap: an address would have two translations;
 *   <li>mapped prefixes must not overlap within or across the lists, except that many-to-one
 *       rules may share the very same single address (one shared source NAT pool, which is how
 *       {@code enableSingleSourceIP} is expressed);
 *   <li>{@code remoteSubnetNAT} holds only 1:1 rules (the chart offers no remote source NAT);
 *   <li>a local mapped prefix must not overlap the cluster's networks, a local original, a remote
 *       subnet or a remote original: the remote side would see the cluster inside address space
 *       that already means something else;
 *   <li>a remote mapped prefix must not overlap the cluster's networks, a local original, a
 *       remote subnet or a remote original: cluster workloads could not tell the translated
 *       on-premises hosts from real ones;
 *   <li>when {@code remoteSubnets} is given, every remote original must lie inside one of them
 *       (the chart: the left side must match {@code remote.subnet} entries), otherwise the
 *       tunnel never carries its traffic.
 * </ul>
 */
public final class NatValidation {

  private NatValidation() {}

  /**
   * Validates both lists.
   *
   * @param local the {@code localSubnetNAT} rules (1:1 and many-to-one)
   * @param remote the {@code remoteSubnetNAT} rules (1:1 only)
   * @param clusterNetworks the cluster's own networks (pod, service, node subnets)
   * @param remoteSubnets the on-premises subnets of {@code remote.subnet}; empty to skip the
   *     containment check
   * @return the problems in list order (local first), empty when every rule is usable
   */
  public static List<NatProblem> validate(
      List<NatRule> local,
      List<NatRule> remote,
      List<IpPrefix> clusterNetworks,
      List<IpPrefix> remoteSubnets) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(clusterNetworks, "clusterNetworks");
    Objects.requireNonNull(remoteSubnets, "remoteSubnets");
    List<NatProblem> problems = new ArrayList<>();
    checkList(NatProblem.LOCAL, local, List.of(), NatProblem.LOCAL, problems);
    for (int i = 0; i < remote.size(); i++) {
      if (remote.get(i).kind() == NatRule.Kind.MANY_TO_ONE) {
        problems.add(new NatProblem(NatProblem.REMOTE, i, remote.get(i),
            "remoteSubnetNAT supports only 1:1 maps (equal prefix lengths); many-to-one source"
                + " NAT of on-premises hosts is not offered"));
      }
    }
    checkList(NatProblem.REMOTE, remote, local, NatProblem.LOCAL, problems);

    for (int i = 0; i < local.size(); i++) {
      NatRule rule = local.get(i);
      IpPrefix target = rule.mapped();
      String why = "the remote side would see the cluster inside address space that already"
          + " means something else";
      overlapWithNetworks(NatProblem.LOCAL, i, rule, target, clusterNetworks, "cluster network",
          why, problems);
      overlapWithOriginals(NatProblem.LOCAL, i, rule, local, NatProblem.LOCAL, why, problems);
      overlapWithNetworks(NatProblem.LOCAL, i, rule, target, remoteSubnets, "remote subnet",
          why, problems);
      overlapWithOriginals(NatProblem.LOCAL, i, rule, remote, NatProblem.REMOTE, why, problems);
    }
    for (int i = 0; i < remote.size(); i++) {
      NatRule rule = remote.get(i);
      IpPrefix target = rule.mapped();
      String why = "cluster workloads could not tell translated on-premises hosts from real ones";
      overlapWithNetworks(NatProblem.REMOTE, i, rule, target, clusterNetworks, "cluster network",
          why, problems);
      overlapWithOriginals(NatProblem.REMOTE, i, rule, local, NatProblem.LOCAL, why, problems);
      overlapWithNetworks(NatProblem.REMOTE, i, rule, target, remoteSubnets, "remote subnet",
          why, problems);
      overlapWithOriginals(NatProblem.REMOTE, i, rule, remote, NatProblem.REMOTE, why, problems);
      if (!remoteSubnets.isEmpty()
          && remoteSubnets.stream().noneMatch(s -> s.contains(rule.original()))) {
        problems.add(new NatProblem(NatProblem.REMOTE, i, rule, "original " + rule.original()
            + " is not inside any remote.subnet " + remoteSubnets
            + "; the tunnel would never carry its traffic"));
      }
    }
    problems.sort((a, b) -> a.list().equals(b.list())
        ? Integer.compare(a.index(), b.index())
        : a.list().equals(NatProblem.LOCAL) ? -1 : 1);
    return List.copyOf(problems);
  }

  /** Pairwise checks inside one list, plus target collisions with an earlier list. */
  private static void checkList(String name, List<NatRule> rules, List<NatRule> earlierList,
      String earlierName, List<NatProblem> problems) {
    for (int i = 0; i < rules.size(); i++) {
      NatRule rule = Objects.requireNonNull(rules.get(i), name + "[" + i + "]");
      for (int j = 0; j < earlierList.size(); j++) {
        targetCollision(name, i, rule, earlierName, j, earlierList.get(j), problems);
      }
      for (int j = 0; j < i; j++) {
        NatRule earlier = rules.get(j);
        if (earlier.original().overlaps(rule.original())) {
          problems.add(new NatProblem(name, i, rule, "original " + rule.original()
              + " overlaps original " + earlier.original() + " of " + name + "[" + j
              + "]: an address would have two translations"));
        }
        targetCollision(name, i, rule, name, j, earlier, problems);
      }
    }
  }

  private static void targetCollision(String name, int i, NatRule rule, String otherName, int j,
      NatRule other, List<NatProblem> problems) {
    boolean sharedPool = rule.kind() == NatRule.Kind.MANY_TO_ONE
        && other.kind() == NatRule.Kind.MANY_TO_ONE
        && name.equals(otherName)
        && rule.mapped().equals(other.mapped());
    if (!sharedPool && rule.mapped().overlaps(other.mapped())) {
      problems.add(new NatProblem(name, i, rule, "mapped " + rule.mapped()
          + " collides with mapped " + other.mapped() + " of " + otherName + "[" + j
          + "]: translated addresses could not be told apart"));
    }
  }

  private static void overlapWithNetworks(String name, int i, NatRule rule, IpPrefix target,
      List<IpPrefix> networks, String what, String why, List<NatProblem> problems) {
    for (IpPrefix network : networks) {
      if (target.overlaps(Objects.requireNonNull(network, what))) {
        problems.add(new NatProblem(name, i, rule,
            "mapped " + target + " overlaps " + what + " " + network + ": " + why));
      }
    }
  }

  private static void overlapWithOriginals(String name, int i, NatRule rule, List<NatRule> others,
      String othersName, String why, List<NatProblem> problems) {
    for (int j = 0; j < others.size(); j++) {
      IpPrefix original = others.get(j).original();
      if (rule.mapped().overlaps(original)) {
        problems.add(new NatProblem(name, i, rule, "mapped " + rule.mapped() + " overlaps original "
            + original + " of " + othersName + "[" + j + "]: " + why));
      }
    }
  }
}
