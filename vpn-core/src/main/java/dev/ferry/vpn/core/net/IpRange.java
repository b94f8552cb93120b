package dev.ferry.vpn.core.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An inclusive range of addresses of one family, {@code first..last} with {@code first <= last}.
 * Immutable.
 *
 * <p>IKEv2 traffic selectors carry a starting and an ending address rather than a prefix (RFC 7296
 * section 3.13.1), so a peer may propose ranges that no single prefix describes; {@link
 * #toPrefixes()} gives the smallest set of prefixes that covers exactly the same addresses.
 */
public record IpRange(IpAddress first, IpAddress last) implements Comparable<IpRange> {

  public IpRange {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    if (first.family() != last.family()) {
      throw new IllegalArgumentException(
          "range " + first + "-" + last + " mixes IPv4 and IPv6");
    }
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException(
          "range " + first + "-" + last + " is empty: the first address is after the last");
    }
  }

  /** The range of exactly the addresses of {@code prefix}. */
  public static IpRange of(IpPrefix prefix) {
    return new IpRange(prefix.first(), prefix.last());
  }

  /** The one-address range. */
  public static IpRange of(IpAddress address) {
    return new IpRange(address, address);
  }

  /** The whole address space of a family ({@code 0.0.0.0-255.255.255.255} or {@code ::-ffff:...}). */
  public static IpRange all(IpFamily family) {
    return of(new IpPrefix(IpAddress.zero(family), 0));
  }

  /**
   * Parses {@code first-last} (strongSwan's range notation for traffic selectors), a prefix in CIDR
   * notation, or a bare address. Spaces around the dash are refused like any other stray text.
   */
  public static IpRange parse(String text) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "range is missing");
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      return of(IpPrefix.parse(text));
    }
    IpAddress from = parseBound(text, 0, dash);
    IpAddress to = parseBound(text, dash + 1, text.length());
    if (from.family() != to.family()) {
      throw new AddressFormatException(text, dash, "the two ends are of different IP versions");
    }
    if (from.compareTo(to) > 0) {
      throw new AddressFormatException(text, dash + 1, "the last address is before the first");
    }
    return new IpRange(from, to);
  }

  private static IpAddress parseBound(String text, int start, int end) {
    try {
      return IpAddress.parse(text.substring(start, end));
    } catch (AddressFormatException e) {
      throw new AddressFormatException(
          text, e.position() < 0 ? start : start + e.position(), e.reason());
    }
  }

  public IpFamily family() {
    return first.family();
  }

  /** The number of addresses, {@code last - first + 1}. */
  public BigInteger size() {
    return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
  }

  public boolean contains(IpAddress address) {
    return address.family() == family()
        && first.compareTo(address) <= 0
        && address.compareTo(last) <= 0;
  }

  /** True when every address of {@code other} is in this range (a range contains itself). */
  public boolean contains(IpRange other) {
    return other.family() == family()
        && first.compareTo(other.first) <= 0
        && other.last.compareTo(last) <= 0;
  }

  public boolean contains(IpPrefix prefix) {
    return contains(of(prefix));
  }

  /** True when the two ranges share at least one address. */
  public boolean overlaps(IpRange other) {
    return other.family() == family()
        && first.compareTo(other.last) <= 0
        && other.first.compareTo(last) <= 0;
  }

  /** True when this range is exactly one prefix. */
  public boolean isPrefix() {
    return largestBlockAt(first).last().equals(last);
  }

  /**
   * The fewest prefixes whose union is exactly this range, in address order. Greedy from the
   * front: each step takes the largest prefix that starts at the cursor (its network must be
   * aligned there) and does not run past {@code last}. At most {@code 2 * (bitLength - 1)}
   * prefixes.
   */
  public List<IpPrefix> toPrefixes() {
    List<IpPrefix> out = new ArrayList<>();
    IpAddress cursor = first;
    while (true) {
      IpPrefix block = largestBlockAt(cursor);
      out.add(block);
      IpAddress end = block.last();
      if (end.equals(last)) {
        return List.copyOf(out);
      }
      cursor = end.plus(1); // end < last, so this cannot leave the address space
    }
  }

  private IpPrefix largestBlockAt(IpAddress start) {
    for (int length = 0; length < start.bitLength(); length++) {
      if (start.mask(length).equals(start) && start.fillHostBits(length).compareTo(last) <= 0) {
        return new IpPrefix(start, length);
      }
    }
    return IpPrefix.host(start);
  }

  /** By first address, then by last address. */
  @Override
  public int compareTo(IpRange other) {
    int c = first.compareTo(other.first);
    return c != 0 ? c : last.compareTo(other.last);
  }

  /** {@code first-last}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return first + "-" + last;
  }
}
