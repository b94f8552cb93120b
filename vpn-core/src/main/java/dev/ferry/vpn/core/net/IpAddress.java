package dev.ferry.vpn.core.net;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address as an immutable value. Unlike {@link java.net.InetAddress}, parsing never
 * touches DNS, there is no scope or host name, and equality is by bits alone.
 *
 * <p>Ordering: every IPv4 address sorts before every IPv6 address; within a family, addresses
 * compare as unsigned integers.
 */
public sealed interface IpAddress extends Comparable<IpAddress> permits Ipv4Address, Ipv6Address {

  /** Parses dotted-quad IPv4 or RFC 4291 section 2.2 IPv6 text (no zone, no brackets). */
  static IpAddress parse(String text) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "address is missing");
    }
    return text.indexOf(':') >= 0 ? Ipv6Address.parse(text) : Ipv4Address.parse(text);
  }

  /** Reads a 4- or 16-byte network-order address. */
  static IpAddress fromBytes(byte[] bytes) {
    return switch (bytes.length) {
      case 4 -> Ipv4Address.fromBytes(bytes, 0);
      case 16 -> Ipv6Address.fromBytes(bytes, 0);
      default ->
          throw new IllegalArgumentException(
              "address must be 4 or 16 bytes, got " + bytes.length);
    };
  }

  /** The zero address of a family ({@code 0.0.0.0} or {@code ::}). */
  static IpAddress zero(IpFamily family) {
    return family == IpFamily.IPV4 ? Ipv4Address.ZERO : Ipv6Address.ZERO;
  }

  IpFamily family();

  /** 32 or 128. */
  default int bitLength() {
    return family().bitLength();
  }

  /** Network-order bytes; a fresh array each call. */
  byte[] toBytes();

  /** Writes the network-order bytes at {@code dst[offset]}. */
  void writeTo(byte[] dst, int offset);

  /** The address as an unsigned integer. */
  BigInteger toBigInteger();

  /** Keeps the first {@code prefixLength} bits and clears the rest. */
  IpAddress mask(int prefixLength);

  /** Sets every bit after the first {@code prefixLength} bits. */
  IpAddress fillHostBits(int prefixLength);

  /** Bit {@code index} counted from the most significant bit (index 0). */
  boolean bit(int index);

  /**
   * Keeps this address's last {@code bitLength() - prefixLength} bits and takes the first {@code
   * prefixLength} bits from {@code network}: the 1:1 subnet NAT rule ("host bits kept").
   */
  IpAddress withNetworkBits(IpAddress network, int prefixLength);

  /** This address plus {@code delta} (which may be negative), or an exception on overflow. */
  IpAddress plus(long delta);

  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  @Override
  String toString();

  @Override
  default int compareTo(IpAddress other) {
    if (family() != other.family()) {
      return family() == IpFamily.IPV4 ? -1 : 1;
    }
    if (this instanceof Ipv4Address a && other instanceof Ipv4Address b) {
      return Integer.compareUnsigned(a.bits(), b.bits());
    }
    Ipv6Address a = (Ipv6Address) this;
    Ipv6Address b = (Ipv6Address) other;
    int c = Long.compareUnsigned(a.high(), b.high());
    return c != 0 ? c : Long.compareUnsigned(a.low(), b.low());
  }
}
