package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

  @Provide
  Arbitrary<IpPrefix> prefix() {
    return NetArbitraries.prefix();
  }

  @Provide
  Arbitrary<IpPrefix> clustered() {
    return NetArbitraries.clusteredPrefix();
  }

  @Provide
  Arbitrary<IpAddress> address() {
    return NetArbitraries.address();
  }

  @Property
  void textRoundTrips(@ForAll("prefix") IpPrefix p) {
    assertEquals(p, IpPrefix.parse(p.toString()));
    assertEquals(p, IpPrefix.parseLenient(p.toString()));
  }

  @Property
  void strictParseNamesTheHostBits(
      @ForAll("address") IpAddress a, @ForAll @IntRange(min = 0, max = 128) int rawLength) {
    int length = rawLength % (a.bitLength() + 1);
    IpAddress network = a.mask(length);
    Assume.that(!network.equals(a));
    String text = a + "/" + length;
    AddressFormatException e =
        assertThrows(AddressFormatException.class, () -> IpPrefix.parse(text));
    IpAddress hostBits = a.withNetworkBits(IpAddress.zero(a.family()), length);
    assertTrue(e.getMessage().contains("host bits " + hostBits + " "), e.getMessage());
    assertTrue(e.getMessage().contains(network + "/" + length), e.getMessage());
    assertEquals(new IpPrefix(network, length), IpPrefix.parseLenient(text));
  }

  @Test
  void strictParseMessageExample() {
    AddressFormatException e =
        assertThrows(AddressFormatException.class, () -> IpPrefix.parse("10.1.2.3/8"));
    assertEquals("host bits 0.1.2.3 are set after /8 (did you mean 10.0.0.0/8?)", e.reason());
    IllegalArgumentException c =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IpPrefix(Ipv6Address.parse("2001:db8::1"), 64));
    assertTrue(c.getMessage().contains("host bits ::1 set"), c.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0/0, 0.0.0.0/0",
    "::/0, ::/0",
    "192.0.2.7, 192.0.2.7/32",
    "2001:DB8::/32, 2001:db8::/32",
    "::ffff:10.0.0.0/104, ::ffff:10.0.0.0/104",
    "255.255.255.255/32, 255.255.255.255/32",
  })
  void parsesAndCanonicalises(String input, String canonical) {
    assertEquals(canonical, IpPrefix.parse(input).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "10.0.0.0/08", "10.0.0.0/33", "::/129", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/-1",
    "10.0.0.0/ 8", "10.0.0.0/+8", "10.0.0.0/1000", "fe80::/10%eth0", "10.0.0.0 /8"
  })
  void rejectsMalformedPrefixes(String input) {
    assertThrows(AddressFormatException.class, () -> IpPrefix.parse(input));
    assertThrows(AddressFormatException.class, () -> IpPrefix.parseLenient(input));
  }

  @Property
  void firstAndLastAreInsideAndBoundTheSize(@ForAll("prefix") IpPrefix p) {
    assertTrue(p.contains(p.first()));
    assertTrue(p.contains(p.last()));
    assertEquals(
        p.size(), p.last().toBigInteger().subtract(p.first().toBigInteger()).add(BigInteger.ONE));
    assertEquals(p.size().bitLength() > 63 ? Long.MAX_VALUE : p.size().longValueExact(),
        p.sizeSaturated());
    assertTrue(p.contains(p));
  }

  @Property
  void containsMatchesAddressArithmetic(@ForAll("clustered") IpPrefix p, @ForAll("clustered") IpPrefix q) {
    boolean expected = p.family() == q.family()
        && p.first().compareTo(q.first()) <= 0
        && q.last().compareTo(p.last()) <= 0;
    assertEquals(expected, p.contains(q));
    assertEquals(p.contains(q.first()) && p.contains(q.last()), p.contains(q));
  }

  @Property
  void overlapIsSymmetricAndImpliedByContainment(
      @ForAll("clustered") IpPrefix p, @ForAll("clustered") IpPrefix q) {
    assertEquals(p.overlaps(q), q.overlaps(p));
    if (p.contains(q)) {
      assertTrue(p.overlaps(q));
    }
    // Prefixes overlap exactly when their ranges share an address.
    assertEquals(IpRange.of(p).overlaps(IpRange.of(q)), p.overlaps(q));
  }

  @Property
  void containmentIsTransitive(
      @ForAll("clustered") IpPrefix a, @ForAll("clustered") IpPrefix b, @ForAll("clustered") IpPrefix c) {
    // Shorten a and b so that the premise holds often enough to mean something.
    IpPrefix outer = IpPrefix.containing(c.network(), Math.min(a.prefixLength(), c.prefixLength()));
    IpPrefix middle = IpPrefix.containing(c.network(), Math.max(outer.prefixLength(),
        Math.min(b.prefixLength(), c.prefixLength())));
    assertTrue(outer.contains(middle) && middle.contains(c));
    assertTrue(outer.contains(c));
    if (a.contains(b) && b.contains(c)) {
      assertTrue(a.contains(c));
    }
  }

  @Property
  void containingMasksAndTranslatePreservesTheOffset(
      @ForAll("address") IpAddress a, @ForAll @IntRange(min = 0, max = 128) int rawLength) {
    int length = rawLength % (a.bitLength() + 1);
    IpPrefix p = IpPrefix.containing(a, length);
    assertTrue(p.contains(a));
    IpPrefix target = IpPrefix.containing(IpAddress.zero(a.family()).fillHostBits(0), length);
    IpAddress moved = p.translate(a, target);
    assertTrue(target.contains(moved));
    assertEquals(a.toBigInteger().subtract(p.first().toBigInteger()),
        moved.toBigInteger().subtract(target.first().toBigInteger()));
  }

  @Test
  void mixedFamiliesNeverContainOrOverlap() {
    IpPrefix v4all = IpPrefix.parse("0.0.0.0/0");
    IpPrefix v6all = IpPrefix.parse("::/0");
    assertFalse(v4all.overlaps(v6all));
    assertFalse(v6all.contains(Ipv4Address.ZERO));
    IpAddress mapped = IpAddress.parse("::ffff:1.2.3.4");
    assertTrue(v6all.contains(mapped));
    assertFalse(v4all.contains(mapped)); // an IPv4-mapped address is an IPv6 value
  }

  @Test
  void addressOffsetsStayInside() {
    IpPrefix p = IpPrefix.parse("192.0.2.0/30");
    assertEquals(IpAddress.parse("192.0.2.3"), p.address(3));
    assertThrows(IllegalArgumentException.class, () -> p.address(4));
    assertThrows(IllegalArgumentException.class, () -> p.address(-1));
    assertEquals(
        IpAddress.parse("2001:db8::7fff:ffff:ffff:ffff"),
        IpPrefix.parse("2001:db8::/64").address(Long.MAX_VALUE));
    assertEquals(IpAddress.parse("::5"), IpPrefix.parse("::/0").address(5));
  }
}
