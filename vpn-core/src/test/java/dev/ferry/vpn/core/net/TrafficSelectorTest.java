package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TrafficSelectorTest {

  @Provide
  Arbitrary<TrafficSelector> selectors() {
    Arbitrary<Integer> a = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> b = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> protocol = Arbitraries.of(0, 0, 6, 17, 1);
    Arbitrary<Integer> p1 = Arbitraries.integers().between(0, 65535);
    Arbitrary<Integer> p2 = Arbitraries.integers().between(0, 65535);
    return Combinators.combine(a, b, protocol, p1, p2).as((x, y, proto, q1, q2) ->
        new TrafficSelector(
            new IpRange(Ipv4Address.of(10, 0, 0, Math.min(x, y)), Ipv4Address.of(10, 0, 0, Math.max(x, y))),
            proto, Math.min(q1, q2), Math.max(q1, q2)));
  }

  /** Exhaustive over the small universe the generator uses: 10.0.0.x, 3 protocols, sampled ports. */
  @Property(tries = 300)
  void intersectionMatchesExactlyThePacketsBothMatch(
      @ForAll("selectors") TrafficSelector s, @ForAll("selectors") TrafficSelector t,
      @ForAll int seed) {
    Optional<TrafficSelector> both = s.intersect(t);
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < 200; i++) {
      IpAddress address = Ipv4Address.of(10, 0, 0, random.nextInt(256));
      int protocol = new int[] {6, 17, 1}[random.nextInt(3)];
      int port = random.nextInt(4) == 0 ? s.startPort() : random.nextInt(65536);
      boolean expected = s.matches(address, protocol, port) && t.matches(address, protocol, port);
      assertEquals(expected, both.map(x -> x.matches(address, protocol, port)).orElse(false),
          s + " & " + t + " at " + address + " " + protocol + "/" + port);
    }
    both.ifPresent(x -> {
      assertTrue(x.isSubsetOf(s));
      assertTrue(x.isSubsetOf(t));
    });
  }

  @Test
  void narrowingASubnetToAHostRange() {
    TrafficSelector proposed = TrafficSelector.of(IpPrefix.parse("10.0.0.0/16"));
    TrafficSelector allowed = TrafficSelector.of(IpPrefix.parse("10.0.1.0/24"));
    assertEquals(Optional.of(allowed), proposed.intersect(allowed));
    assertEquals("10.0.1.0/24", allowed.toString());
    assertTrue(TrafficSelector.of(IpPrefix.parse("10.0.0.0/16")).isAnyProtocolAndPort());
  }

  @Test
  void differentFamiliesOrProtocolsShareNothing() {
    TrafficSelector v4 = TrafficSelector.of(IpPrefix.parse("0.0.0.0/0"));
    TrafficSelector v6 = TrafficSelector.of(IpPrefix.parse("::/0"));
    assertEquals(Optional.empty(), v4.intersect(v6));
    TrafficSelector tcp = new TrafficSelector(IpRange.all(IpFamily.IPV4), 6, 0, 65535);
    TrafficSelector udp = new TrafficSelector(IpRange.all(IpFamily.IPV4), 17, 0, 65535);
    assertEquals(Optional.empty(), tcp.intersect(udp));
    assertFalse(tcp.isSubsetOf(udp));
    assertEquals("0.0.0.0/0[6 0-65535]", tcp.toString());
  }

  @Test
  void refusesBadFields() {
    IpRange all = IpRange.all(IpFamily.IPV4);
    assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(all, 256, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(all, 6, 10, 9));
    assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(all, 6, 0, 65536));
  }
}
