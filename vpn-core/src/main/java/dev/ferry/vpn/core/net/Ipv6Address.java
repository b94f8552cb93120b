package dev.ferry.vpn.core.net;

import java.math.BigInteger;

/** An IPv6 address held as two longs: the first 64 bits ({@code high}) and the last 64 ({@code low}). */
public record Ipv6Address(long high, long low) implements IpAddress {

  public static final Ipv6Address ZERO = new Ipv6Address(0, 0);

  public static Ipv6Address of(long high, long low) {
    return new Ipv6Address(high, low);
  }

  /**
   * Parses RFC 4291 section 2.2 text: eight groups of up to four hex digits, one optional {@code ::}
   * for a run of zero groups, and an optional dotted-quad tail for the last 32 bits. Zone indices
   * ({@code %eth0}) and brackets are refused: they are not part of an address value.
   */
  public static Ipv6Address parse(String text) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "address is missing");
    }
    int len = text.length();
    if (len == 0) {
      throw new AddressFormatException(text, -1, "empty text is not an IPv6 address");
    }
    if (len > 45) {
      throw new AddressFormatException(text, 45, "too long for an IPv6 address");
    }
    int[] groups = new int[8];
    int count = 0;
    int doubleColonAt = -1; // group index where "::" stands
    int i = 0;
    if (text.startsWith("::")) {
      doubleColonAt = 0;
      i = 2;
      if (len == 2) {
        return ZERO;
      }
    } else if (text.charAt(0) == ':') {
      throw new AddressFormatException(text, 0, "a single ':' cannot start an address");
    }
    while (i < len) {
      if (count == 8) {
        throw new AddressFormatException(text, i, "more than 8 groups");
      }
      int start = i;
      int value = 0;
      while (i < len && i - start < 5) {
        int d = Character.digit(text.charAt(i), 16);
        if (d < 0 || text.charAt(i) > 'f') { // Character.digit accepts fullwidth digits
          break;
        }
        value = value << 4 | d;
        i++;
      }
      if (i < len && text.charAt(i) == '.') {
        // Embedded IPv4 tail (RFC 4291 section 2.2, form 3): takes the last two groups.
        if (count > 6) {
          throw new AddressFormatException(text, start, "IPv4 tail leaves no room (too many groups)");
        }
        Ipv4Address v4;
        try {
          v4 = Ipv4Address.parse(text.substring(start));
        } catch (AddressFormatException e) {
          throw new AddressFormatException(
              text, e.position() < 0 ? start : start + e.position(), "IPv4 tail: " + e.reason());
        }
        groups[count++] = v4.bits() >>> 16;
        groups[count++] = v4.bits() & 0xffff;
        i = len;
        break;
      }
      int digits = i - start;
      if (digits == 0) {
        throw new AddressFormatException(
            text, i, "expected a hex digit, found '" + text.charAt(i) + "'");
      }
      if (digits > 4) {
        throw new AddressFormatException(text, start, "a group has more than 4 hex digits");
      }
      groups[count++] = value;
      if (i == len) {
        break;
      }
      char ch = text.charAt(i);
      if (ch != ':') {
        throw new AddressFormatException(text, i, "unexpected character '" + ch + "'");
      }
      i++;
      if (i < len && text.charAt(i) == ':') {
        if (doubleColonAt >= 0) {
          throw new AddressFormatException(text, i - 1, "'::' may appear only once");
        }
        doubleColonAt = count;
        i++;
        if (i == len) {
          break;
        }
      } else if (i == len) {
        throw new AddressFormatException(text, i - 1, "an address cannot end with a single ':'");
      }
    }
    if (doubleColonAt >= 0) {
      if (count == 8) {
        throw new AddressFormatException(text, -1, "'::' must stand for at least one zero group");
      }
      int tail = count - doubleColonAt;
      System.arraycopy(groups, doubleColonAt, groups, 8 - tail, tail);
      for (int g = doubleColonAt; g < 8 - tail; g++) {
        groups[g] = 0;
      }
    } else if (count != 8) {
      throw new AddressFormatException(text, -1, "has " + count + " groups, needs 8 (or '::')");
    }
    long high = 0;
    long low = 0;
    for (int g = 0; g < 4; g++) {
      high = high << 16 | groups[g];
      low = low << 16 | groups[g + 4];
    }
    return new Ipv6Address(high, low);
  }

  /** Reads 16 network-order bytes at {@code src[offset]}. */
  public static Ipv6Address fromBytes(byte[] src, int offset) {
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = high << 8 | (src[offset + i] & 0xff);
      low = low << 8 | (src[offset + 8 + i] & 0xff);
    }
    return new Ipv6Address(high, low);
  }

  static void checkPrefixLength(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 128) {
      throw new IllegalArgumentException(
          "IPv6 prefix length " + prefixLength + " is outside 0..128");
    }
  }

  /** Mask of the high word for a prefix length. */
  static long highMask(int prefixLength) {
    return prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
  }

  /** Mask of the low word for a prefix length. */
  static long lowMask(int prefixLength) {
    return prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
  }

  @Override
  public IpFamily family() {
    return IpFamily.IPV6;
  }

  @Override
  public byte[] toBytes() {
    byte[] out = new byte[16];
    writeTo(out, 0);
    return out;
  }

  @Override
  public void writeTo(byte[] dst, int offset) {
    for (int i = 0; i < 8; i++) {
      dst[offset + i] = (byte) (high >>> (56 - 8 * i));
      dst[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
    }
  }

  @Override
  public BigInteger toBigInteger() {
    byte[] magnitude = toBytes();
    return new BigInteger(1, magnitude);
  }

  @Override
  public Ipv6Address mask(int prefixLength) {
    checkPrefixLength(prefixLength);
    return new Ipv6Address(high & highMask(prefixLength), low & lowMask(prefixLength));
  }

  @Override
  public Ipv6Address fillHostBits(int prefixLength) {
    checkPrefixLength(prefixLength);
    return new Ipv6Address(high | ~highMask(prefixLength), low | ~lowMask(prefixLength));
  }

  @Override
  public boolean bit(int index) {
    if (index < 0 || index >= 128) {
      throw new IllegalArgumentException("IPv6 bit index " + index + " is outside 0..127");
    }
    return index < 64 ? (high >>> (63 - index) & 1) != 0 : (low >>> (127 - index) & 1) != 0;
  }

  @Override
  public Ipv6Address withNetworkBits(IpAddress network, int prefixLength) {
    if (!(network instanceof Ipv6Address net)) {
      throw new IllegalArgumentException("cannot combine IPv6 " + this + " with IPv4 " + network);
    }
    checkPrefixLength(prefixLength);
    long hm = highMask(prefixLength);
    long lm = lowMask(prefixLength);
    return new Ipv6Address(net.high & hm | high & ~hm, net.low & lm | low & ~lm);
  }

  @Override
  public Ipv6Address plus(long delta) {
    long newLow = low + delta;
    long newHigh = high;
    if (delta >= 0) {
      if (Long.compareUnsigned(newLow, low) < 0) {
        newHigh++;
        if (newHigh == 0) {
          throw new ArithmeticException(this + " + " + delta + " leaves the IPv6 address space");
        }
      }
    } else if (Long.compareUnsigned(newLow, low) > 0) {
      if (newHigh == 0) {
        throw new ArithmeticException(this + " + " + delta + " leaves the IPv6 address space");
      }
      newHigh--;
    }
    return new Ipv6Address(newHigh, newLow);
  }

  /** Group {@code index} (0..7) as an unsigned 16-bit value. */
  public int group(int index) {
    long word = index < 4 ? high : low;
    return (int) (word >>> (48 - 16 * (index & 3))) & 0xffff;
  }

  /** True for {@code ::ffff:0:0/96}, the IPv4-mapped addresses of RFC 4291 section 2.5.5.2. */
  public boolean isIpv4Mapped() {
    return high == 0 && (low >>> 32) == 0xffffL;
  }

  /**
   * RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups
   * (the first one on a tie) as {@code ::} (section 4.2), and IPv4-mapped addresses with a
   * dotted-quad tail (section 5).
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(39);
    int groupsToPrint = 8;
    if (isIpv4Mapped()) {
      groupsToPrint = 6;
    }
    int bestStart = -1;
    int bestLen = 1; // RFC 5952 section 4.2.2: a single zero group is not shortened
    int runStart = -1;
    for (int g = 0; g <= groupsToPrint; g++) {
      boolean zero = g < groupsToPrint && group(g) == 0;
      if (zero && runStart < 0) {
        runStart = g;
      } else if (!zero && runStart >= 0) {
        int runLen = g - runStart;
        if (runLen > bestLen) {
          bestStart = runStart;
          bestLen = runLen;
        }
        runStart = -1;
      }
    }
    for (int g = 0; g < groupsToPrint; g++) {
      if (g == bestStart) {
        sb.append("::");
        g += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(g)));
    }
    if (groupsToPrint == 6) {
      if (sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      int v4 = (int) low;
      sb.append(v4 >>> 24).append('.').append(v4 >>> 16 & 0xff).append('.')
          .append(v4 >>> 8 & 0xff).append('.').append(v4 & 0xff);
    }
    return sb.toString();
  }
}
