package dev.ferry.vpn.esp.io.offload;

import static dev.ferry.vpn.esp.io.offload.TcpIp.ACK;
import static dev.ferry.vpn.esp.io.offload.TcpIp.PSH;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.packet.Checksums;
import java.util.Arrays;
import java.util.Objects;

/**
 * "GRO in userspace": groups the packets of one TUN write batch so that consecutive TCP segments
 * of one flow go to the kernel as one super-packet (a virtio_net_hdr with gso_type TCPV4/TCPV6
 * and the segments' payloads behind one copy of their headers), so that the kernel's TCP stack
 * processes one buffer instead of dozens, as its own GRO would have arranged on a NIC.
 *
 * <p>A segment joins the latest group of its flow only if the result is exactly what the sender
 * would have produced as one TSO buffer, so that splitting it again (by the kernel, when it
 * forwards, or by {@link TsoSegmenter}) gives back the same segments. The rules, after the
 * kernel's {@code tcp_gro_receive()} and wireguard-go's tcpGRO:
 * <ul>
 *   <li>same IP version, addresses and ports; same ACK number, TCP header length and option bytes;
 *       IPv4: same TOS, TTL and DF, no options, not a fragment; IPv6: same traffic class, flow
 *       label and hop limit, no extension headers;
 *   <li>flags ACK only, or ACK+PSH on the segment that closes the group (SYN, FIN, RST, URG, ECE
 *       and CWR segments always go alone);
 *   <li>its sequence number follows the previous segment's payload; its payload is not larger than
 *       the first one's (gso_size), and a shorter one closes the group;
 *   <li>the IP packet stays within 65,535 bytes;
 *   <li>the IPv4 header checksum and TCP checksum of every merged segment verify. The kernel takes
 *       a CHECKSUM_PARTIAL buffer as verified, so we are the last to look: a corrupt segment is
 *       written alone, unchanged, for the kernel to drop.
 * </ul>
 * Anything else is written alone with an all-zero header (GSO_NONE). Groups come out in the order
 * of their first packet, so order within a flow is kept; a later group of another flow may now
 * precede a packet that joined an earlier group, which TCP does not mind. An IP packet that may be
 * TCP but whose flow we cannot tell (an IPv4 fragment, IPv6 with extension headers) closes every
 * open group, so it cannot be overtaken either.
 *
 * <p>Use: {@link #plan} a batch, then {@link #emit} each group into a staging buffer of at least
 * {@link #MAX_OUTPUT} bytes. Not thread-safe (one writer thread). Allocates only when a batch
 * larger than any before arrives.
 */
public final class TcpCoalescer {

  /** Largest output: a virtio_net_hdr and an IP packet of 65,535 bytes. */
  public static final int MAX_OUTPUT = VirtioNetHeader.LENGTH + 65535;

  private static final byte OTHER = 0;
  private static final byte BARRIER = 1;
  private static final byte KEYED = 2;
  private static final byte CANDIDATE = 3;

  private static final byte UNVERIFIED = 0;
  private static final byte VERIFIED = 1;
  private static final byte CORRUPT = 2;

  // Per entry of the planned batch.
  private byte[] checked = new byte[0];
  private int[] ipLength = new int[0];
  private int[] tcpLength = new int[0];
  private int[] payload = new int[0];
  private int[] sequence = new int[0];
  private int[] flowHash = new int[0];
  private int[] next = new int[0];
  // Per group.
  private int[] head = new int[0];
  private int[] tail = new int[0];
  private int[] members = new int[0];
  private int[] total = new int[0];
  private boolean[] keyed = new boolean[0];
  private boolean[] closed = new boolean[0];
  private int groups;
  private long superPackets;
  private int searchFrom;
  private PacketBatch batch;

  /**
   * Groups entries {@code [0, count)} of {@code batch}; the batch must not change until the last
   * {@link #emit} of this plan.
   *
   * @return the number of groups (each to be written as one packet)
   */
  public int plan(PacketBatch batch, int count) {
    Objects.checkFromToIndex(0, count, batch.capacity());
    this.batch = batch;
    ensureCapacity(count);
    groups = 0;
    searchFrom = 0;
    for (int i = 0; i < count; i++) {
      byte k = classify(i);
      checked[i] = UNVERIFIED;
      next[i] = -1;
      if (k == CANDIDATE) {
        int g = latestGroupOfFlow(i);
        if (g >= 0 && !closed[g] && tryAppend(g, i)) {
          continue;
        }
        open(i, true, (flags(i) & PSH) != 0 || checked[i] == CORRUPT);
      } else if (k == KEYED) {
        open(i, true, true);
      } else {
        open(i, false, true);
        if (k == BARRIER) {
          searchFrom = groups;
        }
      }
    }
    return groups;
  }

  /** Super-packets emitted (groups of two or more) since this coalescer was made (writer only). */
  public long superPackets() {
    return superPackets;
  }

