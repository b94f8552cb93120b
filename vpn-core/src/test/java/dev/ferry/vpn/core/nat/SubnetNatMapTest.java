package dev.ferry.vpn.core.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class SubnetNatMapTest {

  private static IpAddress ip(String text) {
    return IpAddress.parse(text);
  }

  /**
   * Rules with disjoint originals inside 10.0.0.0/8 and disjoint mapped prefixes inside
   * 172.16.0.0/12, one per slot, all of length {@code length}.
   */
  static List<NatRule> disjointRules(int length, List<Integer> originalSlots,
      List<Integer> mappedSlots) {
    List<NatRule> rules = new ArrayList<>();
    int hostBits = 32 - length;
    for (int i = 0; i < Math.min(originalSlots.size(), mappedSlots.size()); i++) {
      long origSlot = Integer.toUnsignedLong(originalSlots.get(i)) % (1L << (length - 8));
      long mapSlot = Integer.toUnsignedLong(mappedSlots.get(i)) % (1L << (length - 12));
      int original = 0x0A00_0000 | (int) (origSlot << hostBits);
      int mapped = 0xAC10_0000 | (int) (mapSlot << hostBits);
      rules.add(new NatRule(new IpPrefix(Ipv4Address.of(original), length),
          new IpPrefix(Ipv4Address.of(mapped), length)));
    }
    return rules;
  }

  @Test
  void chartExampleOneToOneKeepsHostBits() {
    SubnetNatMap map = SubnetNatMap.of(List.of(NatRule.parse("10.171.42.0/24=10.10.10.0/24")));
    assertEquals(Optional.of(ip("10.10.10.77")), map.toMapped(ip("10.171.42.77")));
    assertEquals(Optional.of(ip("10.171.42.255")), map.toOriginal(ip("10.10.10.255")));
    assertEquals(Optional.empty(), map.toMapped(ip("10.171.43.1")));
    assertEquals(Optional.empty(), map.toOriginal(ip("10.171.42.1")));
  }

  @Test
  void seedsBidirectionalExampleAndHostMaps() {
    SubnetNatMap map = SubnetNatMap.of(List.of(
        NatRule.parse("10.0.1.0/24=192.168.1.0/24"),
        NatRule.parse("10.171.42.17/32=10.10.10.2/32"),
        NatRule.parse("10.171.42.29/32=10.10.10.3/32"),
        NatRule.parse("2001:db8:1::5/128=fd00::5/128"),
        NatRule.parse("2001:db8:2::/64=fd00:2::/64")));
    assertEquals(Optional.of(ip("192.168.1.9")), map.toMapped(ip("10.0.1.9")));
    assertEquals(Optional.of(ip("10.10.10.3")), map.toMapped(ip("10.171.42.29")));
    assertEquals(Optional.empty(), map.toMapped(ip("10.171.42.30")));
    assertEquals(Optional.of(ip("fd00::5")), map.toMapped(ip("2001:db8:1::5")));
    assertEquals(Optional.empty(), map.toMapped(ip("2001:db8:1::6")));
    assertEquals(Optional.of(ip("2001:db8:2::abcd")), map.toOriginal(ip("fd00:2::abcd")));
    assertTrue(map.hasIpv4() && map.hasIpv6());
  }

  @Test
  void refusesWhatIsNotABijection() {
    NatRule a = NatRule.parse("10.1.0.0/24=172.16.0.0/24");
    IllegalArgumentException overlapOriginal = assertThrows(IllegalArgumentException.class,
        () -> SubnetNatMap.of(List.of(a, NatRule.parse("10.1.0.128/25=172.17.0.0/25"))));
    assertTrue(overlapOriginal.getMessage().contains("overlapping originals"),
        overlapOriginal.getMessage());
    IllegalArgumentException overlapMapped = assertThrows(IllegalArgumentException.class,
        () -> SubnetNatMap.of(List.of(a, NatRule.parse("10.2.0.5/32=172.16.0.9/32"))));
    assertTrue(overlapMapped.getMessage().contains("overlapping mapped"),
        overlapMapped.getMessage());
    IllegalArgumentException manyToOne = assertThrows(IllegalArgumentException.class,
        () -> SubnetNatMap.of(List.of(NatRule.parse("10.1.0.0/24=192.168.168.100/32"))));
    assertTrue(manyToOne.getMessage().contains("many-to-one"), manyToOne.getMessage());
  }

  @Property
  void oneToOneIsABijectionKeepingHostBits(
      @ForAll @IntRange(min = 12, max = 32) int length,
      @ForAll @Size(min = 1, max = 20) @UniqueElements List<@IntRange(min = 0) Integer> slots,
      @ForAll int hostSeed,
      @ForAll @IntRange(min = 0, max = 19) int pick) {
    List<NatRule> rules = disjointRules(length, slots, slots.reversed());
    rules = List.copyOf(Set.copyOf(rules)); // slots modulo the space may repeat
    SubnetNatMap map;
    try {
      map = SubnetNatMap.of(rules);
    } catch (IllegalArgumentException clash) {
      return; // two slots folded onto one prefix: not a map this property is about
    }
    NatRule rule = rules.get(pick % rules.size());
    int hostMask = ~Ipv4Address.maskBits(length);
    int inside = ((Ipv4Address) rule.original().network()).bits() | (hostSeed & hostMask);
    long mapped = map.toMappedV4(inside);
    assertTrue(mapped != SubnetNatMap.NO_MAPPING);
    assertTrue(rule.mapped().contains(Ipv4Address.of((int) mapped)));
    assertEquals(inside & hostMask, (int) mapped & hostMask, "host bits kept");
    assertEquals(Integer.toUnsignedLong(inside), map.toOriginalV4((int) mapped));
    assertEquals(Optional.of(Ipv4Address.of(inside)),
        map.toMapped(Ipv4Address.of(inside)).flatMap(map::toOriginal));
  }

  @Property
  void lookupAgreesWithALinearScan(
      @ForAll @IntRange(min = 20, max = 32) int length,
      @ForAll @Size(min = 1, max = 300) @UniqueElements List<@IntRange(min = 0) Integer> slots,
      @ForAll int address) {
    List<NatRule> rules = disjointRules(length, slots, slots);
    SubnetNatMap map;
    try {
      map = SubnetNatMap.of(rules);
    } catch (IllegalArgumentException clash) {
      return;
    }
    // Aim half of the probes into the 10/8 block where the rules live.
    int probe = address < 0 ? 0x0A00_0000 | (address & 0x00FF_FFFF) : address;
    Optional<IpAddress> expected = Optional.empty();
    for (NatRule rule : rules) {
      if (rule.original().contains(Ipv4Address.of(probe))) {
        expected = Optional.of(rule.original().translate(Ipv4Address.of(probe), rule.mapped()));
      }
    }
    assertEquals(expected, map.toMapped(Ipv4Address.of(probe)));
  }

  @Property
  void ipv6BijectionKeepsHostBits(
      @ForAll @IntRange(min = 16, max = 128) int length,
      @ForAll long high,
      @ForAll long low,
      @ForAll long mappedHigh) {
    Ipv6Address inside = Ipv6Address.of(high, low);
    IpPrefix original = IpPrefix.containing(inside, length);
    IpPrefix mapped = IpPrefix.containing(Ipv6Address.of(mappedHigh, 0), length);
    SubnetNatMap map = SubnetNatMap.of(List.of(new NatRule(original, mapped)));
    IpAddress out = map.toMapped(inside).orElseThrow();
    assertTrue(mapped.contains(out));
    assertEquals(inside.mask(length), original.network());
    assertEquals(inside, out.withNetworkBits(original.network(), length), "host bits kept");
    assertEquals(Optional.of(inside), map.toOriginal(out));
  }
}
