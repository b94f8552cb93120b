package dev.ferry.vpn.esp.io.offload;

import dev.ferry.vpn.core.packet.Checksums;

/** Field access and checksums of IPv4/IPv6 + TCP headers in byte arrays, shared by both offloads. */
final class TcpIp {

  static final int IPV4_HEADER = 20;
  static final int IPV6_HEADER = 40;
  static final int TCP_HEADER = 20;
  /** IP protocol / next header number of TCP (IANA). */
  static final int PROTO_TCP = 6;
  /** Offset of the checksum in the TCP header (RFC 9293 section 3.1). */
  static final int TCP_CHECKSUM = 16;

  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int URG = 0x20;
  static final int ECE = 0x40;
  static final int CWR = 0x80;

  private TcpIp() {}

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static int u32(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }

  static void put16(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }

  static void put32(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }

  /**
   * Sum of the pseudo-header (RFC 9293 section 3.1 for IPv4, RFC 8200 section 8.1 for IPv6) of a
   * TCP segment of {@code tcpLength} bytes in the packet at {@code ip}; version 4 or 6.
   */
  static int pseudoHeaderSum(byte[] b, int ip, int version, int tcpLength) {
    if (version == 4) {
      return Checksums.pseudoHeaderSumIpv4(u32(b, ip + 12), u32(b, ip + 16), PROTO_TCP, tcpLength);
    }
    return Checksums.pseudoHeaderSumIpv6(b, ip + 8, ip + 24, PROTO_TCP, tcpLength);
  }

  /** Recomputes the IPv4 header checksum of the header at {@code ip} (RFC 791). */
  static void fillIpv4Checksum(byte[] b, int ip, int headerLength) {
    b[ip + 10] = 0;
    b[ip + 11] = 0;
    put16(b, ip + 10, Checksums.checksum(b, ip, headerLength));
  }

  /**
   * Fills the TCP checksum of the segment {@code b[tcp, tcp+tcpLength)} of the packet at {@code
   * ip} with the full Internet checksum over pseudo-header and segment.
   */
  static void fillTcpChecksum(byte[] b, int ip, int version, int tcp, int tcpLength) {
    b[tcp + TCP_CHECKSUM] = 0;
    b[tcp + TCP_CHECKSUM + 1] = 0;
    int sum = Checksums.add(pseudoHeaderSum(b, ip, version, tcpLength),
        Checksums.sum(b, tcp, tcpLength));
    put16(b, tcp + TCP_CHECKSUM, ~sum & 0xffff);
  }

  /** Whether the TCP checksum of the segment verifies: the sum including it is 0xffff. */
  static boolean tcpChecksumValid(byte[] b, int ip, int version, int tcp, int tcpLength) {
    int sum = Checksums.add(pseudoHeaderSum(b, ip, version, tcpLength),
        Checksums.sum(b, tcp, tcpLength));
    return sum == 0xffff;
  }
}
