package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.packet.IpPacketView;

/**
 * Inner packets for the data plane tests, with every checksum computed here by the plain RFC 1071
 * definition (independently of vpn-core's incremental code, whose test fixtures sit in a package
 * of the vpn-core module and so cannot be shared), and checks of what comes out of a tunnel.
 */
final class InnerPackets {
  static final int ICMP = 1;
  static final int TCP = 6;
  static final int UDP = 17;
  static final int ICMPV6 = 58;

  private InnerPackets() {}

  /**
   * An IPv4 or IPv6 packet carrying {@code protocol}: for TCP a 20-octet header plus {@code
   * tcpOptions}, for UDP an 8-octet header, for ICMP/ICMPv6 an echo request; then {@code payload}.
   */
  static byte[] packet(String source, String destination, int protocol, boolean dontFragment,
      byte[] tcpOptions, byte[] payload) {
    IpAddress s = IpAddress.parse(source);
    IpAddress d = IpAddress.parse(destination);
    boolean v4 = s instanceof Ipv4Address;
    int transportHeader = switch (protocol) {
      case TCP -> 20 + tcpOptions.length;
      case UDP, ICMP, ICMPV6 -> 8;
      default -> 0;
    };
    int ip = v4 ? 20 : 40;
    byte[] p = new byte[ip + transportHeader + payload.length];
    if (v4) {
      p[0] = 0x45;
      put16(p, 2, p.length);
      put16(p, 4, 0x4242);
      p[6] = (byte) (dontFragment ? 0x40 : 0);
      p[8] = 64;
      p[9] = (byte) protocol;
      ((Ipv4Address) s).writeTo(p, 12);
      ((Ipv4Address) d).writeTo(p, 16);
    } else {
      p[0] = 0x60;
      put16(p, 4, p.length - 40);
      p[6] = (byte) protocol;
      p[7] = 64;
      ((Ipv6Address) s).writeTo(p, 8);
      ((Ipv6Address) d).writeTo(p, 24);
    }
    int t = ip;
    switch (protocol) {
      case TCP -> {
        put16(p, t, 40000);
        put16(p, t + 2, 443);
        p[t + 12] = (byte) ((transportHeader / 4) << 4);
        p[t + 13] = 0x10; // ACK
        put16(p, t + 14, 65535);
        System.arraycopy(tcpOptions, 0, p, t + 20, tcpOptions.length);
      }
      case UDP -> {
        put16(p, t, 5000);
        put16(p, t + 2, 53);
        put16(p, t + 4, 8 + payload.length);
      }
      case ICMP, ICMPV6 -> {
        p[t] = (byte) (protocol == ICMP ? 8 : 128);
        put16(p, t + 4, 7);
        put16(p, t + 6, 1);
      }
      default -> { }
    }
    System.arraycopy(payload, 0, p, t + transportHeader, payload.length);
    fillChecksums(p);
    return p;
  }

  /** A UDP packet with {@code payload} octets of data. */
  static byte[] udp(String source, String destination, boolean dontFragment, int payload) {
    return packet(source, destination, UDP, dontFragment, new byte[0], new byte[payload]);
  }

  /**
   * A TCP SYN (SYN|ACK when {@code ack}) carrying an MSS option of {@code mss}, placed {@code
   * shift} octets into two words of options padded with NOPs (shift 1 puts it on odd octets).
   */
  static byte[] syn(String source, String destination, int mss, int shift, boolean ack) {
    byte[] options = {1, 1, 1, 1, 1, 1, 1, 1};
    options[shift] = 2;
    options[shift + 1] = 4;
    options[shift + 2] = (byte) (mss >>> 8);
    options[shift + 3] = (byte) mss;
    byte[] p = packet(source, destination, TCP, true, options, new byte[0]);
    int tcp = (p[0] >>> 4) == 4 ? 20 : 40;
    p[tcp + 13] = (byte) (ack ? 0x12 : 0x02);
    fillChecksums(p);
    return p;
  }

  /** The MSS option value of a SYN built by {@link #syn}. */
  static int mss(byte[] p, int shift) {
    int option = ((p[0] >>> 4) == 4 ? 20 : 40) + 20 + shift;
    return u16(p, option + 2);
  }

  /** Writes the IPv4 header checksum and the transport checksum of a whole packet. */
  static void fillChecksums(byte[] p) {
    boolean v4 = (p[0] >>> 4) == 4;
    int ip = v4 ? (p[0] & 0x0F) * 4 : 40;
    int protocol = p[v4 ? 9 : 6] & 0xFF;
    int field = checksumField(protocol);
    if (field >= 0) {
      put16(p, ip + field, 0);
      int sum = transportSum(p, v4, ip, protocol);
      put16(p, ip + field, protocol == UDP && sum == 0xFFFF ? 0xFFFF : ~sum & 0xFFFF);
    }
    if (v4) {
      put16(p, 10, 0);
      put16(p, 10, ~sum(p, 0, ip, 0) & 0xFFFF);
    }
  }

  /**
   * Asserts by the RFC 1071 definition that the IPv4 header checksum and the transport checksum
   * of a whole (untruncated) packet are right; returns the parsed view.
   */
  static IpPacketView assertChecksumsValid(byte[] p) {
    boolean v4 = (p[0] >>> 4) == 4;
    int ip = v4 ? (p[0] & 0x0F) * 4 : 40;
    if (v4) {
      assertEquals(0xFFFF, sum(p, 0, ip, 0), "IPv4 header checksum");
    }
    int protocol = p[v4 ? 9 : 6] & 0xFF;
    if (checksumField(protocol) >= 0) {
      assertEquals(0xFFFF, transportSum(p, v4, ip, protocol), "transport checksum");
    }
    return IpPacketView.parse(p);
  }

  /** Asserts the header checksum of the IPv4 header at {@code off} (e.g. one quoted in ICMP). */
  static void assertIpv4HeaderChecksumValid(byte[] p, int off) {
    assertEquals(0xFFFF, sum(p, off, (p[off] & 0x0F) * 4, 0), "IPv4 header checksum");
  }

  private static int checksumField(int protocol) {
    return switch (protocol) {
      case TCP -> 16;
      case UDP -> 6;
      case ICMP, ICMPV6 -> 2;
      default -> -1;
    };
  }

  /** Sum over the pseudo-header (RFC 793, RFC 768, RFC 8200 section 8.1; none for ICMPv4). */
  private static int transportSum(byte[] p, boolean v4, int ip, int protocol) {
    int length = p.length - ip;
    long pseudo = 0;
    if (protocol != ICMP) {
      pseudo = v4 ? sum(p, 12, 8, 0) : sum(p, 8, 32, 0);
      pseudo += protocol + length;
    }
    return sum(p, ip, length, pseudo);
  }

  private static int sum(byte[] p, int off, int len, long initial) {
    long acc = initial;
    for (int i = 0; i < len; i += 2) {
      acc += (p[off + i] & 0xFF) << 8 | (i + 1 < len ? p[off + i + 1] & 0xFF : 0);
    }
    while (acc >>> 16 != 0) {
      acc = (acc & 0xFFFF) + (acc >>> 16);
    }
    return (int) acc;
  }

  static int u16(byte[] p, int at) {
    return (p[at] & 0xFF) << 8 | (p[at + 1] & 0xFF);
  }

  private static void put16(byte[] p, int at, int value) {
    p[at] = (byte) (value >>> 8);
    p[at + 1] = (byte) value;
  }
}
