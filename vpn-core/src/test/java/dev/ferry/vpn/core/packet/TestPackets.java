package dev.ferry.vpn.core.packet;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds valid IP packets for tests, with every checksum computed from scratch (independently of
 * {@link IpPacketView}'s incremental code): IPv4 (with options) and IPv6 (with extension headers)
 * carrying TCP, UDP, ICMP/ICMPv6 echo, ICMP errors that embed another packet, or any protocol; and
 * fragmentation of a built packet. Public so that other modules' tests can use it from the vpn-core
 * test-jar.
 *
 * <pre>{@code
 * byte[] p = TestPackets.packet("10.0.0.1", "10.0.0.2").udp(5000, 53).payload(data).build();
 * }</pre>
 */
public final class TestPackets {

  private TestPackets() {}

  /** A builder for a packet from {@code source} to {@code destination} (same family). */
  public static Builder packet(IpAddress source, IpAddress destination) {
    return new Builder(source, destination);
  }

  /** A builder for a packet between two addresses given as text. */
  public static Builder packet(String source, String destination) {
    return packet(IpAddress.parse(source), IpAddress.parse(destination));
  }

  /** What the packet carries. */
  public enum Upper {
    TCP,
    UDP,
    /** ICMP echo in IPv4, ICMPv6 echo in IPv6. */
    ICMP_ECHO,
    /** ICMP or ICMPv6 error with an embedded packet. */
    ICMP_ERROR,
    /** Protocol number given by {@link Builder#rawProtocol}, payload as is. */
    RAW
  }

  /** Builds one packet; setters return {@code this}. Reusable: {@link #build()} does not reset it. */
  public static final class Builder {
    private final IpAddress source;
    private final IpAddress destination;
    private int hopLimit = 64;
    private int identification = 0x1234;
    private boolean dontFragment;
    private int ipv4OptionWords;
    private int[] extensionHeaders = new int[0];
    private Upper upper = Upper.RAW;
    private int rawProtocol = 253; // RFC 3692 experimental
    private int sourcePort;
    private int destinationPort;
    private boolean udpZeroChecksum;
    private int tcpOptionWords;
    private int icmpType;
    private int icmpCode;
    private int icmpIdentifier;
    private int icmpSequence;
    private byte[] embedded = new byte[0];
    private byte[] payload = new byte[0];
    private int trailingBytes;

    private Builder(IpAddress source, IpAddress destination) {
      this.source = Objects.requireNonNull(source);
      this.destination = Objects.requireNonNull(destination);
      if (source.family() != destination.family()) {
        throw new IllegalArgumentException("source and destination families differ");
      }
    }

    public Builder hopLimit(int value) {
      this.hopLimit = value;
      return this;
    }

    public Builder identification(int value) {
      this.identification = value;
      return this;
    }

    public Builder dontFragment(boolean value) {
      this.dontFragment = value;
      return this;
    }

    /** IPv4 only: {@code words} 32-bit words of NOP options (0..10). */
    public Builder ipv4OptionWords(int words) {
      this.ipv4OptionWords = words;
      return this;
    }

    /**
     * IPv6 only: extension headers in order, from {@link IpProtocol#HOP_BY_HOP}, {@link
     * IpProtocol#IPV6_ROUTING}, {@link IpProtocol#IPV6_DESTINATION_OPTIONS}, {@link
     * IpProtocol#AH} and {@link IpProtocol#IPV6_FRAGMENT} (an atomic fragment header).
     */
    public Builder extensionHeaders(int... types) {
      this.extensionHeaders = types.clone();
      return this;
    }

    public Builder tcp(int sourcePort, int destinationPort) {
      this.upper = Upper.TCP;
      this.sourcePort = sourcePort;
      this.destinationPort = destinationPort;
      return this;
    }

    /** TCP options: {@code words} 32-bit words of NOPs (0..10). */
    public Builder tcpOptionWords(int words) {
      this.tcpOptionWords = words;
      return this;
    }

    public Builder udp(int sourcePort, int destinationPort) {
      this.upper = Upper.UDP;
      this.sourcePort = sourcePort;
      this.destinationPort = destinationPort;
      return this;
    }

    /** UDP over IPv4 without a checksum (field 0, RFC 768). */
    public Builder udpZeroChecksum(boolean value) {
      this.udpZeroChecksum = value;
      return this;
    }

    /** ICMP (IPv4) or ICMPv6 echo request or reply. */
    public Builder icmpEcho(boolean request, int identifier, int sequence) {
      this.upper = Upper.ICMP_ECHO;
      boolean v4 = source.family() == IpFamily.IPV4;
      this.icmpType = v4 ? (request ? 8 : 0) : (request ? 128 : 129);
      this.icmpCode = 0;
      this.icmpIdentifier = identifier;
      this.icmpSequence = sequence;
      return this;
    }

    /**
     * ICMP or ICMPv6 error of {@code type}/{@code code} carrying the first {@code keep} bytes of
     * {@code invoking} (all of it if {@code keep} is larger).
     */
    public Builder icmpError(int type, int code, byte[] invoking, int keep) {
      this.upper = Upper.ICMP_ERROR;
      this.icmpType = type;
      this.icmpCode = code;
      this.embedded = Arrays.copyOf(invoking, Math.min(keep, invoking.length));
      return this;
    }

    /** Any protocol number; the payload is carried as is. */
    public Builder rawProtocol(int protocol) {
      this.upper = Upper.RAW;
      this.rawProtocol = protocol;
      return this;
    }

    public Builder payload(byte[] bytes) {
      this.payload = bytes.clone();
      return this;
    }

    /** Bytes of 0xA5 after the stated length (like ESP TFC padding). */
    public Builder trailingBytes(int count) {
      this.trailingBytes = count;
      return this;
    }

    public byte[] build() {
      boolean v4 = source.family() == IpFamily.IPV4;
      int protocol = protocolNumber(v4);
      byte[] segment = segment(v4);
      byte[] header = v4 ? ipv4Header(protocol, segment.length) : ipv6Header(protocol, segment);
      int upperStart = header.length;
      byte[] packet = Arrays.copyOf(header, header.length + segment.length + trailingBytes);
      System.arraycopy(segment, 0, packet, upperStart, segment.length);
      Arrays.fill(packet, upperStart + segment.length, packet.length, (byte) 0xa5);
      fillTransportChecksum(packet, upperStart, segment.length, v4, protocol);
      if (v4) {
        putU16(packet, 10, ~foldSum(naiveSum(packet, 0, header.length)) & 0xffff);
      }
      return packet;
    }

    private int protocolNumber(boolean v4) {
      return switch (upper) {
        case TCP -> IpProtocol.TCP;
        case UDP -> IpProtocol.UDP;
        case ICMP_ECHO, ICMP_ERROR -> v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6;
        case RAW -> rawProtocol;
      };
    }

    private byte[] segment(boolean v4) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (upper) {
        case TCP -> {
          int headerLength = 20 + 4 * tcpOptionWords;
          byte[] h = new byte[headerLength];
          putU16(h, 0, sourcePort);
          putU16(h, 2, destinationPort);
          putU32(h, 4, 0x01020304);
          putU32(h, 8, 0x0a0b0c0d);
          h[12] = (byte) (headerLength / 4 << 4);
          h[13] = 0x18; // PSH, ACK
          putU16(h, 14, 8192);
          Arrays.fill(h, 20, headerLength, (byte) 1); // NOP options
          out.writeBytes(h);
        }
        case UDP -> {
          byte[] h = new byte[8];
          putU16(h, 0, sourcePort);
          putU16(h, 2, destinationPort);
          putU16(h, 4, 8 + payload.length);
          out.writeBytes(h);
        }
        case ICMP_ECHO -> {
          byte[] h = new byte[8];
          h[0] = (byte) icmpType;
          h[1] = (byte) icmpCode;
          putU16(h, 4, icmpIdentifier);
          putU16(h, 6, icmpSequence);
          out.writeBytes(h);
        }
        case ICMP_ERROR -> {
          byte[] h = new byte[8];
          h[0] = (byte) icmpType;
          h[1] = (byte) icmpCode;
          if (!v4 && icmpType == 2) {
            putU32(h, 4, 1280); // packet too big: MTU
          }
          out.writeBytes(h);
          out.writeBytes(embedded);
        }
        case RAW -> { }
      }
      if (upper != Upper.ICMP_ERROR) {
        out.writeBytes(payload);
      }
      return out.toByteArray();
    }

    private byte[] ipv4Header(int protocol, int segmentLength) {
      int headerLength = 20 + 4 * ipv4OptionWords;
      byte[] h = new byte[headerLength];
      h[0] = (byte) (0x40 | headerLength / 4);
      putU16(h, 2, headerLength + segmentLength);
      putU16(h, 4, identification);
      putU16(h, 6, dontFragment ? 0x4000 : 0);
      h[8] = (byte) hopLimit;
      h[9] = (byte) protocol;
      source.writeTo(h, 12);
      destination.writeTo(h, 16);
      Arrays.fill(h, 20, headerLength, (byte) 1); // NOP options (RFC 791)
      return h;
    }

    private byte[] ipv6Header(int protocol, byte[] segment) {
      ByteArrayOutputStream chain = new ByteArrayOutputStream();
      for (int i = 0; i < extensionHeaders.length; i++) {
        int next = i + 1 < extensionHeaders.length ? extensionHeaders[i + 1] : protocol;
        chain.writeBytes(extensionHeader(extensionHeaders[i], next));
      }
      byte[] ext = chain.toByteArray();
      byte[] h = new byte[40 + ext.length];
      putU32(h, 0, 0x6000_0000 | 0x12345);
      putU16(h, 4, ext.length + segment.length);
      h[6] = (byte) (extensionHeaders.length > 0 ? extensionHeaders[0] : protocol);
      h[7] = (byte) hopLimit;
      source.writeTo(h, 8);
      destination.writeTo(h, 24);
      System.arraycopy(ext, 0, h, 40, ext.length);
      return h;
    }

    private void fillTransportChecksum(
        byte[] p, int start, int length, boolean v4, int protocol) {
      int field = switch (upper) {
        case TCP -> 16;
        case UDP -> 6;
        case ICMP_ECHO, ICMP_ERROR -> 2;
        case RAW -> -1;
      };
      if (field < 0 || (upper == Upper.UDP && udpZeroChecksum)) {
        return;
      }
      long acc = naiveSum(p, start, length);
      if (!(v4 && protocol == IpProtocol.ICMP)) {
        acc += v4 ? pseudoIpv4(p, protocol, length) : pseudoIpv6(p, protocol, length);
      }
      int checksum = ~foldSum(acc) & 0xffff;
      if (upper == Upper.UDP && checksum == 0) {
        checksum = 0xffff; // RFC 768: a computed zero is sent as all ones
      }
      putU16(p, start + field, checksum);
    }
  }

  private static byte[] extensionHeader(int type, int next) {
    byte[] h;
    switch (type) {
      case IpProtocol.AH -> {
        h = new byte[24]; // RFC 4302: payload length 4 = (24 / 4) - 2; 96-bit ICV
        h[1] = 4;
        putU32(h, 4, 0x1000_0001); // SPI
        putU32(h, 8, 7); // sequence number
        Arrays.fill(h, 12, 24, (byte) 0x5a);
      }
      case IpProtocol.IPV6_FRAGMENT -> {
        h = new byte[8]; // atomic fragment: offset 0, M clear
        putU32(h, 4, 0xfeed_beef);
      }
      case IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_DESTINATION_OPTIONS -> {
        h = new byte[16];
        h[1] = 1; // 8 + 8 octets
        h[2] = 1; // PadN option covering the rest (RFC 8200 section 4.2)
        h[3] = 12;
      }
      case IpProtocol.IPV6_ROUTING -> {
        h = new byte[8]; // routing type 0 would be deprecated; type 253 is experimental, 0 left
        h[2] = (byte) 253;
      }
      default -> throw new IllegalArgumentException("not an extension header: " + type);
    }
    h[0] = (byte) next;
    return h;
  }

  /** Sum of an IPv4 pseudo-header for the packet's addresses, computed by hand. */
  private static long pseudoIpv4(byte[] p, int protocol, int length) {
    return u16(p, 12) + u16(p, 14) + u16(p, 16) + u16(p, 18) + protocol + length;
  }

  /** Sum of an IPv6 pseudo-header for the packet's addresses, computed by hand. */
  private static long pseudoIpv6(byte[] p, int protocol, int length) {
    long acc = protocol + (length >>> 16) + (length & 0xffff);
    for (int i = 8; i < 40; i += 2) {
      acc += u16(p, i);
    }
    return acc;
  }

  /**
   * Splits a packet into fragments whose fragmentable data is at most {@code maxData} octets (a
   * multiple of 8), as a router or the source would: IPv4 copies the header and sets MF and the
   * offset (RFC 791); IPv6 inserts a fragment header after the hop-by-hop and routing headers
   * (RFC 8200 section 4.5). Checksums stay those of the whole packet, as in real fragments.
   */
  public static List<byte[]> fragment(byte[] packet, int maxData, int identification) {
    if (maxData <= 0 || maxData % 8 != 0) {
      throw new IllegalArgumentException("fragment data size must be a positive multiple of 8");
    }
    return (packet[0] & 0xf0) == 0x40
        ? fragmentIpv4(packet, maxData)
        : fragmentIpv6(packet, maxData, identification);
  }

  private static List<byte[]> fragmentIpv4(byte[] packet, int maxData) {
    int headerLength = (packet[0] & 0x0f) * 4;
    int total = u16(packet, 2);
    List<byte[]> out = new ArrayList<>();
    for (int at = headerLength; at < total; at += maxData) {
      int data = Math.min(maxData, total - at);
      byte[] f = new byte[headerLength + data];
      System.arraycopy(packet, 0, f, 0, headerLength);
      System.arraycopy(packet, at, f, headerLength, data);
      putU16(f, 2, f.length);
      boolean more = at + data < total;
      putU16(f, 6, (u16(packet, 6) & 0x4000) | (more ? 0x2000 : 0) | (at - headerLength) / 8);
      putU16(f, 10, 0);
      putU16(f, 10, ~foldSum(naiveSum(f, 0, headerLength)) & 0xffff);
      out.add(f);
    }
    return out;
  }

  private static List<byte[]> fragmentIpv6(byte[] packet, int maxData, int identification) {
    int total = 40 + u16(packet, 4);
    int unfragmentable = 40;
    int nextField = 6;
    int next = packet[6] & 0xff;
    while (next == IpProtocol.HOP_BY_HOP || next == IpProtocol.IPV6_ROUTING) {
      nextField = unfragmentable;
      next = packet[unfragmentable] & 0xff;
      unfragmentable += ((packet[unfragmentable + 1] & 0xff) + 1) * 8;
    }
    List<byte[]> out = new ArrayList<>();
    for (int at = unfragmentable; at < total; at += maxData) {
      int data = Math.min(maxData, total - at);
      byte[] f = new byte[unfragmentable + 8 + data];
      System.arraycopy(packet, 0, f, 0, unfragmentable);
      f[nextField] = (byte) IpProtocol.IPV6_FRAGMENT;
      f[unfragmentable] = (byte) next;
      boolean more = at + data < total;
      putU16(f, unfragmentable + 2, (at - unfragmentable) | (more ? 1 : 0));
      putU32(f, unfragmentable + 4, identification);
      System.arraycopy(packet, at, f, unfragmentable + 8, data);
      putU16(f, 4, f.length - 40);
      out.add(f);
    }
    return out;
  }

  /** Plain RFC 1071 sum, word by word, kept apart from the production {@link Checksums}. */
  static long naiveSum(byte[] b, int off, int len) {
    long acc = 0;
    for (int i = 0; i < len; i += 2) {
      acc += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
    }
    return acc;
  }

  /** Folds carries back in until the sum fits 16 bits. */
  static int foldSum(long acc) {
    while (acc > 0xffff) {
      acc = (acc & 0xffff) + (acc >>> 16);
    }
    return (int) acc;
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static void putU16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static void putU32(byte[] b, int at, int v) {
    putU16(b, at, v >>> 16);
    putU16(b, at + 2, v);
  }
}
