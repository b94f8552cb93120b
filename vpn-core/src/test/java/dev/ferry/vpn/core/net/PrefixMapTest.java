package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PrefixMapTest {

  @Provide
  Arbitrary<IpPrefix> clustered() {
    return NetArbitraries.clusteredPrefix();
  }

  @Provide
  Arbitrary<IpAddress> probe() {
    return NetArbitraries.clusteredAddress();
  }

  /** The obvious answer: scan every prefix, keep the longest that contains the address. */
  private static <V> PrefixMap.Entry<V> linearScan(Map<IpPrefix, V> table, IpAddress address) {
    PrefixMap.Entry<V> best = null;
    for (Map.Entry<IpPrefix, V> e : table.entrySet()) {
      if (e.getKey().contains(address)
          && (best == null || e.getKey().prefixLength() > best.prefix().prefixLength())) {
        best = new PrefixMap.Entry<>(e.getKey(), e.getValue());
      }
    }
    return best;
  }

  private static Map<IpPrefix, Integer> numbered(List<IpPrefix> prefixes) {
    Map<IpPrefix, Integer> table = new HashMap<>();
    for (IpPrefix p : prefixes) {
      table.put(p, table.size());
    }
    return table;
  }

  private static <V> void assertMatchesOracle(
      PrefixMap<V> map, Map<IpPrefix, V> table, IpAddress probe) {
    PrefixMap.Entry<V> expected = linearScan(table, probe);
    assertEquals(expected, map.longestMatchEntry(probe), probe.toString());
    V value = expected == null ? null : expected.value();
    assertEquals(value, map.longestMatch(probe), probe.toString());
    switch (probe) {
      case Ipv4Address a -> assertEquals(value, map.longestMatchIpv4(a.bits()));
      case Ipv6Address a -> assertEquals(value, map.longestMatchIpv6(a.high(), a.low()));
    }
  }

  @Property(tries = 300) // each try probes every prefix boundary
  void longestMatchEqualsLinearScan(
      @ForAll @Size(max = 40) List<@From("clustered") IpPrefix> prefixes,
      @ForAll @Size(max = 20) List<@From("probe") IpAddress> randomProbes) {
    Map<IpPrefix, Integer> table = numbered(prefixes);
    PrefixMap<Integer> map = PrefixMap.copyOf(table);
    List<IpAddress> probes = new ArrayList<>(randomProbes);
    // Inside every prefix at both ends, and just outside: where an interval table goes wrong.
    probes.addAll(PrefixesTest.boundaryProbes(table.keySet()));
    for (IpAddress probe : probes) {
      assertMatchesOracle(map, table, probe);
    }
    for (Map.Entry<IpPrefix, Integer> e : table.entrySet()) {
      assertEquals(e.getValue(), map.get(e.getKey()));
    }
    assertEquals(table.size(), map.size());
  }

  @Test
  void largeRandomTablesOfBothFamiliesMatchTheScan() {
    Random random = new Random(20261121);
    Map<IpPrefix, Integer> table = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      int length4 = 8 + random.nextInt(25);
      table.put(IpPrefix.containing(new Ipv4Address(random.nextInt()), length4), i);
      int length6 = random.nextInt(129);
      table.put(IpPrefix.containing(new Ipv6Address(randomHigh(random), random.nextLong()),
          length6), i);
    }
    table.put(IpPrefix.parse("0.0.0.0/0"), -4);
    PrefixMap<Integer> map = PrefixMap.copyOf(table);
    for (int i = 0; i < 3000; i++) {
      assertMatchesOracle(map, table, new Ipv4Address(random.nextInt()));
      assertMatchesOracle(map, table, new Ipv6Address(randomHigh(random), random.nextLong()));
    }
    for (IpPrefix p : table.keySet().stream().limit(500).toList()) {
      assertMatchesOracle(map, table, p.first());
      assertMatchesOracle(map, table, p.last());
    }
  }

  /** Mostly a few shared high words (prefixes nest), sometimes anywhere in the word. */
  private static long randomHigh(Random random) {
    return random.nextInt(4) == 0 ? random.nextLong() : random.nextLong() >>> 60;
  }

  @Test
  void ipv6EdgesOfTheSpace() {
    PrefixMap<String> map = PrefixMap.<String>builder()
        .put(IpPrefix.parse("::1/128"), "loopback")
        .put(IpPrefix.parse("ffff:ffff:ffff:ffff::/64"), "top")
        .put(IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), "max")
        .build();
    assertNull(map.longestMatchIpv6(0, 0));
    assertEquals("loopback", map.longestMatchIpv6(0, 1));
    assertNull(map.longestMatchIpv6(0, 2));
    assertNull(map.longestMatchIpv6(-2, -1));
    assertEquals("top", map.longestMatchIpv6(-1, 0));
    assertEquals("top", map.longestMatchIpv6(-1, -2));
    assertEquals("max", map.longestMatchIpv6(-1, -1));
  }

  @Test
  void nestedPrefixesAndSharedEnds() {
    PrefixMap<String> map = PrefixMap.<String>builder()
        .put(IpPrefix.parse("10.0.0.0/8"), "ten")
        .put(IpPrefix.parse("10.0.0.0/16"), "ten-zero")
        .put(IpPrefix.parse("10.0.255.0/24"), "ten-zero-top")
        .put(IpPrefix.parse("10.0.255.255/32"), "last-host")
        .put(IpPrefix.parse("255.255.255.255/32"), "broadcast")
        .put(IpPrefix.parse("::/0"), "v6-default")
        .put(IpPrefix.parse("2001:db8::/64"), "doc")
        .put(IpPrefix.parse("2001:db8::8000:0:0:0/65"), "doc-upper")
        .build();
    assertEquals("ten-zero", map.longestMatch(IpAddress.parse("10.0.0.1")));
    assertEquals("ten-zero-top", map.longestMatch(IpAddress.parse("10.0.255.254")));
    assertEquals("last-host", map.longestMatch(IpAddress.parse("10.0.255.255")));
    assertEquals("ten", map.longestMatch(IpAddress.parse("10.1.0.0")));
    assertEquals("ten", map.longestMatch(IpAddress.parse("10.255.255.255")));
    assertNull(map.longestMatch(IpAddress.parse("11.0.0.0")));
    assertNull(map.longestMatch(IpAddress.parse("9.255.255.255")));
    assertEquals("broadcast", map.longestMatchIpv4(-1));
    assertNull(map.longestMatchIpv4(-2));
    assertEquals("doc", map.longestMatch(IpAddress.parse("2001:db8::7fff:ffff:ffff:ffff")));
    assertEquals("doc-upper", map.longestMatch(IpAddress.parse("2001:db8::8000:0:0:0")));
    assertEquals("doc-upper", map.longestMatch(IpAddress.parse("2001:db8::ffff:ffff:ffff:ffff")));
    assertEquals("v6-default", map.longestMatch(IpAddress.parse("2001:db8:0:1::")));
    // An IPv4-mapped IPv6 address is looked up as IPv6.
    assertEquals("v6-default", map.longestMatch(IpAddress.parse("::ffff:10.0.0.1")));
    assertEquals(IpPrefix.parse("10.0.255.0/24"),
        map.longestMatchEntry(IpAddress.parse("10.0.255.1")).prefix());
  }

  @Test
  void emptyMapMatchesNothing() {
    PrefixMap<String> empty = PrefixMap.of();
    assertNull(empty.longestMatch(Ipv4Address.ZERO));
    assertNull(empty.longestMatchIpv6(-1, -1));
    assertNull(empty.get(IpPrefix.parse("::/0")));
    assertEquals(0, empty.size());
    assertTrue(empty.isEmpty());
  }

  @Test
  void withAndWithoutReturnNewMapsAndLeaveTheOriginal() {
    PrefixMap<String> base = PrefixMap.<String>builder()
        .put(IpPrefix.parse("192.0.2.0/24"), "a").build();
    PrefixMap<String> more = base.with(IpPrefix.parse("192.0.2.128/25"), "b");
    assertEquals("a", base.longestMatch(IpAddress.parse("192.0.2.200")));
    assertEquals("b", more.longestMatch(IpAddress.parse("192.0.2.200")));
    PrefixMap<String> replaced = more.with(IpPrefix.parse("192.0.2.0/24"), "c");
    assertEquals("c", replaced.get(IpPrefix.parse("192.0.2.0/24")));
    assertEquals(2, replaced.size());
    PrefixMap<String> back = more.without(IpPrefix.parse("192.0.2.128/25"));
    assertEquals(base, back);
    assertEquals(base.hashCode(), back.hashCode());
    assertNotEquals(base, more);
    assertSame(base, base.without(IpPrefix.parse("10.0.0.0/8")));
    assertEquals(List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("192.0.2.128/25")),
        more.entries().stream().map(PrefixMap.Entry::prefix).toList());
    assertEquals("PrefixMap[2 prefixes]", more.toString());
  }

  @Test
  void refusesNulls() {
    PrefixMap.Builder<String> builder = PrefixMap.builder();
    IpPrefix p = IpPrefix.parse("10.0.0.0/8");
    assertThrows(NullPointerException.class, () -> builder.put(p, null));
    assertThrows(NullPointerException.class, () -> builder.put(null, "x"));
    assertThrows(NullPointerException.class, () -> PrefixMap.of().get(null));
  }
}
