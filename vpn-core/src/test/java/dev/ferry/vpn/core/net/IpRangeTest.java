package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  /** Ranges whose ends are clustered addresses of one family, so ranges overlap often. */
  @Provide
  Arbitrary<IpRange> range() {
    Arbitrary<IpRange> v4 =
        Combinators.combine(NetArbitraries.clusteredIpv4Prefix(), NetArbitraries.clusteredIpv4Prefix())
            .as((a, b) -> ordered(a.first(), b.last()));
    Arbitrary<IpRange> v6 =
        Combinators.combine(NetArbitraries.clusteredIpv6Prefix(), NetArbitraries.clusteredIpv6Prefix())
            .as((a, b) -> ordered(a.last(), b.first()));
    Arbitrary<IpRange> wide =
        Combinators.combine(NetArbitraries.address(), NetArbitraries.address())
            .filter((a, b) -> a.family() == b.family())
            .as(IpRangeTest::ordered);
    return Arbitraries.oneOf(v4, v6, wide);
  }

  private static IpRange ordered(IpAddress a, IpAddress b) {
    return a.compareTo(b) <= 0 ? new IpRange(a, b) : new IpRange(b, a);
  }

  @Property
  void toPrefixesIsAnExactMinimalCover(@ForAll("range") IpRange range) {
    List<IpPrefix> cover = range.toPrefixes();
    assertEquals(range.first(), cover.getFirst().first());
    assertEquals(range.last(), cover.getLast().last());
    for (int i = 1; i < cover.size(); i++) {
      // Contiguous: no gap and no overlap between neighbours.
      assertEquals(cover.get(i - 1).last().plus(1), cover.get(i).first());
    }
    // The aggregate of a set is its unique smallest prefix cover, so equality proves minimality.
    assertEquals(cover, Prefixes.aggregate(cover));
    assertTrue(cover.size() <= 2 * (range.first().bitLength() - 1) || cover.size() == 1);
    assertEquals(range.size(), Prefixes.addressCount(cover));
    assertEquals(cover.size() == 1, range.isPrefix());
  }

  @Property
  void rangeOfPrefixGivesThePrefixBack(@ForAll("prefix") IpPrefix p) {
    IpRange r = IpRange.of(p);
    assertEquals(List.of(p), r.toPrefixes());
    assertEquals(p.size(), r.size());
    assertTrue(r.contains(p));
  }

  @Provide
  Arbitrary<IpPrefix> prefix() {
    return NetArbitraries.prefix();
  }

  @Property
  void containsAndOverlapsAgreeWithArithmetic(
      @ForAll("range") IpRange a, @ForAll("range") IpRange b) {
    boolean sameFamily = a.family() == b.family();
    BigInteger af = a.first().toBigInteger();
    BigInteger al = a.last().toBigInteger();
    BigInteger bf = b.first().toBigInteger();
    BigInteger bl = b.last().toBigInteger();
    assertEquals(sameFamily && af.compareTo(bf) <= 0 && bl.compareTo(al) <= 0, a.contains(b));
    assertEquals(sameFamily && af.max(bf).compareTo(al.min(bl)) <= 0, a.overlaps(b));
    assertEquals(a.overlaps(b), b.overlaps(a));
    assertEquals(sameFamily && a.contains(b.first()), a.contains(b.first()));
    assertTrue(a.contains(a.first()) && a.contains(a.last()));
  }

  @Property
  void textRoundTrips(@ForAll("range") IpRange r) {
    assertEquals(r, IpRange.parse(r.toString()));
  }

  @Test
  void ikeStyleRangeExamples() {
    assertEquals(prefixes("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"),
        IpRange.parse("10.0.0.1-10.0.0.6").toPrefixes());
    assertEquals(prefixes("0.0.0.0/0"), IpRange.parse("0.0.0.0-255.255.255.255").toPrefixes());
    assertEquals(prefixes("::/0"), IpRange.all(IpFamily.IPV6).toPrefixes());
    assertEquals(prefixes("255.255.255.255/32"), IpRange.parse("255.255.255.255").toPrefixes());
    assertEquals(62, IpRange.parse("0.0.0.1-255.255.255.254").toPrefixes().size());
    assertEquals(IpRange.of(IpPrefix.parse("192.0.2.0/24")), IpRange.parse("192.0.2.0/24"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.9-10.0.0.1", "10.0.0.1-::1", "10.0.0.1-", "-10.0.0.1",
    "10.0.0.1 - 10.0.0.2", "10.0.0.1-10.0.0.2-10.0.0.3"})
  void rejectsMalformedRanges(String text) {
    assertThrows(AddressFormatException.class, () -> IpRange.parse(text));
  }

  @Test
  void constructorRefusesBackwardsAndMixedRanges() {
    IpAddress one = IpAddress.parse("10.0.0.1");
    IpAddress two = IpAddress.parse("10.0.0.2");
    assertThrows(IllegalArgumentException.class, () -> new IpRange(two, one));
    assertThrows(IllegalArgumentException.class, () -> new IpRange(one, IpAddress.parse("::2")));
    assertFalse(new IpRange(one, two).contains(IpAddress.parse("::ffff:10.0.0.1")));
  }

  private static List<IpPrefix> prefixes(String... texts) {
    return Arrays.stream(texts).map(IpPrefix::parse).toList();
  }
}
