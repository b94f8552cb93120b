package dev.ferry.vpn.core.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatValidationTest {

  private static final List<IpPrefix> CLUSTER =
      List.of(IpPrefix.parse("172.30.0.0/16"), IpPrefix.parse("172.21.0.0/16"),
          IpPrefix.parse("10.171.0.0/16"));
  private static final List<IpPrefix> REMOTE_SUBNETS = List.of(IpPrefix.parse("10.1.0.0/16"));

  private static List<NatRule> rules(String... lines) {
    return Arrays.stream(lines).map(NatRule::parse).toList();
  }

  private static List<NatProblem> validate(List<NatRule> local, List<NatRule> remote) {
    return NatValidation.validate(local, remote, CLUSTER, REMOTE_SUBNETS);
  }

  private static void assertOneProblem(List<NatProblem> problems, String list, int index,
      String reasonPart) {
    assertEquals(1, problems.size(), problems.toString());
    NatProblem p = problems.getFirst();
    assertEquals(list, p.list());
    assertEquals(index, p.index());
    assertTrue(p.reason().contains(reasonPart), p.reason());
  }

  @Test
  void chartExamplesAreAccepted() {
    assertEquals(List.of(), validate(rules("10.171.42.0/25=10.10.10.0/25"), List.of()));
    assertEquals(List.of(), validate(
        rules("10.171.42.17/32=10.10.10.2/32", "10.171.42.29/32=10.10.10.3/32",
            "10.171.42.46/32=10.10.10.4/32"),
        List.of()));
    assertEquals(List.of(), validate(
        rules("10.171.42.0/25=192.168.168.100/32", "172.21.198.196/32=192.168.168.101/32"),
        rules("10.1.1.0/24=172.20.1.0/24")));
    assertEquals(List.of(), validate(List.of(),
        rules("10.1.1.3/32=172.20.1.1/32", "10.1.1.6/32=172.20.1.2/32")));
  }

  @Test
  void seedsBidirectionalCaseIsAccepted() {
    // Cloud 10.0.1.0/27 appears as 192.168.2.0/27; on-premises 10.0.1.0/24 appears as
    // 192.168.1.0/24. Both sides use 10.0.1.x, which is exactly what the maps make harmless.
    List<NatProblem> problems = NatValidation.validate(
        rules("10.0.1.0/27=192.168.2.0/27"), rules("10.0.1.0/24=192.168.1.0/24"),
        List.of(IpPrefix.parse("10.0.1.0/27")), List.of(IpPrefix.parse("10.0.1.0/24")));
    assertEquals(List.of(), problems);
  }

  @Test
  void overlappingOriginalsAreRejected() {
    assertOneProblem(validate(rules("10.171.42.0/24=10.10.10.0/24",
        "10.171.42.128/25=10.10.20.0/25"), List.of()),
        NatProblem.LOCAL, 1, "overlaps original 10.171.42.0/24 of localSubnetNAT[0]");
    assertOneProblem(validate(List.of(), rules("10.1.1.0/24=172.20.1.0/24",
        "10.1.1.6/32=172.20.9.2/32")), NatProblem.REMOTE, 1, "two translations");
  }

  @Test
  void collidingTargetsAreRejectedWithinAndAcrossLists() {
    assertOneProblem(validate(rules("10.171.42.0/24=10.10.10.0/24",
        "10.171.43.7/32=10.10.10.7/32"), List.of()),
        NatProblem.LOCAL, 1, "collides with mapped 10.10.10.0/24 of localSubnetNAT[0]");
    assertOneProblem(validate(rules("10.171.42.0/24=10.10.10.0/24"),
        rules("10.1.1.0/24=10.10.10.0/24")),
        NatProblem.REMOTE, 0, "of localSubnetNAT[0]");
    // A many-to-one target may not sit inside a 1:1 target ...
    assertOneProblem(validate(rules("10.171.42.0/24=10.10.10.0/24",
        "10.171.50.0/24=10.10.10.9/32"), List.of()), NatProblem.LOCAL, 1, "collides");
    // ... but many-to-one rules may share one address: one source NAT pool.
    assertEquals(List.of(), validate(rules("10.171.42.0/24=192.168.168.100/32",
        "172.30.0.0/16=192.168.168.100/32"), List.of()));
  }

  @Test
  void targetsInsideOwnNetworksAreRejected() {
    assertOneProblem(validate(rules("10.171.42.0/24=172.30.5.0/24"), List.of()),
        NatProblem.LOCAL, 0, "overlaps cluster network 172.30.0.0/16");
    assertOneProblem(validate(List.of(), rules("10.1.1.0/24=172.21.1.0/24")),
        NatProblem.REMOTE, 0, "overlaps cluster network 172.21.0.0/16");
    assertOneProblem(validate(rules("172.30.1.0/24=10.1.7.0/24"), List.of()),
        NatProblem.LOCAL, 0, "overlaps remote subnet 10.1.0.0/16");
    assertOneProblem(NatValidation.validate(rules("172.30.1.0/24=192.168.1.0/24"),
        rules("192.168.1.0/24=172.20.1.0/24"), List.of(), List.of()),
        NatProblem.LOCAL, 0, "overlaps original 192.168.1.0/24 of remoteSubnetNAT[0]");
  }

  @Test
  void remoteListIsOneToOneAndInsideRemoteSubnets() {
    assertOneProblem(validate(List.of(), rules("10.1.1.0/24=172.20.1.1/32")),
        NatProblem.REMOTE, 0, "only 1:1");
    assertOneProblem(validate(List.of(), rules("10.9.1.0/24=172.20.1.0/24")),
        NatProblem.REMOTE, 0, "not inside any remote.subnet");
  }

  @Test
  void everyProblemIsReportedInListOrder() {
    List<NatProblem> problems = validate(
        rules("10.171.42.0/24=172.30.5.0/24", "10.171.42.0/24=10.10.10.0/24"),
        rules("10.1.1.0/24=172.20.1.1/32"));
    assertEquals(List.of(NatProblem.LOCAL, NatProblem.LOCAL, NatProblem.REMOTE),
        problems.stream().map(NatProblem::list).toList(), problems.toString());
    assertEquals(List.of(0, 1, 0), problems.stream().map(NatProblem::index).toList());
    assertTrue(problems.getFirst().toString().startsWith("localSubnetNAT[0] 10.171.42.0/24="));
  }

  @Test
  void mismatchedPrefixLengthsFailInTheRuleItself() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NatRule.parse("10.171.42.0/24=10.10.10.0/25"));
    assertTrue(e.getMessage().contains("prefix lengths differ"), e.getMessage());
  }
}
