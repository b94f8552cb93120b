package dev.ferry.vpn.core.net;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A CIDR prefix: a network address whose host bits are all zero, and a prefix length. Immutable.
 *
 * <p>{@link #parse} is strict: {@code 10.1.2.3/8} is refused because its host bits are set, which
 * in configuration is nearly always a typo. Use {@link #containing} to mask on purpose. A bare
 * address parses as a host prefix (/32 or /128).
 */
public record IpPrefix(IpAddress network, int prefixLength) implements Comparable<IpPrefix> {

  public IpPrefix {
    Objects.requireNonNull(network, "network");
    if (prefixLength < 0 || prefixLength > network.bitLength()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is outside 0.." + network.bitLength());
    }
    if (!network.mask(prefixLength).equals(network)) {
      throw new IllegalArgumentException(
          network + "/" + prefixLength + " has host bits "
              + network.withNetworkBits(IpAddress.zero(network.family()), prefixLength)
              + " set; the network is " + network.mask(prefixLength) + "/" + prefixLength);
    }
  }

  /** The prefix of length {@code prefixLength} that contains {@code address}. */
  public static IpPrefix containing(IpAddress address, int prefixLength) {
    return new IpPrefix(address.mask(prefixLength), prefixLength);
  }

  /** The host prefix (/32 or /128) of one address. */
  public static IpPrefix host(IpAddress address) {
    return new IpPrefix(address, address.bitLength());
  }

  /** Parses {@code address/length}, or a bare address as a host prefix; host bits must be zero. */
  public static IpPrefix parse(String text) {
    return parse(text, true);
  }

  /** Like {@link #parse} but clears host bits instead of refusing them ({@code 10.1.2.3/8} is 10/8). */
  public static IpPrefix parseLenient(String text) {
    return parse(text, false);
  }

  private static IpPrefix parse(String text, boolean strict) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "prefix is missing");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return host(IpAddress.parse(text));
    }
    IpAddress address;
    try {
      address = IpAddress.parse(text.substring(0, slash));
    } catch (AddressFormatException e) {
      throw new AddressFormatException(text, e.position(), e.reason());
    }
    String lengthText = text.substring(slash + 1);
    if (lengthText.isEmpty()
        || lengthText.length() > 3
        || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new AddressFormatException(text, slash + 1, "prefix length must be a decimal number");
    }
    if (lengthText.length() > 1 && lengthText.charAt(0) == '0') {
      throw new AddressFormatException(text, slash + 1, "prefix length has a leading zero");
    }
    int length = Integer.parseInt(lengthText);
    if (length > address.bitLength()) {
      throw new AddressFormatException(
          text, slash + 1, "prefix length " + length + " is greater than " + address.bitLength());
    }
    IpAddress masked = address.mask(length);
    if (strict && !masked.equals(address)) {
      // Name the offending bits: the address with its network part cleared.
      IpAddress hostPart = address.withNetworkBits(IpAddress.zero(address.family()), length);
      throw new AddressFormatException(
          text, -1, "host bits " + hostPart + " are set after /" + length
              + " (did you mean " + masked + "/" + length + "?)");
    }
    return new IpPrefix(masked, length);
  }

  public IpFamily family() {
    return network.family();
  }

  /** The first address (the network address itself). */
  public IpAddress first() {
    return network;
  }

  /** The last address (all host bits set). */
  public IpAddress last() {
    return network.fillHostBits(prefixLength);
  }

  /** Number of host bits: 32 or 128 minus the prefix length. */
  public int hostBits() {
    return network.bitLength() - prefixLength;
  }

  /** The number of addresses, 2^hostBits. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(hostBits());
  }

  /** The number of addresses, or {@link Long#MAX_VALUE} when it does not fit in a long. */
  public long sizeSaturated() {
    return hostBits() >= 63 ? Long.MAX_VALUE : 1L << hostBits();
  }

  public boolean isHost() {
    return hostBits() == 0;
  }

  public boolean contains(IpAddress address) {
    return address.family() == family() && address.mask(prefixLength).equals(network);
  }

  /** True when every address of {@code other} is in this prefix (a prefix contains itself). */
  public boolean contains(IpPrefix other) {
    return other.family() == family()
        && other.prefixLength >= prefixLength
        && other.network.mask(prefixLength).equals(network);
  }

  /** True when the two prefixes share an address; for prefixes that means one contains the other. */
  public boolean overlaps(IpPrefix other) {
    return contains(other) || other.contains(this);
  }

  /** The address at {@code offset} from the network address; must stay inside the prefix. */
  public IpAddress address(long offset) {
    if (offset < 0 || (hostBits() < 63 && offset >= (1L << hostBits()))) {
      throw new IllegalArgumentException("offset " + offset + " is outside " + this);
    }
    return network.plus(offset);
  }

  /** The enclosing prefix one bit shorter; a /0 has no parent. */
  public IpPrefix parent() {
    if (prefixLength == 0) {
      throw new IllegalStateException(this + " has no parent");
    }
    return containing(network, prefixLength - 1);
  }

  /** Maps {@code address} (inside this prefix) to the same host offset inside {@code target}. */
  public IpAddress translate(IpAddress address, IpPrefix target) {
    if (!contains(address)) {
      throw new IllegalArgumentException(address + " is not inside " + this);
    }
    if (target.prefixLength != prefixLength || target.family() != family()) {
      throw new IllegalArgumentException(
          "cannot map " + this + " onto " + target + ": prefix lengths and families must match");
    }
    return address.withNetworkBits(target.network, prefixLength);
  }

  /** Orders by network address, then shorter prefixes first (a prefix sorts before its subnets). */
  @Override
  public int compareTo(IpPrefix other) {
    int c = network.compareTo(other.network);
    return c != 0 ? c : Integer.compare(prefixLength, other.prefixLength);
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}
