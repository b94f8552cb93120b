package dev.ferry.vpn.esp.io.offload;

import dev.ferry.vpn.core.io.PacketBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds TCP/IP packets and TUN super-packets for the offload tests. */
final class TcpPackets {

  static final byte[] SRC4 = {10, 1, 2, 3};
  static final byte[] DST4 = {10, 9, 8, 7};
  static final byte[] SRC6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static final byte[] DST6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

  private TcpPackets() {}

  /** Shape of a TCP packet: everything but its payload. */
  record Shape(int version, int sourcePort, int destinationPort, int sequence, int ack, int flags,
      byte[] options, int identification) {

    int ipHeader() {
      return version == 4 ? 20 : 40;
    }

    int headers() {
      return ipHeader() + 20 + options.length;
    }

    Shape withSourcePort(int port) {
      return new Shape(version, port, destinationPort, sequence, ack, flags, options,
          identification);
    }

    Shape withFlags(int f) {
      return new Shape(version, sourcePort, destinationPort, sequence, ack, f, options,
          identification);
    }

    Shape withSequence(int s) {
      return new Shape(version, sourcePort, destinationPort, s, ack, flags, options,
          identification);
    }
  }

  /** An IP packet carrying one TCP segment with {@code payload}, all checksums valid. */
  static byte[] packet(Shape s, byte[] payload) {
    byte[] p = headerOnly(s, payload);
    TcpIp.fillTcpChecksum(p, 0, s.version(), s.ipHeader(), p.length - s.ipHeader());
    return p;
  }

  /**
   * A virtio_net_hdr + TSO super-packet as the kernel hands it out: NEEDS_CSUM with the TCP
   * checksum field holding the pseudo-header sum, gso_size {@code mss}.
   */
  static byte[] superPacket(Shape s, byte[] payload, int mss) {
    byte[] p = headerOnly(s, payload);
    TcpIp.put16(p, s.ipHeader() + 16, TcpIp.pseudoHeaderSum(p, 0, s.version(),
        p.length - s.ipHeader()));
    byte[] out = new byte[VirtioNetHeader.LENGTH + p.length];
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM,
        s.version() == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
        s.headers(), mss, s.ipHeader(), 16).encode(out, 0);
    System.arraycopy(p, 0, out, VirtioNetHeader.LENGTH, p.length);
    return out;
  }

  private static byte[] headerOnly(Shape s, byte[] payload) {
    int ip = s.ipHeader();
    byte[] p = new byte[s.headers() + payload.length];
    if (s.version() == 4) {
      p[0] = 0x45;
      p[1] = 0x02; // ECT(0), so the TOS byte is not zero
      TcpIp.put16(p, 2, p.length);
      TcpIp.put16(p, 4, s.identification());
      p[6] = 0x40; // DF
      p[8] = 64;
      p[9] = 6;
      System.arraycopy(SRC4, 0, p, 12, 4);
      System.arraycopy(DST4, 0, p, 16, 4);
      TcpIp.fillIpv4Checksum(p, 0, 20);
    } else {
      p[0] = 0x60;
      p[1] = 0x01;
      p[3] = 0x23; // a flow label
      TcpIp.put16(p, 4, p.length - 40);
      p[6] = 6;
      p[7] = 64;
      System.arraycopy(SRC6, 0, p, 8, 16);
      System.arraycopy(DST6, 0, p, 24, 16);
    }
    TcpIp.put16(p, ip, s.sourcePort());
    TcpIp.put16(p, ip + 2, s.destinationPort());
    TcpIp.put32(p, ip + 4, s.sequence());
    TcpIp.put32(p, ip + 8, s.ack());
    p[ip + 12] = (byte) ((20 + s.options().length) / 4 << 4);
    p[ip + 13] = (byte) s.flags();
    TcpIp.put16(p, ip + 14, 502);
    System.arraycopy(s.options(), 0, p, ip + 20, s.options().length);
    System.arraycopy(payload, 0, p, s.headers(), payload.length);
    return p;
  }

  /** Loads {@code superPacket} and drains it through batches of {@code capacity} entries. */
  static List<byte[]> segmentAll(TsoSegmenter segmenter, byte[] superPacket, int capacity,
      int mtu) {
    List<byte[]> out = new ArrayList<>();
    if (!segmenter.load(superPacket, 0, superPacket.length)) {
      return out;
    }
    PacketBatch batch = PacketBatch.forMtu(capacity, mtu);
    while (segmenter.hasPending()) {
      int n = segmenter.drainInto(batch, 0, capacity);
      for (int i = 0; i < n; i++) {
        out.add(batch.copyOf(i));
      }
    }
    return out;
  }

  /** Plans and emits {@code packets} as one write batch: the vnet-headed outputs, in order. */
  static List<byte[]> coalesce(TcpCoalescer coalescer, List<byte[]> packets, int mtu) {
    PacketBatch batch = PacketBatch.forMtu(Math.max(1, packets.size()), mtu);
    for (int i = 0; i < packets.size(); i++) {
      batch.put(i, packets.get(i), 0, packets.get(i).length);
    }
    int groups = coalescer.plan(batch, packets.size());
    byte[] staging = new byte[TcpCoalescer.MAX_OUTPUT];
    List<byte[]> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int n = coalescer.emit(g, staging, 0);
      out.add(Arrays.copyOf(staging, n));
    }
    return out;
  }

  static boolean ipv4HeaderValid(byte[] p) {
    return (p[0] & 0xf0) != 0x40
        || dev.ferry.vpn.core.packet.Checksums.sum(p, 0, (p[0] & 0x0f) * 4) == 0xffff;
  }

  static boolean tcpValid(byte[] p, int version) {
    int ip = version == 4 ? (p[0] & 0x0f) * 4 : 40;
    return TcpIp.tcpChecksumValid(p, 0, version, ip, p.length - ip);
  }
}
