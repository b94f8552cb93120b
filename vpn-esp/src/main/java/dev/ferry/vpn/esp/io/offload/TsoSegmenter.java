package dev.ferry.vpn.esp.io.offload;

import static dev.ferry.vpn.esp.io.offload.TcpIp.CWR;
import static dev.ferry.vpn.esp.io.offload.TcpIp.FIN;
import static dev.ferry.vpn.esp.io.offload.TcpIp.PSH;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.packet.Checksums;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * "GSO in userspace": splits what a TUN device with {@code IFF_VNET_HDR} and TSO offloads hands
 * out (a virtio_net_hdr followed by one packet of up to 64 KiB) into the MTU-sized IP packets the
 * rest of the data plane expects, doing what the kernel's {@code tcp_gso_segment()} and {@code
 * inet_gso_segment()}/{@code ipv6_gso_segment()} would have done on a device without TSO:
 *
 * <ul>
 *   <li>every segment gets a copy of the IP and TCP headers and the next {@code gso_size} payload
 *       bytes (the last one the rest);
 *   <li>IPv4: total length, identification incremented per segment (the kernel's default when
 *       SKB_GSO_TCP_FIXEDID is not set) and a fresh header checksum; IPv6: payload length (any
 *       extension headers are copied; the TCP header starts at {@code csum_start});
 *   <li>TCP: sequence number advanced by the payload before it, FIN and PSH only on the last
 *       segment, CWR only on the first (RFC 3168 section 6.1.2: CWR once per window reduction),
 *       and the full checksum over pseudo-header and segment.
 * </ul>
 *
 * A packet without GSO but with {@code NEEDS_CSUM} (CHECKSUM_PARTIAL) gets its checksum completed
 * as {@code skb_checksum_help()} does: the field holds the pseudo-header sum, the sum from {@code
 * csum_start} to the end is folded into it (0 is sent as 0xffff, which means the same in one's
 * complement and is what UDP needs, RFC 768).
 *
 * <p>{@link #load} takes one packet as read; {@link #drainInto} writes as many segments as the
 * batch has room for and keeps the rest for the next call, so the caller must not overwrite the
 * loaded buffer while {@link #hasPending}. Malformed input is dropped and counted by {@link
 * OffloadDrop}, never thrown. Not thread-safe (one reader thread); the counters may be read from
 * any thread. Allocates nothing per packet.
 */
public final class TsoSegmenter {

  private final int maxPacketLength;
  private final AtomicLongArray drops = new AtomicLongArray(OffloadDrop.values().length);

  // The loaded packet (without its virtio header) and how far it has been segmented.
  private byte[] source;
  private int packet;
  private int packetLength;
  private boolean gso;
  private int version;
  // Without GSO: where the checksum to complete starts and its field, from the packet start
  // (field -1: nothing to complete).
  private int checksumStart;
  private int checksumField;
  private int ipHeader;
  private int headers;
  private int segmentPayload;
  private int nextPayload;
  private int segmentIndex;
  private boolean pending;
  private long superPackets;

  /** A segmenter whose segments (and whole packets) are at most {@code maxPacketLength} bytes. */
  public TsoSegmenter(int maxPacketLength) {
    if (maxPacketLength < 68 || maxPacketLength > 65535) {
      throw new IllegalArgumentException(
          "maximum packet length " + maxPacketLength + " is outside 68..65535");
    }
    this.maxPacketLength = maxPacketLength;
  }

  /** Whether segments of the last loaded packet are still waiting for {@link #drainInto}. */
  public boolean hasPending() {
    return pending;
  }

  /**
   * Takes the virtio_net_hdr and packet at {@code buf[off, off+length)} (as one read returned
   * them). The array is used in place until no longer {@link #hasPending}.
   *
   * @return true if the packet yields segments; false if it was dropped (and counted)
   */
  public boolean load(byte[] buf, int off, int length) {
    pending = false;
    int p = off + VirtioNetHeader.LENGTH;
    int len = length - VirtioNetHeader.LENGTH;
    if (len < TcpIp.IPV4_HEADER) {
      return drop(OffloadDrop.TRUNCATED);
    }
    int v = (buf[p] & 0xff) >>> 4;
    if (v != 4 && v != 6 || v == 6 && len < TcpIp.IPV6_HEADER) {
      return drop(OffloadDrop.TRUNCATED);
    }
    int flags = VirtioNetHeader.flags(buf, off);
    int type = VirtioNetHeader.gsoType(buf, off);
    int csumStart = VirtioNetHeader.csumStart(buf, off);
    int csumOffset = VirtioNetHeader.csumOffset(buf, off);
    source = buf;
    packet = p;
    packetLength = len;
    version = v;
    segmentIndex = 0;
    int baseType = type & ~VirtioNetHeader.GSO_ECN;
    if (baseType == VirtioNetHeader.GSO_NONE) {
      if (len > maxPacketLength) {
        return drop(OffloadDrop.LONGER_THAN_MTU);
      }
      if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
        // The 2-byte field must lie inside the summed range, which must lie inside the packet.
        if (csumStart >= len || csumOffset > len - csumStart - 2) {
          return drop(OffloadDrop.BAD_CHECKSUM_RANGE);
        }
      }
      gso = false;
      checksumStart = csumStart;
      checksumField = (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0 ? csumStart + csumOffset : -1;
      pending = true;
      return true;
    }
    if (baseType != VirtioNetHeader.GSO_TCPV4 && baseType != VirtioNetHeader.GSO_TCPV6
        || (baseType == VirtioNetHeader.GSO_TCPV4) != (v == 4)) {
      return drop(OffloadDrop.UNSUPPORTED_GSO);
    }
    return loadTcpGso(buf, off, flags, csumStart, csumOffset);
  }

  private boolean loadTcpGso(byte[] buf, int off, int flags, int csumStart,
      int csumOffset) {
    int p = packet;
    int len = packetLength;
    int gsoSize = VirtioNetHeader.gsoSize(buf, off);
    if (gsoSize == 0 || VirtioNetHeader.hdrLen(buf, off) > len) {
      return drop(OffloadDrop.BAD_GSO_HEADER);
    }
    // The kernel always sets NEEDS_CSUM on TSO packets, with csum_start at the TCP header. We do
    // not trust hdr_len: tun_put_user() fills it with skb_headlen(), which on a forwarded packet
    // can cover payload too (wireguard-go makes the same observation); the TCP header says it.
    if ((flags & VirtioNetHeader.F_NEEDS_CSUM) == 0 || csumOffset != TcpIp.TCP_CHECKSUM
        || csumStart > len - TcpIp.TCP_HEADER) {
      return drop(OffloadDrop.BAD_CHECKSUM_RANGE);
    }
    int ipLength;
    if (version == 4) {
      ipLength = (buf[p] & 0x0f) * 4;
      if (ipLength < TcpIp.IPV4_HEADER || ipLength != csumStart
          || (buf[p + 9] & 0xff) != TcpIp.PROTO_TCP) {
        return drop(OffloadDrop.BAD_CHECKSUM_RANGE);
      }
    } else {
      ipLength = csumStart;
      if (ipLength < TcpIp.IPV6_HEADER
          || ipLength == TcpIp.IPV6_HEADER && (buf[p + 6] & 0xff) != TcpIp.PROTO_TCP) {
        return drop(OffloadDrop.BAD_CHECKSUM_RANGE);
      }
    }
    int tcpLength = ((buf[p + csumStart + 12] & 0xff) >>> 4) * 4;
    if (tcpLength < TcpIp.TCP_HEADER || tcpLength > len - csumStart) {
      return drop(OffloadDrop.BAD_GSO_HEADER);
    }
    int hdr = csumStart + tcpLength;
    if (hdr + Math.min(gsoSize, len - hdr) > maxPacketLength) {
      return drop(OffloadDrop.LONGER_THAN_MTU);
    }
    gso = true;
    superPackets++;
    ipHeader = ipLength;
    headers = hdr;
    segmentPayload = gsoSize;
    nextPayload = hdr;
    pending = true;
    return true;
  }

  /**
   * Writes segments of the loaded packet into entries {@code [index, limit)} of {@code batch}, at
   * its headroom, in order.
   *
   * @return how many entries were written; {@link #hasPending} says whether more remain
   * @throws IllegalArgumentException if the batch's entries are shorter than this segmenter's
   *     maximum packet length (a programming error)
   */
  public int drainInto(PacketBatch batch, int index, int limit) {
    if (batch.maxPacketLength() < maxPacketLength) {
      throw new IllegalArgumentException("batch entries hold " + batch.maxPacketLength()
          + " bytes, fewer than the maximum packet length " + maxPacketLength);
    }
    if (!pending || index >= limit) {
      return 0;
    }
    if (!gso) {
      byte[] dst = batch.buffer(index);
      int at = batch.headroom();
      System.arraycopy(source, packet, dst, at, packetLength);
      if (checksumField >= 0) {
        completeChecksum(dst, at + checksumStart, packetLength - checksumStart,
            at + checksumField);
      }
      batch.set(index, at, packetLength);
      pending = false;
      return 1;
    }
    int written = 0;
    while (index + written < limit) {
      int chunk = Math.min(segmentPayload, packetLength - nextPayload);
      boolean last = nextPayload + chunk >= packetLength;
      writeSegment(batch, index + written, chunk, last);
      written++;
      nextPayload += chunk;
      segmentIndex++;
      if (last) {
        pending = false;
        break;
      }
    }
    return written;
  }

  private void writeSegment(PacketBatch batch, int index, int chunk, boolean last) {
    byte[] dst = batch.buffer(index);
    int ip = batch.headroom();
    int length = headers + chunk;
    System.arraycopy(source, packet, dst, ip, headers);
    System.arraycopy(source, packet + nextPayload, dst, ip + headers, chunk);
    if (version == 4) {
      TcpIp.put16(dst, ip + 2, length);
      TcpIp.put16(dst, ip + 4, TcpIp.u16(source, packet + 4) + segmentIndex);
      TcpIp.fillIpv4Checksum(dst, ip, ipHeader);
    } else {
      TcpIp.put16(dst, ip + 4, length - TcpIp.IPV6_HEADER);
    }
    int tcp = ip + ipHeader;
    int sequence = TcpIp.u32(source, packet + ipHeader + 4);
    TcpIp.put32(dst, tcp + 4, sequence + (nextPayload - headers));
    int tcpFlags = dst[tcp + 13] & 0xff;
    if (!last) {
      tcpFlags &= ~(FIN | PSH);
    }
    if (segmentIndex > 0) {
      tcpFlags &= ~CWR;
    }
    dst[tcp + 13] = (byte) tcpFlags;
    TcpIp.fillTcpChecksum(dst, ip, version, tcp, length - ipHeader);
    batch.set(index, ip, length);
  }

  /** Folds the sum of {@code b[start, start+length)} into the field at {@code field}. */
  private static void completeChecksum(byte[] b, int start, int length, int field) {
    int checksum = ~Checksums.sum(b, start, length) & 0xffff;
    TcpIp.put16(b, field, checksum == 0 ? 0xffff : checksum);
  }

  private boolean drop(OffloadDrop reason) {
    drops.incrementAndGet(reason.ordinal());
    pending = false;
    return false;
  }

  /** TCP super-packets loaded since this segmenter was made (read by the reader thread only). */
  public long superPackets() {
    return superPackets;
  }

  /** Packets dropped for {@code reason} since this segmenter was made. */
  public long drops(OffloadDrop reason) {
    return drops.get(reason.ordinal());
  }

  /** Packets dropped for any reason since this segmenter was made. */
  public long drops() {
    long total = 0;
    for (int i = 0; i < drops.length(); i++) {
      total += drops.get(i);
    }
    return total;
  }

  @Override
  public String toString() {
    return "TsoSegmenter[maxPacketLength=" + maxPacketLength + ", drops=" + drops() + "]";
  }
}
