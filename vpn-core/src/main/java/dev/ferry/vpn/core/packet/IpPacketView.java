package dev.ferry.vpn.core.packet;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A reusable, mutable view of one IPv4 or IPv6 packet inside a heap {@code byte[]}: header fields,
 * the upper-layer (TCP, UDP, ICMP, ICMPv6) header, and in-place rewriting of addresses, ports and
 * ICMP identifiers with every affected checksum updated incrementally (RFC 1624).
 *
 * <p>Use one view per thread: {@link #reset} points it at a packet, checks the headers and caches
 * their offsets, and returns {@link PacketDefect#NONE} or the reason the bytes are not a packet.
 * Neither {@code reset} nor any accessor or rewriter allocates, and none reads or writes outside
 * {@code buf[off, off+len)}. After a defect the view is invalid and its accessors throw {@link
 * IllegalStateException} until the next successful {@code reset}. {@link #parse(byte[])} is the
 * throwing convenience for code off the per-packet path.
 *
 * <p>Length: the view covers the length the IP header states (IPv4 total length, IPv6 payload
 * length + 40). Bytes after it in the given range are allowed and ignored: an ESP receiver finds
 * the end of an inner packet that way, past any TFC padding (RFC 4303 section 2.7).
 *
 * <p>Fragments: only the first fragment (offset 0) carries the transport header, so only it has
 * ports or ICMP fields; rewriting a later fragment changes the IP header alone.
 *
 * <p>ICMP errors ({@link #isIcmpError()}) embed the invoking packet (RFC 792, RFC 4443 section
 * 2.4), available as the nested view {@link #embedded()}. Rewriting the embedded packet also fixes
 * its IPv4 header checksum, its transport checksum when that field is among the bytes present, and
 * the outer ICMP checksum that covers all of them. The embedded transport checksum usually cannot
 * be verified (the packet is truncated); like Linux NAT, it is adjusted incrementally so that it
 * stays right if it was right. Rewriting the outer header never touches the embedded packet: a NAT
 * does both in turn (outer destination and embedded source for the reply direction).
 *
 * <p>Not thread-safe. A view does not copy the bytes: changes to the array are seen by the view.
 */
public final class IpPacketView {

  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final int IPV4_MIN_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final int ICMP_HEADER = 8;
  private static final int UDP_HEADER = 8;
  private static final int TCP_MIN_HEADER = 20;
  /** RFC 792 / RFC 4443 section 2.4: an ICMP error carries at least 8 octets of the transport. */
  private static final int EMBEDDED_TRANSPORT_MIN = 8;
  private static final int MAX_DATAGRAM = 65535;

  private static final int T_NONE = 0;
  private static final int T_TCP = 1;
  private static final int T_UDP = 2;
  private static final int T_ICMP = 3;
  private static final int T_ICMPV6 = 4;

  /** Non-null for the view of a packet embedded in an ICMP error: the view of the ICMP message. */
  private final IpPacketView parent;
  /** The nested view reused for ICMP errors; null in an embedded view (no deeper nesting). */
  private final IpPacketView embeddedView;

  private byte[] buf;
  private int off;
  private int avail;
  private boolean valid;
  private PacketDefect defect = PacketDefect.NONE;
  private int defectOffset;

  private int version;
  private int headerLength;
  private int totalLength;
  private int protocol;
  private int upperOffset;
  private int fragmentOffset;
  private boolean moreFragments;
  private int fragmentId;
  private int transport;
  private boolean icmpError;

  /** A view that points at nothing yet; call {@link #reset} before anything else. */
  public IpPacketView() {
    this.parent = null;
    this.embeddedView = new IpPacketView(this);
  }

  private IpPacketView(IpPacketView parent) {
    this.parent = parent;
    this.embeddedView = null;
  }

  /**
   * Parses a whole array as one packet into a new view, or throws {@link MalformedPacketException}
   * naming the field, offset and reason. For code off the per-packet path.
   */
  public static IpPacketView parse(byte[] packet) {
    return parse(packet, 0, packet.length);
  }

  /** Like {@link #parse(byte[])} for {@code buf[off, off+len)}. */
  public static IpPacketView parse(byte[] buf, int off, int len) {
    IpPacketView view = new IpPacketView();
    PacketDefect d = view.reset(buf, off, len);
    if (d != PacketDefect.NONE) {
      String detail = d == PacketDefect.MALFORMED_EMBEDDED_PACKET
          ? "embedded: " + view.embeddedView.defect.field() + ": " + view.embeddedView.defect.reason()
          : "";
      throw new MalformedPacketException(d, view.defectOffset, detail);
    }
    return view;
  }

  /**
   * Points this view at {@code buf[off, off+len)} and checks the IP header, the IPv6 extension
   * header chain, the transport header of a first fragment, and the packet embedded in an ICMP
   * error. Returns {@link PacketDefect#NONE} when the view is ready, else the first defect found
   * (the view is then invalid). Never throws for any byte content; throws only for a null array or
   * a range outside it (a programming error).
   */
  public PacketDefect reset(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    this.buf = buf;
    this.off = off;
    this.valid = false;
    this.transport = T_NONE;
    this.icmpError = false;
    this.fragmentOffset = 0;
    this.moreFragments = false;
    this.fragmentId = 0;
    PacketDefect d = parseIp(len);
    if (d == PacketDefect.NONE) {
      d = parseTransport();
    }
    this.defect = d;
    this.valid = d == PacketDefect.NONE;
    return d;
  }

  private PacketDefect fail(PacketDefect d, int at) {
    defectOffset = at;
    return d;
  }

  private PacketDefect parseIp(int len) {
    if (len < 1) {
      return fail(PacketDefect.TRUNCATED_IP_HEADER, 0);
    }
    version = (buf[off] & 0xff) >>> 4;
    if (parent != null && version != parent.version) {
      // RFC 792 / RFC 4443: ICMP carries an invoking packet of its own IP version.
      return fail(PacketDefect.BAD_VERSION, 0);
    }
    if (version == 4) {
      return parseIpv4(len);
    }
    if (version == 6) {
      return parseIpv6(len);
    }
    return fail(PacketDefect.BAD_VERSION, 0);
  }

  private PacketDefect parseIpv4(int len) {
    if (len < IPV4_MIN_HEADER) {
      return fail(PacketDefect.TRUNCATED_IP_HEADER, 0);
    }
    // RFC 791 section 3.1: IHL counts 32-bit words and is at least 5.
    headerLength = (buf[off] & 0x0f) * 4;
    if (headerLength < IPV4_MIN_HEADER || headerLength > len) {
      return fail(PacketDefect.BAD_IHL, 0);
    }
    totalLength = u16(off + 2);
    if (totalLength < headerLength || (parent == null && totalLength > len)) {
      return fail(PacketDefect.TOTAL_LENGTH_MISMATCH, 2);
    }
    avail = Math.min(len, totalLength);
    int flagsAndOffset = u16(off + 6);
    fragmentId = u16(off + 4);
    moreFragments = (flagsAndOffset & 0x2000) != 0;
    fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
    if (fragmentOffset + totalLength - headerLength > MAX_DATAGRAM) {
      return fail(PacketDefect.BAD_FRAGMENT, 6);
    }
    protocol = buf[off + 9] & 0xff;
    upperOffset = headerLength;
    return PacketDefect.NONE;
  }

  private PacketDefect parseIpv6(int len) {
    if (len < IPV6_HEADER) {
      return fail(PacketDefect.TRUNCATED_IP_HEADER, 0);
    }
    headerLength = IPV6_HEADER;
    totalLength = IPV6_HEADER + u16(off + 4);
    if (parent == null && totalLength > len) {
      return fail(PacketDefect.TOTAL_LENGTH_MISMATCH, 4);
    }
    avail = Math.min(len, totalLength);
    int nextHeader = buf[off + 6] & 0xff;
    int nextHeaderField = 6;
    int pos = IPV6_HEADER;
    boolean seenFragment = false;
    while (IpProtocol.isIpv6ExtensionHeader(nextHeader)) {
      // RFC 8200 section 4.1: hop-by-hop options only directly after the IPv6 header.
      if (nextHeader == IpProtocol.HOP_BY_HOP && pos != IPV6_HEADER) {
        return fail(PacketDefect.BAD_EXTENSION_CHAIN, nextHeaderField);
      }
      if (pos + 8 > avail) {
        return fail(PacketDefect.BAD_EXTENSION_CHAIN, pos);
      }
      int length;
      if (nextHeader == IpProtocol.IPV6_FRAGMENT) {
        // RFC 8200 section 4.5: fixed 8 octets; section 4.1: at most one fragment header.
        if (seenFragment) {
          return fail(PacketDefect.BAD_EXTENSION_CHAIN, nextHeaderField);
        }
        seenFragment = true;
        length = 8;
        int offsetAndFlags = u16(off + pos + 2);
        fragmentOffset = offsetAndFlags & 0xfff8;
        moreFragments = (offsetAndFlags & 1) != 0;
        fragmentId = (int) INT_BE.get(buf, off + pos + 4);
        if (fragmentOffset + totalLength - (pos + 8) > MAX_DATAGRAM) {
          return fail(PacketDefect.BAD_FRAGMENT, pos + 2);
        }
      } else if (nextHeader == IpProtocol.AH) {
        // RFC 4302 section 2.2: AH payload length is in 32-bit words, minus 2.
        length = ((buf[off + pos + 1] & 0xff) + 2) * 4;
      } else {
        // RFC 8200 section 4.3-4.6: Hdr Ext Len in 8-octet units, not counting the first 8.
        length = ((buf[off + pos + 1] & 0xff) + 1) * 8;
      }
      if (pos + length > avail) {
        return fail(PacketDefect.BAD_EXTENSION_CHAIN, pos);
      }
      nextHeaderField = pos;
      nextHeader = buf[off + pos] & 0xff;
      pos += length;
      if (seenFragment && fragmentOffset != 0) {
        // A later fragment continues the fragmentable part: what follows is not a header.
        break;
      }
    }
    protocol = nextHeader;
    upperOffset = pos;
    return PacketDefect.NONE;
  }

  private PacketDefect parseTransport() {
    if (fragmentOffset != 0) {
      return PacketDefect.NONE;
    }
    int kind = transportKind();
    if (kind == T_NONE) {
      return PacketDefect.NONE;
    }
    int present = avail - upperOffset;
    int minimum = kind == T_TCP && parent == null ? TCP_MIN_HEADER
        : parent == null ? ICMP_HEADER : EMBEDDED_TRANSPORT_MIN;
    if (present < minimum) {
      return fail(PacketDefect.TRUNCATED_TRANSPORT, upperOffset);
    }
    int at = off + upperOffset;
    if (parent == null) {
      if (kind == T_TCP) {
        // RFC 9293 section 3.1: data offset counts 32-bit words, at least 5.
        int dataOffset = (buf[at + 12] & 0xff) >>> 4;
        if (dataOffset < 5) {
          return fail(PacketDefect.BAD_TCP_DATA_OFFSET, upperOffset + 12);
        }
        if (dataOffset * 4 > present) {
          return fail(PacketDefect.TRUNCATED_TRANSPORT, upperOffset);
        }
      } else if (kind == T_UDP) {
        // RFC 768: the length counts header and data, so at least 8; it cannot exceed an
        // unfragmented datagram.
        int udpLength = u16(at + 4);
        if (udpLength < UDP_HEADER || (fragmentOffset == 0 && !moreFragments && udpLength > present)) {
          return fail(PacketDefect.BAD_UDP_LENGTH, upperOffset + 4);
        }
      }
    }
    transport = kind;
    if ((kind == T_ICMP || kind == T_ICMPV6) && isErrorType(kind, buf[at] & 0xff)) {
      icmpError = true;
      if (embeddedView != null) {
        int start = at + ICMP_HEADER;
        PacketDefect inner = embeddedView.reset(buf, start, present - ICMP_HEADER);
        if (inner != PacketDefect.NONE) {
          transport = T_NONE;
          return fail(
              PacketDefect.MALFORMED_EMBEDDED_PACKET,
              upperOffset + ICMP_HEADER + embeddedView.defectOffset);
        }
      }
    }
    return PacketDefect.NONE;
  }

  private int transportKind() {
    return switch (protocol) {
      case IpProtocol.TCP -> T_TCP;
      case IpProtocol.UDP -> T_UDP;
      case IpProtocol.ICMP -> version == 4 ? T_ICMP : T_NONE;
      case IpProtocol.ICMPV6 -> version == 6 ? T_ICMPV6 : T_NONE;
      default -> T_NONE;
    };
  }

  private static boolean isErrorType(int kind, int type) {
    if (kind == T_ICMP) {
      // RFC 792: destination unreachable, source quench, redirect, time exceeded, parameter
      // problem carry the invoking IP header and 64 bits of its data.
      return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
    // RFC 4443 section 2.1 and 3: destination unreachable, packet too big, time exceeded,
    // parameter problem carry as much of the invoking packet as fits.
    return type >= 1 && type <= 4;
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /** The defect found by the last {@link #reset}, {@link PacketDefect#NONE} when valid. */
  public PacketDefect defect() {
    return defect;
  }

  /** Offset from the packet start of the field at fault after a failed {@link #reset}. */
  public int defectOffset() {
    return defectOffset;
  }

  /**
   * After {@link PacketDefect#MALFORMED_EMBEDDED_PACKET}: what is wrong with the embedded packet;
   * otherwise {@link PacketDefect#NONE}.
   */
  public PacketDefect embeddedDefect() {
    return embeddedView != null && defect == PacketDefect.MALFORMED_EMBEDDED_PACKET
        ? embeddedView.defect
        : PacketDefect.NONE;
  }

  /** True after a successful {@link #reset}. */
  public boolean isValid() {
    return valid;
  }

  /** True for the view of a packet embedded in an ICMP error. */
  public boolean isEmbedded() {
    return parent != null;
  }

  private void requireValid() {
    if (!valid) {
      throw new IllegalStateException(
          "packet view is not valid: " + (buf == null ? "never reset" : defect.reason()));
    }
  }

  /** The array the view reads and writes. */
  public byte[] buffer() {
    requireValid();
    return buf;
  }

  /** Index of the first packet byte in {@link #buffer()}. */
  public int offset() {
    requireValid();
    return off;
  }

  /**
   * Packet bytes the view covers: the stated total length, or for an embedded packet the bytes
   * present, whichever is smaller.
   */
  public int length() {
    requireValid();
    return avail;
  }

  // ---------------------------------------------------------------------------------------------
  // IP header

  /** 4 or 6. */
  public int version() {
    requireValid();
    return version;
  }

  public IpFamily family() {
    requireValid();
    return version == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /** The fixed IP header length: IPv4 IHL × 4 (with options), IPv6 always 40. */
  public int headerLength() {
    requireValid();
    return headerLength;
  }

  /**
   * The stated packet length: IPv4 total length, IPv6 payload length + 40. For an embedded packet
   * this is usually more than {@link #length()} because ICMP carries only its beginning.
   */
  public int totalLength() {
    requireValid();
    return totalLength;
  }

  /** True when the embedded packet is cut short of its stated length; false for outer packets. */
  public boolean isTruncated() {
    requireValid();
    return avail < totalLength;
  }

  /**
   * The upper-layer protocol: IPv4 protocol field, or for IPv6 the next header after the walked
   * extension headers (hop-by-hop, routing, fragment, destination options, AH); ESP (50) and no
   * next header (59) end the walk. For a later IPv6 fragment, the fragment header's next header.
   */
  public int protocol() {
    requireValid();
    return protocol;
  }

  /** Offset from the packet start of the upper-layer header (after any extension headers). */
  public int upperLayerOffset() {
    requireValid();
    return upperOffset;
  }

  /** IPv4 TTL or IPv6 hop limit. */
  public int hopLimit() {
    requireValid();
    return buf[off + (version == 4 ? 8 : 7)] & 0xff;
  }

  /** IPv4 identification (16 bits) or the IPv6 fragment header identification (32 bits), else 0. */
  public int fragmentIdentification() {
    requireValid();
    return fragmentId;
  }

  /** Offset in octets of this fragment's data in the original datagram; 0 for the first. */
  public int fragmentOffset() {
    requireValid();
    return fragmentOffset;
  }

  /** The more-fragments flag (IPv4 MF, IPv6 fragment header M). */
  public boolean moreFragments() {
    requireValid();
    return moreFragments;
  }

  /**
   * True for a fragment of a larger datagram. An IPv6 "atomic fragment" (fragment header with
   * offset 0 and M clear) is not one: RFC 6946 processes it as a whole packet.
   */
  public boolean isFragment() {
    requireValid();
    return fragmentOffset != 0 || moreFragments;
  }

  /** IPv4 DF flag; always true for IPv6, which routers never fragment (RFC 8200 section 5). */
  public boolean dontFragment() {
    requireValid();
    return version == 6 || (buf[off + 6] & 0x40) != 0;
  }

  /** The IPv4 header checksum field as stored. */
  public int ipv4HeaderChecksum() {
    requireIpv4();
    return u16(off + 10);
  }

  // ---------------------------------------------------------------------------------------------
  // Addresses

  /** IPv4 source address bits (network order as an int). */
  public int sourceIpv4() {
    requireIpv4();
    return (int) INT_BE.get(buf, off + 12);
  }

  /** IPv4 destination address bits. */
  public int destinationIpv4() {
    requireIpv4();
    return (int) INT_BE.get(buf, off + 16);
  }

  /** First 64 bits of the IPv6 source address. */
  public long sourceIpv6High() {
    requireIpv6();
    return (long) LONG_BE.get(buf, off + 8);
  }

  /** Last 64 bits of the IPv6 source address. */
  public long sourceIpv6Low() {
    requireIpv6();
    return (long) LONG_BE.get(buf, off + 16);
  }

  /** First 64 bits of the IPv6 destination address. */
  public long destinationIpv6High() {
    requireIpv6();
    return (long) LONG_BE.get(buf, off + 24);
  }

  /** Last 64 bits of the IPv6 destination address. */
  public long destinationIpv6Low() {
    requireIpv6();
    return (long) LONG_BE.get(buf, off + 32);
  }

  /** The source address as a value (allocates; use the raw accessors per packet). */
  public IpAddress sourceAddress() {
    requireValid();
    return version == 4
        ? Ipv4Address.of(sourceIpv4())
        : Ipv6Address.of(sourceIpv6High(), sourceIpv6Low());
  }

  /** The destination address as a value (allocates). */
  public IpAddress destinationAddress() {
    requireValid();
    return version == 4
        ? Ipv4Address.of(destinationIpv4())
        : Ipv6Address.of(destinationIpv6High(), destinationIpv6Low());
  }

  private void requireIpv4() {
    requireValid();
    if (version != 4) {
      throw new IllegalStateException("packet is IPv6, not IPv4");
    }
  }

  private void requireIpv6() {
    requireValid();
    if (version != 6) {
      throw new IllegalStateException("packet is IPv4, not IPv6");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  /**
   * True when a TCP, UDP, ICMP (in IPv4) or ICMPv6 (in IPv6) header is present: the packet is not
   * a later fragment and the protocol is one of these. An embedded packet has at least its first
   * 8 octets.
   */
  public boolean hasTransportHeader() {
    requireValid();
    return transport != T_NONE;
  }

  /** True for a TCP or UDP header: ports are available. */
  public boolean hasPorts() {
    requireValid();
    return transport == T_TCP || transport == T_UDP;
  }

  public boolean isTcp() {
    requireValid();
    return transport == T_TCP;
  }

  public boolean isUdp() {
    requireValid();
    return transport == T_UDP;
  }

  /** True for an ICMP header in IPv4 or an ICMPv6 header in IPv6. */
  public boolean isIcmp() {
    requireValid();
    return transport == T_ICMP || transport == T_ICMPV6;
  }

  public int sourcePort() {
    requirePorts();
    return u16(off + upperOffset);
  }

  public int destinationPort() {
    requirePorts();
    return u16(off + upperOffset + 2);
  }

  /** The ICMP or ICMPv6 type. */
  public int icmpType() {
    requireIcmp();
    return buf[off + upperOffset] & 0xff;
  }

  /** The ICMP or ICMPv6 code. */
  public int icmpCode() {
    requireIcmp();
    return buf[off + upperOffset + 1] & 0xff;
  }

  /**
   * True for ICMP messages with an identifier at octet 4: ICMPv4 echo (0, 8), timestamp (13, 14)
   * and information (15, 16) per RFC 792; ICMPv6 echo (128, 129) per RFC 4443 section 4.
   */
  public boolean hasIcmpIdentifier() {
    requireValid();
    if (transport == T_ICMP) {
      int type = buf[off + upperOffset] & 0xff;
      return type == 0 || type == 8 || (type >= 13 && type <= 16);
    }
    if (transport == T_ICMPV6) {
      int type = buf[off + upperOffset] & 0xff;
      return type == 128 || type == 129;
    }
    return false;
  }

  /** The ICMP echo (or timestamp/information) identifier. */
  public int icmpIdentifier() {
    requireIcmpIdentifier();
    return u16(off + upperOffset + 4);
  }

  /**
   * True for an ICMP error that embeds the invoking packet: ICMPv4 types 3, 4, 5, 11, 12; ICMPv6
   * types 1 to 4.
   */
  public boolean isIcmpError() {
    requireValid();
    return icmpError;
  }

  /**
   * The view of the packet embedded in this ICMP error: its IP header and at least 8 octets of its
   * transport header, usually truncated ({@link #isTruncated()}). The same object every call;
   * valid until this view is reset. An embedded view has no embedded view of its own.
   */
  public IpPacketView embedded() {
    requireValid();
    if (!icmpError || embeddedView == null) {
      throw new IllegalStateException(
          parent != null ? "an embedded packet's own ICMP payload is not parsed"
              : "packet is not an ICMP error");
    }
    return embeddedView;
  }

  /** The transport checksum field as stored (TCP, UDP or ICMP), when present. */
  public int transportChecksum() {
    requireValid();
    int field = checksumFieldOffset();
    if (field < 0) {
      throw new IllegalStateException("no transport checksum field among the bytes present");
    }
    return u16(off + upperOffset + field);
  }

  private void requirePorts() {
    requireValid();
    if (transport != T_TCP && transport != T_UDP) {
      throw new IllegalStateException("packet has no TCP or UDP header");
    }
  }

  private void requireIcmp() {
    requireValid();
    if (transport != T_ICMP && transport != T_ICMPV6) {
      throw new IllegalStateException("packet has no ICMP header");
    }
  }

  private void requireIcmpIdentifier() {
    if (!hasIcmpIdentifier()) {
      throw new IllegalStateException("packet is not an ICMP message with an identifier");
    }
  }

  /** Offset of the checksum field within the transport header, or -1 if absent or not present. */
  private int checksumFieldOffset() {
    int field = switch (transport) {
      case T_TCP -> 16;
      case T_UDP -> 6;
      case T_ICMP, T_ICMPV6 -> 2;
      default -> -1;
    };
    return field >= 0 && upperOffset + field + 2 <= avail ? field : -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Rewriting

  /** Sets the IPv4 source address, updating the header and transport checksums. */
  public void setSourceIpv4(int address) {
    requireIpv4();
    rewriteIpv4Address(off + 12, address);
  }

  /** Sets the IPv4 destination address, updating the header and transport checksums. */
  public void setDestinationIpv4(int address) {
    requireIpv4();
    rewriteIpv4Address(off + 16, address);
  }

  /** Sets the IPv6 source address, updating the TCP, UDP or ICMPv6 checksum. */
  public void setSourceIpv6(long high, long low) {
    requireIpv6();
    rewriteIpv6Address(off + 8, high, low);
  }

  /** Sets the IPv6 destination address, updating the TCP, UDP or ICMPv6 checksum. */
  public void setDestinationIpv6(long high, long low) {
    requireIpv6();
    rewriteIpv6Address(off + 24, high, low);
  }

  /** Sets the source address; it must be of the packet's family. */
  public void setSourceAddress(IpAddress address) {
    requireFamily(address);
    if (address instanceof Ipv4Address v4) {
      setSourceIpv4(v4.bits());
    } else if (address instanceof Ipv6Address v6) {
      setSourceIpv6(v6.high(), v6.low());
    }
  }

  /** Sets the destination address; it must be of the packet's family. */
  public void setDestinationAddress(IpAddress address) {
    requireFamily(address);
    if (address instanceof Ipv4Address v4) {
      setDestinationIpv4(v4.bits());
    } else if (address instanceof Ipv6Address v6) {
      setDestinationIpv6(v6.high(), v6.low());
    }
  }

  private void requireFamily(IpAddress address) {
    requireValid();
    Objects.requireNonNull(address, "address");
    if (address.family() != family()) {
      throw new IllegalArgumentException(
          "cannot write " + address.family() + " address into an " + family() + " packet");
    }
  }

  /** Sets the TCP or UDP source port, updating the transport checksum. */
  public void setSourcePort(int port) {
    requirePorts();
    rewritePort(off + upperOffset, port);
  }

  /** Sets the TCP or UDP destination port, updating the transport checksum. */
  public void setDestinationPort(int port) {
    requirePorts();
    rewritePort(off + upperOffset + 2, port);
  }

  /** Sets the ICMP identifier ({@link #hasIcmpIdentifier()}), updating the ICMP checksum. */
  public void setIcmpIdentifier(int identifier) {
    requireIcmpIdentifier();
    checkU16(identifier, "ICMP identifier");
    int pos = off + upperOffset + 4;
    int old = u16(pos);
    writeWord(pos, old, identifier);
    // ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 section 2.3) checksums both cover the identifier.
    patchChecksum(off + upperOffset + 2, old, identifier, false);
  }

  /**
   * Decrements the IPv4 TTL or IPv6 hop limit for forwarding, updating the IPv4 header checksum.
   * Returns false and changes nothing when the value is 0 or 1: the packet must then be dropped
   * (RFC 1812 section 5.3.1, RFC 8200 section 3) rather than forwarded.
   */
  public boolean decrementHopLimit() {
    requireValid();
    int pos = off + (version == 4 ? 8 : 7);
    int hops = buf[pos] & 0xff;
    if (hops <= 1) {
      return false;
    }
    if (version == 4) {
      // TTL shares a 16-bit word with the protocol field.
      int oldWord = u16(pos);
      int newWord = oldWord - 0x100;
      writeWord(pos, oldWord, newWord);
      patchChecksum(off + 10, oldWord, newWord, false);
    } else {
      // IPv6 has no header checksum, and the hop limit is not in the pseudo-header.
      int oldWord = u16(off + 6);
      int newWord = oldWord - 1;
      writeWord(off + 6, oldWord, newWord);
    }
    return true;
  }

  private void rewriteIpv4Address(int pos, int address) {
    int old = (int) INT_BE.get(buf, pos);
    if (old == address) {
      return;
    }
    INT_BE.set(buf, pos, address);
    int oldSum = Checksums.sum32(old);
    int newSum = Checksums.sum32(address);
    notifyParent(oldSum, newSum);
    // RFC 791: the header checksum covers the addresses.
    patchChecksum(off + 10, oldSum, newSum, false);
    patchPseudoHeaderChecksum(oldSum, newSum);
  }

  private void rewriteIpv6Address(int pos, long high, long low) {
    long oldHigh = (long) LONG_BE.get(buf, pos);
    long oldLow = (long) LONG_BE.get(buf, pos + 8);
    if (oldHigh == high && oldLow == low) {
      return;
    }
    LONG_BE.set(buf, pos, high);
    LONG_BE.set(buf, pos + 8, low);
    int oldSum = Checksums.sum128(oldHigh, oldLow);
    int newSum = Checksums.sum128(high, low);
    notifyParent(oldSum, newSum);
    patchPseudoHeaderChecksum(oldSum, newSum);
  }

  /**
   * The addresses are part of the pseudo-header of TCP and UDP (RFC 793 section 3.1, RFC 768,
   * RFC 8200 section 8.1) and ICMPv6 (RFC 4443 section 2.3); ICMPv4 has none (RFC 792).
   */
  private void patchPseudoHeaderChecksum(int oldSum, int newSum) {
    if (transport == T_ICMP || transport == T_NONE) {
      return;
    }
    int field = checksumFieldOffset();
    if (field >= 0) {
      patchChecksum(off + upperOffset + field, oldSum, newSum, transport == T_UDP);
    }
  }

  private void rewritePort(int pos, int port) {
    checkU16(port, "port");
    int old = u16(pos);
    if (old == port) {
      return;
    }
    writeWord(pos, old, port);
    int field = checksumFieldOffset();
    if (field >= 0) {
      patchChecksum(off + upperOffset + field, old, port, transport == T_UDP);
    }
  }

  /**
   * Applies RFC 1624 eqn. 3 to the checksum field at {@code pos}. For UDP, a zero field means "no
   * checksum" (RFC 768; also allowed for IPv6 tunnels by RFC 6935) and stays zero, and a computed
   * zero is sent as 0xffff.
   */
  private void patchChecksum(int pos, int oldSum, int newSum, boolean udp) {
    int oldCk = u16(pos);
    if (udp && oldCk == 0) {
      return;
    }
    int newCk = Checksums.update(oldCk, oldSum, newSum);
    if (udp && newCk == 0) {
      newCk = 0xffff;
    }
    writeWord(pos, oldCk, newCk);
  }

  /** Writes a 16-bit word and, in an embedded packet, keeps the enclosing ICMP checksum right. */
  private void writeWord(int pos, int oldWord, int newWord) {
    buf[pos] = (byte) (newWord >>> 8);
    buf[pos + 1] = (byte) newWord;
    notifyParent(oldWord & 0xffff, newWord & 0xffff);
  }

  /**
   * An embedded packet lies inside the ICMP message whose checksum covers it (RFC 792, RFC 4443
   * section 2.3); its words start at even offsets from the ICMP header (8 octets, then IP headers
   * of whole 32-bit words), so a word change here is a word change there.
   */
  private void notifyParent(int oldSum, int newSum) {
    if (parent != null) {
      parent.patchChecksum(parent.off + parent.upperOffset + 2, oldSum, newSum, false);
    }
  }

  private static void checkU16(int value, String what) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(what + " " + value + " is outside 0..65535");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Full computation

  /** The IPv4 header checksum computed from scratch (RFC 791, RFC 1071). */
  public int computeIpv4HeaderChecksum() {
    requireIpv4();
    return sumSkippingField(off, headerLength, 10, 0) ^ 0xffff;
  }

  /**
   * True when the whole transport segment is present, so its checksum can be computed: a TCP,
   * UDP, ICMP or ICMPv6 header in a packet that is neither a fragment nor truncated.
   */
  public boolean hasCompleteTransport() {
    requireValid();
    if (transport == T_NONE || isFragment() || avail != totalLength || checksumFieldOffset() < 0) {
      return false;
    }
    if (transport == T_UDP) {
      // An embedded datagram's UDP length is not checked by reset(); it must fit to be summed.
      int udpLength = u16(off + upperOffset + 4);
      return udpLength >= UDP_HEADER && udpLength <= avail - upperOffset;
    }
    return true;
  }

  /**
   * The transport checksum computed from scratch over the pseudo-header (except ICMPv4) and the
   * whole segment, with UDP's zero result given as 0xffff (RFC 768). Requires {@link
   * #hasCompleteTransport()}.
   */
  public int computeTransportChecksum() {
    if (!hasCompleteTransport()) {
      throw new IllegalStateException("the whole transport segment is not in this packet");
    }
    int start = off + upperOffset;
    int length = transport == T_UDP ? u16(start + 4) : avail - upperOffset;
    int pseudo;
    if (transport == T_ICMP) {
      pseudo = 0;
    } else if (version == 4) {
      pseudo = Checksums.pseudoHeaderSumIpv4(sourceIpv4(), destinationIpv4(), protocol, length);
    } else {
      pseudo = Checksums.pseudoHeaderSumIpv6(buf, off + 8, off + 24, protocol, length);
    }
    int checksum = sumSkippingField(start, length, checksumFieldOffset(), pseudo) ^ 0xffff;
    return transport == T_UDP && checksum == 0 ? 0xffff : checksum;
  }

  /**
   * Writes the IPv4 header checksum and, when {@link #hasCompleteTransport()}, the transport
   * checksum, both computed from scratch. Does not touch an embedded packet.
   */
  public void recomputeChecksums() {
    requireValid();
    if (hasCompleteTransport()) {
      int pos = off + upperOffset + checksumFieldOffset();
      int checksum = computeTransportChecksum();
      writeWord(pos, u16(pos), checksum);
    }
    if (version == 4) {
      int checksum = computeIpv4HeaderChecksum();
      writeWord(off + 10, u16(off + 10), checksum);
    }
  }

  /** Sum of {@code buf[start, start+length)} plus {@code initial}, with the field at 0. */
  private int sumSkippingField(int start, int length, int field, int initial) {
    // Both parts start at even offsets, so summing them apart keeps the word alignment.
    long acc = initial;
    acc += Checksums.sum(buf, start, field);
    acc += Checksums.sum(buf, start + field + 2, length - field - 2);
    return Checksums.fold(acc);
  }

  private int u16(int pos) {
    return (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
  }

  @Override
  public String toString() {
    if (!valid) {
      return "IpPacketView[" + (buf == null ? "unset" : defect.name()) + "]";
    }
    StringBuilder sb = new StringBuilder("IpPacketView[");
    sb.append(sourceAddress()).append(" > ").append(destinationAddress())
        .append(" proto ").append(protocol).append(" len ").append(totalLength);
    if (hasPorts()) {
      sb.append(" ports ").append(sourcePort()).append(" > ").append(destinationPort());
    }
    if (isIcmp()) {
      sb.append(" icmp ").append(icmpType()).append('/').append(icmpCode());
    }
    if (isFragment()) {
      sb.append(" fragment @").append(fragmentOffset).append(moreFragments ? "+" : "");
    }
    return sb.append(']').toString();
  }
}
