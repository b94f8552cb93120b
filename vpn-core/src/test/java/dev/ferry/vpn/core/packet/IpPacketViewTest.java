package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import java.util.List;
import dev.ferry.vpn.core.net.IpFamily;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class IpPacketViewTest {

  private final IpPacketView view = new IpPacketView();

  @Test
  void readsIpv4Udp() {
    byte[] p = TestPackets.packet("10.1.2.3", "192.0.2.9").hopLimit(17).udp(5000, 53)
        .payload(new byte[] {1, 2, 3}).build();
    assertEquals(PacketDefect.NONE, view.reset(p, 0, p.length));
    assertEquals(4, view.version());
    assertEquals(20, view.headerLength());
    assertEquals(31, view.totalLength());
    assertEquals(IpProtocol.UDP, view.protocol());
    assertEquals(17, view.hopLimit());
    assertEquals(IpAddress.parse("10.1.2.3"), view.sourceAddress());
    assertEquals(IpAddress.parse("192.0.2.9"), view.destinationAddress());
    assertEquals(5000, view.sourcePort());
    assertEquals(53, view.destinationPort());
    assertFalse(view.isFragment());
    assertEquals(view.computeIpv4HeaderChecksum(), view.ipv4HeaderChecksum());
    assertEquals(view.computeTransportChecksum(), view.transportChecksum());
  }

  @Test
  void rewritesIpv4TcpSourceIncrementally() {
    byte[] p = TestPackets.packet("10.1.2.3", "192.0.2.9").tcp(40000, 443).build();
    view.reset(p, 0, p.length);
    view.setSourceIpv4(0x0a0a0a07);
    view.setSourcePort(1024);
    assertEquals(view.computeIpv4HeaderChecksum(), view.ipv4HeaderChecksum());
    assertEquals(view.computeTransportChecksum(), view.transportChecksum());
    byte[] expected = TestPackets.packet("10.10.10.7", "192.0.2.9").tcp(1024, 443).build();
    assertEquals(List.of(expected.length), List.of(p.length));
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, p);
  }

  @Test
  void truncatedHeaderIsReported() {
    byte[] p = TestPackets.packet("10.1.2.3", "192.0.2.9").udp(1, 2).build();
    assertEquals(PacketDefect.TRUNCATED_IP_HEADER, view.reset(p, 0, 19));
    assertFalse(view.isValid());
    assertThrows(IllegalStateException.class, view::version);
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> IpPacketView.parse(p, 0, 27));
    assertEquals(PacketDefect.TOTAL_LENGTH_MISMATCH, e.defect());
    assertEquals(2, e.offset());
    assertTrue(e.getMessage().contains("total length"), e.getMessage());
  }

  private PacketDefect reset(byte[] p) {
    return view.reset(p, 0, p.length);
  }

  @Test
  void defectsNameTheField() {
    byte[] udp = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[4]).build();
    byte[] p = udp.clone();
    p[0] = 0x55;
    assertEquals(PacketDefect.BAD_VERSION, reset(p));
    p = udp.clone();
    p[0] = 0x44;
    assertEquals(PacketDefect.BAD_IHL, reset(p));
    p = udp.clone();
    p[0] = 0x4f; // 60-octet header in a 32-octet packet
    assertEquals(PacketDefect.BAD_IHL, reset(p));
    p = udp.clone();
    p[3] = 19;
    assertEquals(PacketDefect.TOTAL_LENGTH_MISMATCH, reset(p));
    p = udp.clone();
    p[25] = 7; // UDP length 7
    assertEquals(PacketDefect.BAD_UDP_LENGTH, reset(p));
    assertEquals(24, view.defectOffset());
    p = udp.clone();
    p[25] = 13; // longer than the datagram
    assertEquals(PacketDefect.BAD_UDP_LENGTH, reset(p));
    p = udp.clone();
    p[6] = 0x1f; // fragment offset 65528 + 12 octets of data
    p[7] = (byte) 0xff;
    assertEquals(PacketDefect.BAD_FRAGMENT, reset(p));

    byte[] tcp = TestPackets.packet("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
    p = tcp.clone();
    p[32] = 0x40; // data offset 4
    assertEquals(PacketDefect.BAD_TCP_DATA_OFFSET, reset(p));
    p = tcp.clone();
    p[32] = (byte) 0xf0; // 60-octet TCP header in 20 octets
    assertEquals(PacketDefect.TRUNCATED_TRANSPORT, reset(p));
    byte[] shortTcp = java.util.Arrays.copyOf(tcp, 30);
    shortTcp[3] = 30;
    assertEquals(PacketDefect.TRUNCATED_TRANSPORT, reset(shortTcp));
  }

  @Test
  void ipv6ExtensionChainRules() {
    IpAddress a = IpAddress.parse("2001:db8::1");
    IpAddress b = IpAddress.parse("2001:db8::2");
    byte[] ok = TestPackets.packet(a, b).extensionHeaders(0, 60, 43, 51, 44).udp(7, 9).build();
    assertEquals(PacketDefect.NONE, reset(ok));
    assertEquals(40 + 16 + 16 + 8 + 24 + 8, view.upperLayerOffset());
    assertEquals(IpProtocol.UDP, view.protocol());
    assertFalse(view.isFragment(), "an atomic fragment is a whole packet (RFC 6946)");
    assertEquals(0xfeedbeef, view.fragmentIdentification());

    byte[] lateHopByHop = TestPackets.packet(a, b).extensionHeaders(60, 0).udp(7, 9).build();
    assertEquals(PacketDefect.BAD_EXTENSION_CHAIN, reset(lateHopByHop));
    assertEquals(40, view.defectOffset());
    byte[] twoFragments = TestPackets.packet(a, b).extensionHeaders(44, 44).udp(7, 9).build();
    assertEquals(PacketDefect.BAD_EXTENSION_CHAIN, reset(twoFragments));
    byte[] cut = TestPackets.packet(a, b).extensionHeaders(60).rawProtocol(59).build();
    cut[41] = 3; // 32 octets claimed, 16 present
    assertEquals(PacketDefect.BAD_EXTENSION_CHAIN, reset(cut));

    byte[] esp = TestPackets.packet(a, b).extensionHeaders(60).rawProtocol(IpProtocol.ESP)
        .payload(new byte[12]).build();
    assertEquals(PacketDefect.NONE, reset(esp));
    assertEquals(IpProtocol.ESP, view.protocol());
    assertFalse(view.hasTransportHeader());
  }

  @Test
  void trailingBytesAfterStatedLengthAreIgnored() {
    // RFC 4303 section 2.7: TFC padding follows the inner packet inside ESP.
    byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(1, 2).trailingBytes(13).build();
    assertEquals(PacketDefect.NONE, reset(p));
    assertEquals(28, view.length());
    view.setSourcePort(99);
    assertEquals(view.computeTransportChecksum(), view.transportChecksum());
  }

  @Test
  void fragmentsCarryTransportOnlyInTheFirst() {
    byte[] whole = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[40]).build();
    List<byte[]> fragments = TestPackets.fragment(whole, 16, 0);
    assertEquals(3, fragments.size());
    assertEquals(PacketDefect.NONE, reset(fragments.get(0)));
    assertTrue(view.isFragment() && view.moreFragments() && view.hasPorts());
    assertFalse(view.hasCompleteTransport());
    assertEquals(PacketDefect.NONE, reset(fragments.get(1)));
    assertEquals(16, view.fragmentOffset());
    assertFalse(view.hasTransportHeader());
    assertThrows(IllegalStateException.class, view::sourcePort);
  }

  @Test
  void udpWithoutChecksumStaysWithout() {
    byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(1, 2).udpZeroChecksum(true).build();
    reset(p);
    view.setSourceIpv4(0x01020304);
    view.setDestinationPort(4000);
    assertEquals(0, view.transportChecksum(), "RFC 768: zero means no checksum");
    assertEquals(view.computeIpv4HeaderChecksum(), view.ipv4HeaderChecksum());
  }

  @Test
  void udpChecksumThatComesOutZeroIsSentAsAllOnes() {
    byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(1000, 2).build();
    reset(p);
    // Choose the new source port that makes the one's complement sum all ones (checksum 0).
    int checksum = view.transportChecksum();
    int sumWithoutPort = Checksums.add(~checksum & 0xffff, ~1000 & 0xffff);
    int port = ~sumWithoutPort & 0xffff;
    view.setSourcePort(port);
    assertEquals(0xffff, view.transportChecksum());
    assertEquals(0xffff, view.computeTransportChecksum());
  }

  @Test
  void hopLimitDecrementsUntilOne() {
    byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").hopLimit(2).tcp(1, 2).build();
    reset(p);
    assertTrue(view.decrementHopLimit());
    assertEquals(1, view.hopLimit());
    assertEquals(view.computeIpv4HeaderChecksum(), view.ipv4HeaderChecksum());
    byte[] before = p.clone();
    assertFalse(view.decrementHopLimit(), "RFC 1812 5.3.1: TTL 1 must not be forwarded");
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, p);
  }

  @Test
  void icmpErrorEmbedsTheInvokingPacket() {
    byte[] invoking = TestPackets.packet("10.0.0.1", "198.51.100.7").udp(5353, 53)
        .payload(new byte[30]).build();
    byte[] error = TestPackets.packet("192.0.2.254", "10.0.0.1").icmpError(3, 3, invoking, 28)
        .build();
    assertEquals(PacketDefect.NONE, reset(error));
    assertTrue(view.isIcmpError());
    assertEquals(3, view.icmpType());
    IpPacketView inner = view.embedded();
    assertTrue(inner.isEmbedded() && inner.isTruncated());
    assertEquals(58, inner.totalLength());
    assertEquals(28, inner.length());
    assertEquals(5353, inner.sourcePort());
    assertEquals(IpAddress.parse("198.51.100.7"), inner.destinationAddress());

    // Reply direction of a source NAT: outer destination and embedded source both change.
    view.setDestinationIpv4(0x0a0a0a01);
    inner.setSourceIpv4(0x0a0a0a01);
    inner.setSourcePort(40000);
    ReferenceChecksums.assertAllMatch(error, 0, error.length);
    byte[] rewrittenInvoking = TestPackets.packet("10.10.10.1", "198.51.100.7").udp(40000, 53)
        .payload(new byte[30]).build();
    byte[] expected = TestPackets.packet("192.0.2.254", "10.10.10.1")
        .icmpError(3, 3, rewrittenInvoking, 28).build();
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, error);
  }

  @Test
  void halfPresentEmbeddedTcpChecksumIsLeftAsIs() {
    byte[] invoking = TestPackets.packet("10.0.0.1", "198.51.100.7").tcp(5000, 80).build();
    byte[] error = TestPackets.packet("192.0.2.254", "10.0.0.1").icmpError(11, 0, invoking, 37)
        .build();
    reset(error);
    IpPacketView inner = view.embedded();
    byte highOctet = error[28 + 20 + 16];
    inner.setSourcePort(6000);
    assertEquals(highOctet, error[28 + 20 + 16], "the other octet is missing: no adjustment");
    ReferenceChecksums.assertAllMatch(error, 0, error.length);
    assertEquals(Checksums.checksum(error, 20, error.length - 20), 0,
        "the outer ICMP checksum still verifies");
  }

  @Test
  void malformedEmbeddedPacketIsReportedWithItsReason() {
    byte[] invoking = TestPackets.packet("10.0.0.1", "198.51.100.7").udp(1, 2).build();
    byte[] error = TestPackets.packet("192.0.2.254", "10.0.0.1").icmpError(3, 1, invoking, 24)
        .build();
    assertEquals(PacketDefect.MALFORMED_EMBEDDED_PACKET, reset(error));
    assertEquals(PacketDefect.TRUNCATED_TRANSPORT, view.embeddedDefect());
    assertEquals(28 + 20, view.defectOffset());
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> IpPacketView.parse(error));
    assertTrue(e.getMessage().contains("embedded"), e.getMessage());

    byte[] v6 = TestPackets.packet("2001:db8::1", "2001:db8::2").udp(1, 2).build();
    byte[] wrongFamily = TestPackets.packet("192.0.2.254", "10.0.0.1").icmpError(3, 1, v6, 48)
        .build();
    assertEquals(PacketDefect.MALFORMED_EMBEDDED_PACKET, reset(wrongFamily));
    assertEquals(PacketDefect.BAD_VERSION, view.embeddedDefect());
  }

  @Test
  void wrongFamilyAddressIsRefusedAndChangesNothing() {
    byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
    byte[] before = p.clone();
    reset(p);
    assertThrows(IllegalArgumentException.class,
        () -> view.setSourceAddress(IpAddress.parse("2001:db8::1")));
    assertThrows(IllegalStateException.class, () -> view.setSourceIpv6(1, 2));
    assertThrows(IllegalArgumentException.class, () -> view.setSourcePort(70000));
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, p);
  }

  @Property
  void accessorsAgreeWithBuilderInputs(@ForAll("packets") PacketSpec spec) {
    byte[] p = spec.build();
    IpPacketView v = IpPacketView.parse(p);
    assertEquals(spec.family(), v.family());
    assertEquals(spec.source(), v.sourceAddress());
    assertEquals(spec.destination(), v.destinationAddress());
    assertEquals(spec.hopLimit(), v.hopLimit());
    assertEquals(p.length, v.totalLength());
    assertEquals(spec.upperLayerOffset(), v.upperLayerOffset());
    assertEquals(spec.family() == IpFamily.IPV4 ? 20 + 4 * spec.ipv4OptionWords() : 40,
        v.headerLength());
    assertEquals(spec.hasPorts(), v.hasPorts());
    if (spec.hasPorts()) {
      assertEquals(spec.sourcePort(), v.sourcePort());
      assertEquals(spec.destinationPort(), v.destinationPort());
    }
    assertEquals(spec.upper() == TestPackets.Upper.ICMP_ECHO, v.hasIcmpIdentifier());
    if (v.hasIcmpIdentifier()) {
      assertEquals(spec.icmpIdentifier(), v.icmpIdentifier());
    }
    assertEquals(spec.upper() == TestPackets.Upper.ICMP_ERROR, v.isIcmpError());
    if (v.isIcmpError()) {
      assertEquals(spec.errorType(), v.icmpType());
      assertEquals(spec.errorCode(), v.icmpCode());
      assertEquals(spec.invoking().source(), v.embedded().sourceAddress());
      assertEquals(spec.invoking().build().length, v.embedded().totalLength());
      assertEquals(spec.keep(), v.embedded().length());
    }
    ReferenceChecksums.assertAllMatch(p, 0, p.length);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<PacketSpec> packets() {
    return PacketArbitraries.packets();
  }
}
