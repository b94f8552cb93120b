package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressParseTest {

  @ParameterizedTest
  @CsvSource({
    "2001:db8::1, 2001:db8::1",
    "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 4.2.3: first of equal runs
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // 4.2.2: a single zero group stays
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "::ffff:192.0.2.1, ::ffff:192.0.2.1",
    "0:0:0:0:0:ffff:c000:0201, ::ffff:192.0.2.1",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
  })
  void ipv6CanonicalText(String input, String canonical) {
    assertEquals(canonical, IpAddress.parse(input).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "'', -1",
    "1.2.3, 5",
    "1.2.3.4.5, 7",
    "256.1.1.1, 0",
    "01.1.1.1, 0",
    "'1.2.3.4 ', 7",
    "a.b.c.d, 0",
  })
  void ipv4RejectsWithPosition(String input, int position) {
    AddressFormatException e =
        assertThrows(AddressFormatException.class, () -> Ipv4Address.parse(input));
    assertEquals(position, e.position(), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:2:3:4:5:6:7:8::", "12345::", "fe80::1%eth0",
    "1:2:3:4:5:6:7", "::1:", "::ffff:1.2.3.256", "1:2:3:4:5:6:7:1.2.3.4"})
  void ipv6Rejects(String input) {
    assertThrows(AddressFormatException.class, () -> Ipv6Address.parse(input));
  }

  @Property
  void ipv4RoundTrip(@ForAll int bits) {
    Ipv4Address a = new Ipv4Address(bits);
    assertEquals(a, IpAddress.parse(a.toString()));
    assertEquals(a, IpAddress.fromBytes(a.toBytes()));
  }

  @Property
  void ipv6RoundTrip(@ForAll long high, @ForAll long low) {
    Ipv6Address a = new Ipv6Address(high, low);
    assertEquals(a, IpAddress.parse(a.toString()));
    assertEquals(a, IpAddress.fromBytes(a.toBytes()));
  }
}
