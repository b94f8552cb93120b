package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import java.util.List;
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
}
