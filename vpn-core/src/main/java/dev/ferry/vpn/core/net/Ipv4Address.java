package dev.ferry.vpn.core.net;

import java.math.BigInteger;

/** An IPv4 address held as its 32 bits in one {@code int} (network order, unsigned). */
public record Ipv4Address(int bits) implements IpAddress {

  public static final Ipv4Address ZERO = new Ipv4Address(0);
  public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

  public static Ipv4Address of(int bits) {
    return new Ipv4Address(bits);
  }

  public static Ipv4Address of(int a, int b, int c, int d) {
    for (int octet : new int[] {a, b, c, d}) {
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("octet " + octet + " is outside 0..255");
      }
    }
    return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
  }

  /**
   * Parses strict dotted-quad text: four decimal octets 0..255, no leading zeros (they would be
   * octal to some parsers, so they are refused rather than guessed), no spaces.
   */
  public static Ipv4Address parse(String text) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "address is missing");
    }
    int len = text.length();
    if (len == 0) {
      throw new AddressFormatException(text, -1, "empty text is not an IPv4 address");
    }
    int bits = 0;
    int octets = 0;
    int i = 0;
    while (true) {
      int start = i;
      int value = 0;
      while (i < len && i - start < 4) {
        char ch = text.charAt(i);
        if (ch < '0' || ch > '9') {
          break;
        }
        value = value * 10 + (ch - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0) {
        throw new AddressFormatException(
            text, i, i < len ? "expected a decimal digit, found '" + text.charAt(i) + "'"
                : "expected a decimal digit at the end");
      }
      if (digits > 3 || value > 255) {
        throw new AddressFormatException(text, start, "octet is greater than 255");
      }
      if (digits > 1 && text.charAt(start) == '0') {
        throw new AddressFormatException(text, start, "octet has a leading zero");
      }
      bits = bits << 8 | value;
      octets++;
      if (octets == 4) {
        if (i != len) {
          throw new AddressFormatException(text, i, "unexpected text after the fourth octet");
        }
        return new Ipv4Address(bits);
      }
      if (i >= len || text.charAt(i) != '.') {
        throw new AddressFormatException(
            text, i, "expected '.' after octet " + octets + " (an IPv4 address has 4 octets)");
      }
      i++;
    }
  }

  /** Reads 4 network-order bytes at {@code src[offset]}. */
  public static Ipv4Address fromBytes(byte[] src, int offset) {
    return new Ipv4Address(
        (src[offset] & 0xff) << 24
            | (src[offset + 1] & 0xff) << 16
            | (src[offset + 2] & 0xff) << 8
            | (src[offset + 3] & 0xff));
  }

  /** Network mask with {@code prefixLength} leading ones, as an int. */
  public static int maskBits(int prefixLength) {
    checkPrefixLength(prefixLength);
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  static void checkPrefixLength(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("IPv4 prefix length " + prefixLength + " is outside 0..32");
    }
  }

  @Override
  public IpFamily family() {
    return IpFamily.IPV4;
  }

  @Override
  public byte[] toBytes() {
    byte[] out = new byte[4];
    writeTo(out, 0);
    return out;
  }

  @Override
  public void writeTo(byte[] dst, int offset) {
    dst[offset] = (byte) (bits >>> 24);
    dst[offset + 1] = (byte) (bits >>> 16);
    dst[offset + 2] = (byte) (bits >>> 8);
    dst[offset + 3] = (byte) bits;
  }

  /** The 32 bits as a non-negative long. */
  public long toUnsignedLong() {
    return Integer.toUnsignedLong(bits);
  }

  @Override
  public BigInteger toBigInteger() {
    return BigInteger.valueOf(toUnsignedLong());
  }

  @Override
  public Ipv4Address mask(int prefixLength) {
    return new Ipv4Address(bits & maskBits(prefixLength));
  }

  @Override
  public Ipv4Address fillHostBits(int prefixLength) {
    return new Ipv4Address(bits | ~maskBits(prefixLength));
  }

  @Override
  public boolean bit(int index) {
    if (index < 0 || index >= 32) {
      throw new IllegalArgumentException("IPv4 bit index " + index + " is outside 0..31");
    }
    return (bits >>> (31 - index) & 1) != 0;
  }

  @Override
  public Ipv4Address withNetworkBits(IpAddress network, int prefixLength) {
    if (!(network instanceof Ipv4Address net)) {
      throw new IllegalArgumentException("cannot combine IPv4 " + this + " with IPv6 " + network);
    }
    int m = maskBits(prefixLength);
    return new Ipv4Address(net.bits & m | bits & ~m);
  }

  @Override
  public Ipv4Address plus(long delta) {
    long sum = toUnsignedLong() + delta;
    if (sum < 0 || sum > 0xffff_ffffL) {
      throw new ArithmeticException(this + " + " + delta + " leaves the IPv4 address space");
    }
    return new Ipv4Address((int) sum);
  }

  @Override
  public String toString() {
    return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
  }
}