  /** Number of batch packets in group {@code g} of the last plan. */
  public int members(int g) {
    Objects.checkIndex(g, groups);
    return members[g];
  }

  /**
   * Writes group {@code g} of the last plan as a virtio_net_hdr plus packet to {@code out} at
   * {@code off}.
   *
   * @return the bytes written (header included)
   */
  public int emit(int g, byte[] out, int off) {
    Objects.checkIndex(g, groups);
    int h = head[g];
    byte[] b = batch.buffer(h);
    int o = batch.offset(h);
    int p = off + VirtioNetHeader.LENGTH;
    if (members[g] == 1) {
      int length = batch.length(h);
      Objects.checkFromIndexSize(off, VirtioNetHeader.LENGTH + length, out.length);
      VirtioNetHeader.putNone(out, off);
      System.arraycopy(b, o, out, p, length);
      return VirtioNetHeader.LENGTH + length;
    }
    Objects.checkFromIndexSize(off, VirtioNetHeader.LENGTH + total[g], out.length);
    int ip = ipLength[h];
    int headers = ip + tcpLength[h];
    System.arraycopy(b, o, out, p, headers);
    int at = p + headers;
    for (int e = h; e >= 0; e = next[e]) {
      System.arraycopy(batch.buffer(e), batch.offset(e) + headers, out, at, payload[e]);
      at += payload[e];
    }
    int length = at - p;
    int version = (out[p] & 0xff) >>> 4;
    if (version == 4) {
      TcpIp.put16(out, p + 2, length);
      TcpIp.fillIpv4Checksum(out, p, ip);
    } else {
      TcpIp.put16(out, p + 4, length - TcpIp.IPV6_HEADER);
    }
    int tcp = p + ip;
    out[tcp + 13] |= (byte) (flags(tail[g]) & PSH);
    // CHECKSUM_PARTIAL: the field holds the folded, uncomplemented pseudo-header sum for the whole
    // length, as the kernel's own __tcp_v4_send_check()/__tcp_v6_send_check() leave it.
    TcpIp.put16(out, tcp + TcpIp.TCP_CHECKSUM, TcpIp.pseudoHeaderSum(out, p, version, length - ip));
    superPackets++;
    VirtioNetHeader.put(out, off, VirtioNetHeader.F_NEEDS_CSUM,
        version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, headers,
        payload[h], ip, TcpIp.TCP_CHECKSUM);
    return VirtioNetHeader.LENGTH + length;
  }

  private void open(int entry, boolean flowKnown, boolean full) {
    int g = groups++;
    head[g] = entry;
    tail[g] = entry;
    members[g] = 1;
    total[g] = batch.length(entry);
    keyed[g] = flowKnown;
    closed[g] = full;
  }

  private boolean tryAppend(int g, int i) {
    int h = head[g];
    int t = tail[g];
    if (!sameHeaders(h, i) || sequence[i] != sequence[t] + payload[t] || payload[i] > payload[h]
        || total[g] + payload[i] > 65535) {
      return false;
    }
    if (members[g] == 1 && !verified(h)) {
      closed[g] = true;
      return false;
    }
    if (!verified(i)) {
      return false;
    }
    next[t] = i;
    tail[g] = i;
    members[g]++;
    total[g] += payload[i];
    closed[g] = payload[i] < payload[h] || (flags(i) & PSH) != 0;
    return true;
  }

  /** The latest group of entry {@code i}'s flow since the last barrier, or -1. */
  private int latestGroupOfFlow(int i) {
    for (int g = groups - 1; g >= searchFrom; g--) {
      if (keyed[g] && flowHash[head[g]] == flowHash[i] && sameFlow(head[g], i)) {
        return g;
      }
    }
    return -1;
  }

  private boolean sameFlow(int a, int b) {
    byte[] x = batch.buffer(a);
    byte[] y = batch.buffer(b);
    int xo = batch.offset(a);
    int yo = batch.offset(b);
    int version = (x[xo] & 0xff) >>> 4;
    if (version != (y[yo] & 0xff) >>> 4) {
      return false;
    }
    int from = version == 4 ? 12 : 8;
    int to = version == 4 ? 20 : 40;
    return Arrays.equals(x, xo + from, xo + to, y, yo + from, yo + to)
        && Arrays.equals(x, xo + ipLength[a], xo + ipLength[a] + 4,
            y, yo + ipLength[b], yo + ipLength[b] + 4);
  }

