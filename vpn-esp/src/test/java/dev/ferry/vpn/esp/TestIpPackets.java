package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;

/** Minimal inner IP packets for ESP tests: a bare IPv4 or IPv6 header and a raw payload. */
final class TestIpPackets {
  /** RFC 3692 experimental protocol number: no transport header to parse. */
  static final int EXPERIMENTAL = 253;

  private TestIpPackets() {}

  static byte[] packet(String source, String destination, byte[] payload) {
    return packet(IpAddress.parse(source), IpAddress.parse(destination), EXPERIMENTAL, payload);
  }

  static byte[] packet(IpAddress source, IpAddress destination, int protocol, byte[] payload) {
    if (source instanceof Ipv4Address s && destination instanceof Ipv4Address d) {
      byte[] p = new byte[20 + payload.length];
      p[0] = 0x45;
      WireBytes.putInt(p, 0, 0x4500_0000 | p.length);
      p[8] = 64;
      p[9] = (byte) protocol;
      s.writeTo(p, 12);
      d.writeTo(p, 16);
      int sum = 0;
      for (int i = 0; i < 20; i += 2) {
        sum += (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
      }
      sum = (sum & 0xFFFF) + (sum >>> 16);
      sum = (sum & 0xFFFF) + (sum >>> 16);
      p[10] = (byte) (~sum >>> 8);
      p[11] = (byte) ~sum;
      System.arraycopy(payload, 0, p, 20, payload.length);
      return p;
    }
    Ipv6Address s = (Ipv6Address) source;
    Ipv6Address d = (Ipv6Address) destination;
    byte[] p = new byte[40 + payload.length];
    p[0] = 0x60;
    p[4] = (byte) (payload.length >>> 8);
    p[5] = (byte) payload.length;
    p[6] = (byte) protocol;
    p[7] = 64;
    s.writeTo(p, 8);
    d.writeTo(p, 24);
    System.arraycopy(payload, 0, p, 40, payload.length);
    return p;
  }
}
