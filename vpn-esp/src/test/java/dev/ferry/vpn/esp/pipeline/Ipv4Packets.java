package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.Ipv4Address;

/** IPv4 test packets for the pipeline tests: protocol 253 (RFC 3692), valid header checksum. */
final class Ipv4Packets {
  private Ipv4Packets() {}

  /**
   * A {@code length}-octet packet (RFC 791, no options, DF clear) with identification {@code id}
   * and a payload derived from {@code id}, so that packets of equal length still differ.
   */
  static byte[] packet(String source, String destination, int id, int length) {
    byte[] p = new byte[length];
    p[0] = 0x45;
    p[2] = (byte) (length >>> 8);
    p[3] = (byte) length;
    p[4] = (byte) (id >>> 8);
    p[5] = (byte) id;
    p[8] = 64;
    p[9] = (byte) 253;
    ((Ipv4Address) IpAddress.parse(source)).writeTo(p, 12);
    ((Ipv4Address) IpAddress.parse(destination)).writeTo(p, 16);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
    }
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = ~((sum & 0xFFFF) + (sum >>> 16));
    p[10] = (byte) (sum >>> 8);
    p[11] = (byte) sum;
    for (int i = 20; i < length; i++) {
      p[i] = (byte) (id * 31 + i);
    }
    return p;
  }
}
