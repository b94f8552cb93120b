package dev.ferry.vpn.esp.io.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.packet.Checksums;
import dev.ferry.vpn.esp.io.offload.TcpPackets.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsoSegmenterTest {

  private static final Shape V4 = new Shape(4, 40000, 5201, 1000, 77, TcpIp.ACK | TcpIp.PSH,
      new byte[0], 0x1234);

  @Test
  void completesAPartialUdpChecksumWhereCsumStartAndOffsetSay() {
    // IPv4/UDP, 8 bytes of payload; the UDP checksum field holds the pseudo-header sum, as a
    // CHECKSUM_PARTIAL skb from a local socket has it.
    byte[] ip = new byte[36];
    ip[0] = 0x45;
    TcpIp.put16(ip, 2, 36);
    ip[8] = 64;
    ip[9] = 17;
    System.arraycopy(TcpPackets.SRC4, 0, ip, 12, 4);
    System.arraycopy(TcpPackets.DST4, 0, ip, 16, 4);
    TcpIp.fillIpv4Checksum(ip, 0, 20);
    TcpIp.put16(ip, 20, 1234);
    TcpIp.put16(ip, 22, 7);
    TcpIp.put16(ip, 24, 16);
    for (int i = 28; i < 36; i++) {
      ip[i] = (byte) (i * 7);
    }
    byte[] expected = ip.clone();
    TcpIp.put16(expected, 26, Checksums.checksum(withPseudo(ip), 0, 12 + 16));
    TcpIp.put16(ip, 26, Checksums.pseudoHeaderSumIpv4(TcpIp.u32(ip, 12), TcpIp.u32(ip, 16), 17,
        16));
    byte[] read = new byte[46];
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 20, 6).encode(read, 0);
    System.arraycopy(ip, 0, read, 10, 36);

    List<byte[]> out = TcpPackets.segmentAll(new TsoSegmenter(1400), read, 4, 1400);

    assertEquals(1, out.size());
    assertArrayEquals(expected, out.get(0));
  }

  /** UDP pseudo-header (12 bytes) followed by the UDP header and payload, for a reference sum. */
  private static byte[] withPseudo(byte[] ip) {
    byte[] b = new byte[12 + 16];
    System.arraycopy(ip, 12, b, 0, 8);
    b[9] = 17;
    TcpIp.put16(b, 10, 16);
    System.arraycopy(ip, 20, b, 12, 16);
    b[12 + 6] = 0;
    b[12 + 7] = 0;
    return b;
  }

  @Test
  void passesAPacketWithoutOffloadUnchanged() {
    byte[] packet = TcpPackets.packet(V4, new byte[100]);
    byte[] read = new byte[10 + packet.length];
    System.arraycopy(packet, 0, read, 10, packet.length);
    List<byte[]> out = TcpPackets.segmentAll(new TsoSegmenter(1400), read, 4, 1400);
    assertEquals(1, out.size());
    assertArrayEquals(packet, out.get(0));
  }

  @Test
  void splitsIntoMssSegmentsWithHeadersFixedUp() {
    byte[] payload = new byte[2500];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] read = TcpPackets.superPacket(V4.withFlags(TcpIp.ACK | TcpIp.PSH | TcpIp.CWR), payload,
        1000);
    List<byte[]> out = TcpPackets.segmentAll(new TsoSegmenter(1400), read, 64, 1400);
    assertEquals(3, out.size());
    int[] lengths = {1040, 1040, 540};
    for (int k = 0; k < 3; k++) {
      byte[] s = out.get(k);
      assertEquals(lengths[k], s.length);
      assertEquals(lengths[k], TcpIp.u16(s, 2), "IPv4 total length");
      assertEquals(0x1234 + k, TcpIp.u16(s, 4), "identification");
      assertEquals(1000 + 1000 * k, TcpIp.u32(s, 24), "sequence");
      int flags = s[33] & 0xff;
      assertEquals(k == 2, (flags & TcpIp.PSH) != 0, "PSH only last");
      assertEquals(k == 0, (flags & TcpIp.CWR) != 0, "CWR only first");
      assertTrue(TcpPackets.ipv4HeaderValid(s));
      assertTrue(TcpPackets.tcpValid(s, 4));
    }
  }

  @Test
  void keepsWhatDoesNotFitForTheNextDrain() {
    byte[] read = TcpPackets.superPacket(V4, new byte[5000], 1000);
    TsoSegmenter segmenter = new TsoSegmenter(1400);
    PacketBatch batch = PacketBatch.forMtu(8, 1400);
    assertTrue(segmenter.load(read, 0, read.length));
    assertEquals(3, segmenter.drainInto(batch, 5, 8));
    assertTrue(segmenter.hasPending());
    assertEquals(2, segmenter.drainInto(batch, 0, 8));
    assertFalse(segmenter.hasPending());
    assertEquals(4000 + 1000, TcpIp.u32(batch.copyOf(1), 24));
  }

  @Test
  void dropsAndCountsMalformedHeaders() {
    TsoSegmenter segmenter = new TsoSegmenter(1400);
    byte[] good = TcpPackets.superPacket(V4, new byte[3000], 1000);

    byte[] zeroGso = good.clone();
    zeroGso[4] = 0;
    zeroGso[5] = 0;
    assertFalse(segmenter.load(zeroGso, 0, zeroGso.length));
    assertEquals(1, segmenter.drops(OffloadDrop.BAD_GSO_HEADER));

    byte[] longHdrLen = good.clone();
    TcpIp.put16(longHdrLen, 2, 0xffff);
    assertFalse(segmenter.load(longHdrLen, 0, longHdrLen.length));
    assertEquals(2, segmenter.drops(OffloadDrop.BAD_GSO_HEADER));

    byte[] csumOutside = good.clone();
    csumOutside[6] = (byte) 0xf0;
    csumOutside[7] = (byte) 0xff;
    assertFalse(segmenter.load(csumOutside, 0, csumOutside.length));
    assertEquals(1, segmenter.drops(OffloadDrop.BAD_CHECKSUM_RANGE));

    byte[] udpFragmentation = good.clone();
    udpFragmentation[1] = VirtioNetHeader.GSO_UDP;
    assertFalse(segmenter.load(udpFragmentation, 0, udpFragmentation.length));
    byte[] wrongVersion = good.clone();
    wrongVersion[1] = VirtioNetHeader.GSO_TCPV6;
    assertFalse(segmenter.load(wrongVersion, 0, wrongVersion.length));
    assertEquals(2, segmenter.drops(OffloadDrop.UNSUPPORTED_GSO));

    byte[] bigSegments = TcpPackets.superPacket(V4, new byte[3000], 1400);
    assertFalse(segmenter.load(bigSegments, 0, bigSegments.length));
    assertEquals(1, segmenter.drops(OffloadDrop.LONGER_THAN_MTU));

    assertFalse(segmenter.load(good, 0, 25));
    assertEquals(1, segmenter.drops(OffloadDrop.TRUNCATED));
    assertEquals(7, segmenter.drops());
    assertFalse(segmenter.hasPending());
    assertTrue(segmenter.load(good, 0, good.length), "a good packet still goes through");
  }
}
