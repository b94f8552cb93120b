package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.packet.IpProtocol;
import dev.ferry.vpn.core.packet.PacketDefect;

/**
 * Builds the ICMP errors that tell a sender its packet is too big for the tunnel: ICMPv4
 * "fragmentation needed and DF set" with the next-hop MTU (RFC 792 type 3 code 4, RFC 1191 section
 * 4) and ICMPv6 "packet too big" with the MTU (RFC 4443 section 3.2, RFC 8201). The error goes
 * from the invoking packet's destination to its source, so the sender's stack matches it by the
 * embedded header. Allocation-free; writes into a caller's buffer.
 */
final class IcmpTooBig {
  /** RFC 1812 section 4.3.2.3: an ICMPv4 error carries as much as fits in 576 octets. */
  static final int MAX_IPV4_ERROR = 576;

  /** RFC 4443 section 2.4 (c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
  static final int MAX_IPV6_ERROR = 1280;

  private static final int IPV4_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final int ICMP_HEADER = 8;

  private IcmpTooBig() {}

  /**
   * True when an error may be sent about {@code p} at all: never about an ICMP error (RFC 1122
   * section 3.2.2, RFC 4443 section 2.4 (e.1)), a later fragment (RFC 1122 section 3.2.2), or a
   * packet whose source does not name one host (RFC 1812 section 4.3.2.7, RFC 4443 section 2.4
   * (e.3)).
   */
  static boolean mayAnswer(IpPacketView p) {
    if (p.isIcmpError() || p.fragmentOffset() != 0) {
      return false;
    }
    if (p.version() == 4) {
      int source = p.sourceIpv4();
      int destination = p.destinationIpv4();
      // Unspecified, multicast (224/4), limited broadcast; multicast destinations too for IPv4.
      return source != 0 && (source >>> 28) != 0xE && source != -1 && (destination >>> 28) != 0xE
          && destination != -1;
    }
    long high = p.sourceIpv6High();
    // Unspecified (::) and multicast (ff00::/8) sources; RFC 4443 section 2.4 (e.2) allows
    // "packet too big" for multicast destinations.
    return !(high == 0 && p.sourceIpv6Low() == 0) && (high >>> 56) != 0xFF;
  }

  /**
   * Writes the error about {@code invoking} reporting {@code mtu} to {@code out} at {@code off}
   * and returns its length; {@code out} needs {@link #MAX_IPV6_ERROR} octets from {@code off}.
   * {@code scratch} is a view used to compute the checksums; it is left on the error.
   */
  static int write(IpPacketView invoking, int mtu, byte[] out, int off, IpPacketView scratch) {
    byte[] in = invoking.buffer();
    int length;
    if (invoking.version() == 4) {
      int quoted = Math.min(invoking.length(), MAX_IPV4_ERROR - IPV4_HEADER - ICMP_HEADER);
      length = IPV4_HEADER + ICMP_HEADER + quoted;
      java.util.Arrays.fill(out, off, off + IPV4_HEADER + ICMP_HEADER, (byte) 0);
      out[off] = 0x45;
      // RFC 1812 section 4.3.2.5: ICMP errors use precedence 6 (internetwork control).
      out[off + 1] = (byte) 0xC0;
      putShort(out, off + 2, length);
      out[off + 8] = 64;
      out[off + 9] = (byte) IpProtocol.ICMP;
      putInt(out, off + 12, invoking.destinationIpv4());
      putInt(out, off + 16, invoking.sourceIpv4());
      int icmp = off + IPV4_HEADER;
      out[icmp] = 3; // destination unreachable
      out[icmp + 1] = 4; // fragmentation needed and DF set
      putShort(out, icmp + 6, mtu); // RFC 1191 section 4: next-hop MTU in the low 16 bits
      System.arraycopy(in, invoking.offset(), out, icmp + ICMP_HEADER, quoted);
    } else {
      int quoted = Math.min(invoking.length(), MAX_IPV6_ERROR - IPV6_HEADER - ICMP_HEADER);
      length = IPV6_HEADER + ICMP_HEADER + quoted;
      java.util.Arrays.fill(out, off, off + IPV6_HEADER + ICMP_HEADER, (byte) 0);
      out[off] = 0x60;
      putShort(out, off + 4, length - IPV6_HEADER);
      out[off + 6] = (byte) IpProtocol.ICMPV6;
      out[off + 7] = 64;
      // Source = invoking destination (octets 24..39), destination = invoking source (8..23).
      System.arraycopy(in, invoking.offset() + 24, out, off + 8, 16);
      System.arraycopy(in, invoking.offset() + 8, out, off + 24, 16);
      int icmp = off + IPV6_HEADER;
      out[icmp] = 2; // packet too big, code 0
      putInt(out, icmp + 4, mtu);
      System.arraycopy(in, invoking.offset(), out, icmp + ICMP_HEADER, quoted);
    }
    if (scratch.reset(out, off, length) == PacketDefect.NONE) {
      scratch.recomputeChecksums(); // IPv4 header and ICMP checksum (ICMPv6 with pseudo-header)
      return length;
    }
    return -1;
  }

  private static void putShort(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }

  private static void putInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }
}