  /** Same flow assumed: whether the fields a super-packet keeps from its first segment agree. */
  private boolean sameHeaders(int a, int b) {
    if (tcpLength[a] != tcpLength[b]) {
      return false;
    }
    byte[] x = batch.buffer(a);
    byte[] y = batch.buffer(b);
    int xo = batch.offset(a);
    int yo = batch.offset(b);
    boolean ipAgrees = (x[xo] & 0xff) >>> 4 == 4
        ? x[xo + 1] == y[yo + 1] && x[xo + 6] == y[yo + 6] && x[xo + 7] == y[yo + 7]
            && x[xo + 8] == y[yo + 8]
        : Arrays.equals(x, xo, xo + 4, y, yo, yo + 4) && x[xo + 7] == y[yo + 7];
    int xt = xo + ipLength[a];
    int yt = yo + ipLength[b];
    // ACK number (bytes 8..11) and options (20..header end) must be equal.
    return ipAgrees && Arrays.equals(x, xt + 8, xt + 12, y, yt + 8, yt + 12)
        && Arrays.equals(x, xt + TcpIp.TCP_HEADER, xt + tcpLength[a],
            y, yt + TcpIp.TCP_HEADER, yt + tcpLength[b]);
  }

  private boolean verified(int e) {
    if (checked[e] == UNVERIFIED) {
      byte[] b = batch.buffer(e);
      int o = batch.offset(e);
      int version = (b[o] & 0xff) >>> 4;
      boolean ok = (version != 4 || Checksums.sum(b, o, ipLength[e]) == 0xffff)
          && TcpIp.tcpChecksumValid(b, o, version, o + ipLength[e], batch.length(e) - ipLength[e]);
      checked[e] = ok ? VERIFIED : CORRUPT;
    }
    return checked[e] == VERIFIED;
  }

  private int flags(int e) {
    return batch.buffer(e)[batch.offset(e) + ipLength[e] + 13] & 0xff;
  }

  /** Sorts entry {@code i} into OTHER, BARRIER, KEYED or CANDIDATE and records its fields. */
  private byte classify(int i) {
    byte[] b = batch.buffer(i);
    int o = batch.offset(i);
    int len = batch.length(i);
    if (len < TcpIp.IPV4_HEADER) {
      return OTHER;
    }
    int version = (b[o] & 0xff) >>> 4;
    int ip;
    boolean plainHeader;
    boolean lengthAgrees;
    if (version == 4) {
      ip = (b[o] & 0x0f) * 4;
      if (ip < TcpIp.IPV4_HEADER || ip > len || (b[o + 9] & 0xff) != TcpIp.PROTO_TCP) {
        return OTHER;
      }
      if ((TcpIp.u16(b, o + 6) & 0x3fff) != 0) {
        return BARRIER; // a fragment (MF or offset set): its ports may be elsewhere
      }
      plainHeader = ip == TcpIp.IPV4_HEADER;
      lengthAgrees = TcpIp.u16(b, o + 2) == len;
    } else if (version == 6) {
      if (len < TcpIp.IPV6_HEADER) {
        return OTHER;
      }
      int nextHeader = b[o + 6] & 0xff;
      if (nextHeader != TcpIp.PROTO_TCP) {
        // UDP, ICMPv6 and "no next header" are not TCP; anything else may hide a TCP header
        // behind extension headers (RFC 8200 section 4).
        return nextHeader == 17 || nextHeader == 58 || nextHeader == 59 ? OTHER : BARRIER;
      }
      ip = TcpIp.IPV6_HEADER;
      plainHeader = true;
      lengthAgrees = TcpIp.u16(b, o + 4) + TcpIp.IPV6_HEADER == len;
    } else {
      return OTHER;
    }
    if (len - ip < TcpIp.TCP_HEADER) {
      return BARRIER;
    }
    int tcp = o + ip;
    int tcpHeader = ((b[tcp + 12] & 0xff) >>> 4) * 4;
    if (tcpHeader < TcpIp.TCP_HEADER || tcpHeader > len - ip) {
      return BARRIER;
    }
    ipLength[i] = ip;
    tcpLength[i] = tcpHeader;
    payload[i] = len - ip - tcpHeader;
    sequence[i] = TcpIp.u32(b, tcp + 4);
    flowHash[i] = hashFlow(b, o, version, tcp);
    int tcpFlags = b[tcp + 13] & 0xff;
    boolean mergeable = plainHeader && lengthAgrees && payload[i] > 0
        && (tcpFlags == ACK || tcpFlags == (ACK | PSH));
    return mergeable ? CANDIDATE : KEYED;
  }

  private static int hashFlow(byte[] b, int o, int version, int tcp) {
    int h = TcpIp.u32(b, tcp);
    int from = o + (version == 4 ? 12 : 8);
    int to = o + (version == 4 ? 20 : 40);
    for (int at = from; at < to; at += 4) {
      h = h * 31 + TcpIp.u32(b, at);
    }
    return h;
  }

  private void ensureCapacity(int count) {
    if (next.length >= count) {
      return;
    }
    checked = new byte[count];
    ipLength = new int[count];
    tcpLength = new int[count];
    payload = new int[count];
    sequence = new int[count];
    flowHash = new int[count];
    next = new int[count];
    head = new int[count];
    tail = new int[count];
    members = new int[count];
    total = new int[count];
    keyed = new boolean[count];
    closed = new boolean[count];
  }

  @Override
  public String toString() {
    return "TcpCoalescer[groups=" + groups + "]";
  }
}
