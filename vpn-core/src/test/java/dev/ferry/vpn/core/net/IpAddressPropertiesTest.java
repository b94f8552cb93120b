package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5952 text, parse edge cases, and address arithmetic checked against BigInteger. */
class IpAddressPropertiesTest {

  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

  @Provide
  Arbitrary<Ipv6Address> ipv6() {
    return NetArbitraries.ipv6();
  }

  @Provide
  Arbitrary<IpAddress> address() {
    return NetArbitraries.address();
  }

  @Property
  void ipv6TextRoundTripsAndIsCanonical(@ForAll("ipv6") Ipv6Address a) {
    String text = a.toString();
    assertEquals(a, Ipv6Address.parse(text));
    assertEquals(a, Ipv6Address.parse(text.toUpperCase()));
    if (!a.isIpv4Mapped()) {
      assertEquals(rfc5952Oracle(a), text);
    }
  }

  /**
   * RFC 5952 section 4 spelled out independently: lower-case hex without leading zeros (4.1, 4.3),
   * the longest run of at least two zero groups becomes "::" (4.2.1, 4.2.2), the first on a tie
   * (4.2.3).
   */
  private static String rfc5952Oracle(Ipv6Address a) {
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < 8; g++) {
      long word = g < 4 ? a.high() : a.low();
      groups.add(Integer.toHexString((int) (word >>> (48 - 16 * (g % 4))) & 0xffff));
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int start = 0; start < 8; start++) {
      int length = 0;
      while (start + length < 8 && groups.get(start + length).equals("0")) {
        length++;
      }
      if (length >= 2 && length > bestLength) {
        bestStart = start;
        bestLength = length;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    return String.join(":", groups.subList(0, bestStart)) + "::"
        + String.join(":", groups.subList(bestStart + bestLength, 8));
  }

  @ParameterizedTest
  @CsvSource({
    // RFC 5952 section 4 examples and variations
    "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
    "2001:db8:0000:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "0:0:0:0:0:0:0:1, ::1",
    "1:0:0:0:0:0:0:0, 1::",
    "0:1:0:1:0:1:0:1, 0:1:0:1:0:1:0:1",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1::2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
    // RFC 5952 section 5: IPv4-mapped keeps the dotted quad; other embeddings do not
    "::ffff:0:0, ::ffff:0.0.0.0",
    "::FFFF:C000:280, ::ffff:192.0.2.128",
    "::192.0.2.1, ::c000:201",
    "::fffe:192.0.2.1, ::fffe:c000:201",
    "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
  })
  void ipv6CanonicalForms(String input, String canonical) {
    assertEquals(canonical, Ipv6Address.parse(input).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    ":::", "1:::2", "::1.2.3", "::1.2.3.4.5", "::01.2.3.4", "::1.2.3.4:5", "fffff::", "[::1]",
    " ::1", "::1 ", "1:2:3:4:5:6:7:8:1.2.3.4", "1:2:3:4:5:6:7::1.2.3.4", "::g", "1:2", ":",
    "\uff11::", "::-1", "1:2:3:4:5:6:7:8:", "0000:0000:0000:0000:0000:0000:0000:0000:0"
  })
  void ipv6RejectsMalformedText(String input) {
    AddressFormatException e =
        assertThrows(AddressFormatException.class, () -> Ipv6Address.parse(input));
    assertEquals(input, e.input());
  }

  @Test
  void dispatchesOnColonAndNeverResolvesNames() {
    assertEquals(IpFamily.IPV4, IpAddress.parse("192.0.2.1").family());
    assertEquals(IpFamily.IPV6, IpAddress.parse("::").family());
    assertThrows(AddressFormatException.class, () -> IpAddress.parse("localhost"));
    assertThrows(AddressFormatException.class, () -> IpAddress.parse("0x7f.1"));
    assertThrows(AddressFormatException.class, () -> IpAddress.parse(null));
  }

  @Property
  void plusAgreesWithBigInteger(@ForAll("address") IpAddress a, @ForAll long delta) {
    BigInteger expected = a.toBigInteger().add(BigInteger.valueOf(delta));
    boolean fits =
        expected.signum() >= 0 && expected.compareTo(BigInteger.ONE.shiftLeft(a.bitLength())) < 0;
    if (fits) {
      assertEquals(expected, a.plus(delta).toBigInteger());
    } else {
      assertThrows(ArithmeticException.class, () -> a.plus(delta));
    }
  }

  @Property
  void plusSmallStepsCarryAcrossWords(
      @ForAll("address") IpAddress a, @ForAll @IntRange(min = -3, max = 3) int delta) {
    plusAgreesWithBigInteger(a, delta);
    // Near the 64-bit boundary of an IPv6 address, where carry and borrow cross words.
    plusAgreesWithBigInteger(new Ipv6Address(a.toBigInteger().longValue(), -1L), delta);
    plusAgreesWithBigInteger(new Ipv6Address(a.toBigInteger().longValue(), 0L), delta);
  }

  @Property
  void maskAndFillAgreeWithBigInteger(
      @ForAll("address") IpAddress a, @ForAll @IntRange(min = 0, max = 128) int rawLength) {
    int length = rawLength % (a.bitLength() + 1);
    BigInteger all = BigInteger.ONE.shiftLeft(a.bitLength()).subtract(BigInteger.ONE);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(a.bitLength() - length).subtract(BigInteger.ONE);
    BigInteger netMask = all.xor(hostMask);
    assertEquals(a.toBigInteger().and(netMask), a.mask(length).toBigInteger());
    assertEquals(a.toBigInteger().or(hostMask), a.fillHostBits(length).toBigInteger());
    for (int i = 0; i < a.bitLength(); i++) {
      assertEquals(a.toBigInteger().testBit(a.bitLength() - 1 - i), a.bit(i));
    }
  }

  @Property
  void orderingIsUnsignedWithinFamily(@ForAll("address") IpAddress a, @ForAll("address") IpAddress b) {
    int expected =
        a.family() != b.family()
            ? a.family().compareTo(b.family())
            : a.toBigInteger().compareTo(b.toBigInteger());
    assertEquals(Integer.signum(expected), Integer.signum(a.compareTo(b)));
  }

  @Test
  void maskRefusesLengthsOutsideTheFamily() {
    assertThrows(IllegalArgumentException.class, () -> Ipv4Address.ZERO.mask(33));
    assertThrows(IllegalArgumentException.class, () -> Ipv6Address.ZERO.mask(-1));
    assertThrows(IllegalArgumentException.class, () -> Ipv6Address.ZERO.fillHostBits(129));
    assertEquals(TWO_128.subtract(BigInteger.ONE), Ipv6Address.ZERO.fillHostBits(0).toBigInteger());
  }
}
