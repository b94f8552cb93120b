package dev.ferry.vpn.ike.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.IpRange;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.net.TrafficSelector;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TrafficSelectorNarrowingTest {

  private static TrafficSelector ts(String prefix) {
    return TrafficSelector.of(IpPrefix.parse(prefix));
  }

  @Test
  void narrowsSeveralSubnetsPerSideInBothFamilies() {
    List<TrafficSelector> offered = List.of(ts("10.0.0.0/16"), ts("172.16.0.0/24"),
        ts("fd00::/48"));
    List<TrafficSelector> acceptable = List.of(ts("10.0.1.0/24"), ts("10.0.2.0/24"),
        ts("fd00:0:0:5::/64"), ts("192.168.0.0/24"));
    assertEquals(List.of(ts("10.0.1.0/24"), ts("10.0.2.0/24"), ts("fd00:0:0:5::/64")),
        TrafficSelectorNarrowing.narrow(offered, acceptable));
  }

  @Test
  void disjointSelectorsGiveNothing_whichIsTsUnacceptable() {
    assertEquals(List.of(), TrafficSelectorNarrowing.narrow(
        List.of(ts("10.0.0.0/24")), List.of(ts("10.1.0.0/24"), ts("fd00::/64"))));
  }

  @Test
  void isNarrowingOf_refusesWideningAndEmptyAnswers() {
    assertTrue(TrafficSelectorNarrowing.isNarrowingOf(List.of(ts("10.0.1.0/24")),
        List.of(ts("10.0.0.0/16"))));
    assertFalse(TrafficSelectorNarrowing.isNarrowingOf(List.of(ts("10.0.0.0/8")),
        List.of(ts("10.0.0.0/16"))));
    assertFalse(TrafficSelectorNarrowing.isNarrowingOf(List.of(), List.of(ts("10.0.0.0/16"))));
  }

  @Property
  void narrowedSelectorsLieInsideBothSides(
      @ForAll("selectorLists") List<TrafficSelector> offered,
      @ForAll("selectorLists") List<TrafficSelector> acceptable) {
    List<TrafficSelector> narrowed = TrafficSelectorNarrowing.narrow(offered, acceptable);
    for (TrafficSelector n : narrowed) {
      assertTrue(offered.stream().anyMatch(n::isSubsetOf), n + " inside an offered selector");
      assertTrue(acceptable.stream().anyMatch(n::isSubsetOf), n + " inside an acceptable one");
    }
    if (!narrowed.isEmpty()) {
      assertTrue(TrafficSelectorNarrowing.isNarrowingOf(narrowed, offered));
    }
  }

  @Property
  void narrowingMatchesExactlyThePacketsBothSidesMatch(
      @ForAll("selectorLists") List<TrafficSelector> offered,
      @ForAll("selectorLists") List<TrafficSelector> acceptable,
      @ForAll("packets") List<Object> packet) {
    IpAddress address = (IpAddress) packet.get(0);
    int protocol = (Integer) packet.get(1);
    int port = (Integer) packet.get(2);
    boolean both = offered.stream().anyMatch(t -> t.matches(address, protocol, port))
        && acceptable.stream().anyMatch(t -> t.matches(address, protocol, port));
    boolean narrowed = TrafficSelectorNarrowing.narrow(offered, acceptable).stream()
        .anyMatch(t -> t.matches(address, protocol, port));
    assertEquals(both, narrowed, address + " proto " + protocol + " port " + port);
  }

  @Provide
  Arbitrary<List<TrafficSelector>> selectorLists() {
    return selector().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Object>> packets() {
    return Combinators.combine(address(), Arbitraries.of(1, 6, 17), Arbitraries.integers()
        .between(0, 70)).as(List::of);
  }

  /** Addresses from two small spaces (10.0.0.0/26 and fd00::/122) so selectors overlap often. */
  private static Arbitrary<IpAddress> address() {
    return Arbitraries.integers().between(0, 127).map(i -> i < 64
        ? new Ipv4Address(0x0a000000 | i)
        : new Ipv6Address(0xfd00L << 48, i - 64));
  }

  private static Arbitrary<TrafficSelector> selector() {
    Arbitrary<IpRange> range = Combinators.combine(address(), Arbitraries.integers().between(0, 6))
        .as((a, hostBits) -> IpRange.of(IpPrefix.containing(a, a.bitLength() - hostBits)));
    Arbitrary<int[]> ports = Arbitraries.integers().between(0, 70).list().ofSize(2)
        .map(l -> new int[] {Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))});
    return Combinators.combine(range, Arbitraries.of(0, 6, 17), ports, Arbitraries.of(true, false))
        .as((r, proto, p, anyPort) -> anyPort
            ? new TrafficSelector(r, proto, 0, 65535)
            : new TrafficSelector(r, proto, p[0], p[1]));
  }
}
