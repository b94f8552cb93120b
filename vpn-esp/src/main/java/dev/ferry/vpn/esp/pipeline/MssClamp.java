package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.packet.Checksums;
import dev.ferry.vpn.core.packet.IpPacketView;

/**
 * TCP MSS clamping: lowers the Maximum Segment Size option of a SYN so that the segments the peer
 * sends fit the tunnel without fragmentation (RFC 879, RFC 6691 section 2: MSS = MTU minus the
 * fixed IP and TCP headers, 40 for IPv4 and 60 for IPv6). In place, allocation-free, never throws
 * for packet content; the TCP checksum is updated incrementally (RFC 1624 eqn. 3).
 */
final class MssClamp {
  /** RFC 9293 section 3.1: the SYN control bit. */
  private static final int SYN = 0x02;

  /** RFC 9293 section 3.2: option kinds. */
  private static final int END_OF_OPTIONS = 0;

  private static final int NO_OPERATION = 1;
  private static final int MSS = 2;

  private MssClamp() {}

  /** The MSS that fits an inner MTU of {@code innerMtu} (RFC 6691 section 2). */
  static int mssFor(int innerMtu, int ipVersion) {
    return innerMtu - (ipVersion == 4 ? 40 : 60);
  }

  /**
   * If {@code p} is a TCP SYN (with or without ACK) whose MSS option exceeds {@code maxMss}, sets
   * it to {@code maxMss} and returns true. A SYN without the option needs nothing: the default of
   * 536 (IPv4) or 1220 (IPv6) octets (RFC 9293 section 3.7.1) fits every tunnel we build.
   */
  static boolean clamp(IpPacketView p, int maxMss) {
    if (!p.isValid() || !p.isTcp() || p.isFragment() || maxMss <= 0) {
      return false;
    }
    byte[] b = p.buffer();
    int tcp = p.offset() + p.upperLayerOffset();
    int end = p.offset() + p.length();
    if ((b[tcp + 13] & SYN) == 0) {
      return false;
    }
    int optionsEnd = tcp + ((b[tcp + 12] & 0xF0) >>> 2);
    if (optionsEnd > end) {
      return false;
    }
    int at = tcp + 20;
    while (at < optionsEnd) {
      int kind = b[at] & 0xFF;
      if (kind == END_OF_OPTIONS) {
        return false;
      }
      if (kind == NO_OPERATION) {
        at++;
        continue;
      }
      if (at + 1 >= optionsEnd) {
        return false;
      }
      int length = b[at + 1] & 0xFF;
      if (length < 2 || at + length > optionsEnd) {
        return false; // malformed options: leave the segment to the endpoints
      }
      if (kind == MSS && length == 4) {
        return lower(b, tcp, at + 2, maxMss);
      }
      at += length;
    }
    return false;
  }

  private static boolean lower(byte[] b, int tcp, int value, int maxMss) {
    int mss = (b[value] & 0xFF) << 8 | (b[value + 1] & 0xFF);
    if (mss <= maxMss) {
      return false;
    }
    // Options need not be word aligned: update the one or two 16-bit words of the segment the
    // value touches, counted from the start of the TCP header (RFC 1071 sums words from there).
    int first = tcp + ((value - tcp) & ~1);
    int span = first == value ? 2 : 4;
    int oldSum = Checksums.sum(b, first, span);
    b[value] = (byte) (maxMss >>> 8);
    b[value + 1] = (byte) maxMss;
    int newSum = Checksums.sum(b, first, span);
    int field = tcp + 16;
    int checksum = (b[field] & 0xFF) << 8 | (b[field + 1] & 0xFF);
    checksum = Checksums.update(checksum, oldSum, newSum);
    b[field] = (byte) (checksum >>> 8);
    b[field + 1] = (byte) checksum;
    return true;
  }
}
