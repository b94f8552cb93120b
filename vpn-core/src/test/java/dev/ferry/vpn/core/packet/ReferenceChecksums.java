package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/**
 * Full, naive recomputation of every checksum in a packet (word-by-word RFC 1071 sums, nothing
 * shared with {@link Checksums}), to hold the incremental updates of {@link IpPacketView} against.
 * The view is used only to find where the headers are.
 */
final class ReferenceChecksums {

  private ReferenceChecksums() {}

  /**
   * Asserts that the IPv4 header checksum, the transport checksum (when the whole segment is
   * present), and for an ICMP error the embedded IPv4 header checksum and the embedded transport
   * checksum (when the embedded segment is whole) equal a full recomputation.
   */
  static void assertAllMatch(byte[] buf, int off, int len) {
    IpPacketView view = new IpPacketView();
    assertEquals(PacketDefect.NONE, view.reset(buf, off, len));
    assertViewMatches(view, "outer");
    if (view.isIcmpError()) {
      assertViewMatches(view.embedded(), "embedded");
    }
  }

  private static void assertViewMatches(IpPacketView v, String where) {
    byte[] b = v.buffer();
    int start = v.offset();
    if (v.version() == 4) {
      assertEquals(ipv4HeaderChecksum(b, start, v.headerLength()),
          TestPackets.u16(b, start + 10), where + " IPv4 header checksum");
    }
    if (v.hasCompleteTransport()) {
      int upper = start + v.upperLayerOffset();
      int stored = v.transportChecksum();
      if (v.isUdp() && stored == 0) {
        return; // RFC 768: no checksum
      }
      assertEquals(transportChecksum(v), stored, where + " transport checksum, protocol "
          + v.protocol() + " at " + (upper - start));
    }
  }

  static int ipv4HeaderChecksum(byte[] b, int start, int headerLength) {
    byte[] h = Arrays.copyOfRange(b, start, start + headerLength);
    h[10] = 0;
    h[11] = 0;
    return ~TestPackets.foldSum(TestPackets.naiveSum(h, 0, h.length)) & 0xffff;
  }

  static int transportChecksum(IpPacketView v) {
    byte[] b = v.buffer();
    int start = v.offset();
    int upper = start + v.upperLayerOffset();
    int length = v.isUdp() ? TestPackets.u16(b, upper + 4) : v.length() - v.upperLayerOffset();
    int field = v.isTcp() ? 16 : v.isUdp() ? 6 : 2;
    byte[] segment = Arrays.copyOfRange(b, upper, upper + length);
    segment[field] = 0;
    segment[field + 1] = 0;
    long acc = TestPackets.naiveSum(segment, 0, segment.length);
    boolean icmpv4 = v.version() == 4 && v.protocol() == IpProtocol.ICMP;
    if (!icmpv4) {
      int addresses = v.version() == 4 ? 12 : 8;
      int addressBytes = v.version() == 4 ? 8 : 32;
      acc += TestPackets.naiveSum(b, start + addresses, addressBytes);
      acc += v.protocol() + (length >>> 16) + (length & 0xffff);
    }
    int checksum = ~TestPackets.foldSum(acc) & 0xffff;
    return v.isUdp() && checksum == 0 ? 0xffff : checksum;
  }
}
