package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of 1:1 subnet maps ({@code original=mapped}, equal prefix lengths), the
 * address-level core of iptables NETMAP: an address inside an original prefix keeps its host bits
 * and takes the network bits of the mapped prefix, and back.
 *
 * <p>Contract: the originals are pairwise disjoint and the mapped prefixes are pairwise disjoint, so
 * {@link #toMapped} and {@link #toOriginal} are inverse bijections between the union of the
 * originals and the union of the mapped prefixes; every other address has no mapping. Construction
 * refuses anything else with the two clashing rules named.
 *
 * <p>Lookups binary-search sorted, disjoint ranges (O(log n), no allocation on the IPv4 and IPv6
 * primitive paths), so a few rules and a few thousand rules both stay cheap. Instances are
 * immutable and safe to share between threads.
 */
public final class SubnetNatMap {

  /** Returned by the primitive IPv4 lookups when an address is outside every rule. */
  public static final long NO_MAPPING = -1L;

  private static final SubnetNatMap EMPTY = new SubnetNatMap(List.of());

  private final List<NatRule> rules;
  private final RangeTable toMapped;
  private final RangeTable toOriginal;

  private SubnetNatMap(List<NatRule> rules) {
    this.rules = List.copyOf(rules);
    this.toMapped = new RangeTable(this.rules, false);
    this.toOriginal = new RangeTable(this.rules, true);
  }

  /** The map without rules: nothing is translated. */
  public static SubnetNatMap empty() {
    return EMPTY;
  }

  /**
   * Builds a map from 1:1 rules.
   *
   * @throws IllegalArgumentException when a rule is many-to-one, or two originals or two mapped
   *     prefixes overlap (the map would not be a bijection); the message names both rules
   */
  public static SubnetNatMap of(List<NatRule> rules) {
    Objects.requireNonNull(rules, "rules");
    for (int i = 0; i < rules.size(); i++) {
      NatRule rule = Objects.requireNonNull(rules.get(i), "rule " + i);
      if (rule.kind() != NatRule.Kind.ONE_TO_ONE) {
        throw new IllegalArgumentException(
            "rule " + i + " (" + rule + ") is many-to-one; a subnet map holds only 1:1 rules");
      }
      for (int j = 0; j < i; j++) {
        NatRule earlier = rules.get(j);
        if (earlier.original().overlaps(rule.original())) {
          throw new IllegalArgumentException(
              "rule " + i + " (" + rule + ") and rule " + j + " (" + earlier
                  + ") have overlapping originals: an address would have two translations");
        }
        if (earlier.mapped().overlaps(rule.mapped())) {
          throw new IllegalArgumentException(
              "rule " + i + " (" + rule + ") and rule " + j + " (" + earlier
                  + ") have overlapping mapped prefixes: replies could not be told apart");
        }
      }
    }
    return rules.isEmpty() ? EMPTY : new SubnetNatMap(rules);
  }

  /** The rules in the order given. */
  public List<NatRule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** True when some rule has IPv4 prefixes (lets callers skip IPv4 work entirely). */
  public boolean hasIpv4() {
    return toMapped.v4Start.length > 0;
  }

  /** True when some rule has IPv6 prefixes. */
  public boolean hasIpv6() {
    return toMapped.v6StartHigh.length > 0;
  }

  /** The mapped address of {@code address}, or empty when no original prefix contains it. */
  public Optional<IpAddress> toMapped(IpAddress address) {
    return toMapped.translate(address);
  }

  /** The original address of {@code address}, or empty when no mapped prefix contains it. */
  public Optional<IpAddress> toOriginal(IpAddress address) {
    return toOriginal.translate(address);
  }

  /**
   * IPv4 fast path of {@link #toMapped}: the mapped address bits as an unsigned value, or {@link
   * #NO_MAPPING}. Cast the result to {@code int} to get the address bits back.
   */
  public long toMappedV4(int address) {
    return toMapped.translateV4(address);
  }

  /** IPv4 fast path of {@link #toOriginal}; see {@link #toMappedV4}. */
  public long toOriginalV4(int address) {
    return toOriginal.translateV4(address);
  }

  /**
   * IPv6 fast path of {@link #toMapped}: the index of the rule whose original contains the address
   * {@code (high, low)}, or -1. Use {@link #mappedHigh}/{@link #mappedLow} with that index.
   */
  public int findOriginalV6(long high, long low) {
    return toMapped.findV6(high, low);
  }

  /** IPv6 fast path of {@link #toOriginal}: the slot of the mapped prefix containing it, or -1. */
  public int findMappedV6(long high, long low) {
    return toOriginal.findV6(high, low);
  }

  /** The first 64 bits of the mapped address, for a slot from {@link #findOriginalV6}. */
  public long mappedHigh(int slot, long high) {
    return toMapped.translateHigh(slot, high);
  }

  /** The last 64 bits of the mapped address, for a slot from {@link #findOriginalV6}. */
  public long mappedLow(int slot, long low) {
    return toMapped.translateLow(slot, low);
  }

  /** The first 64 bits of the original address, for a slot from {@link #findMappedV6}. */
  public long originalHigh(int slot, long high) {
    return toOriginal.translateHigh(slot, high);
  }

  /** The last 64 bits of the original address, for a slot from {@link #findMappedV6}. */
  public long originalLow(int slot, long low) {
    return toOriginal.translateLow(slot, low);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubnetNatMap other && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "SubnetNatMap" + rules;
  }

  /**
   * One direction of the map as sorted, disjoint source ranges. Because the source prefixes never
   * overlap, the only candidate for an address is the range with the greatest start at or below
   * it; one containment check then decides.
   */
  private static final class RangeTable {
    private final int[] v4Start;
    private final int[] v4HostMask;
    private final int[] v4Target;
    private final long[] v6StartHigh;
    private final long[] v6StartLow;
    private final long[] v6HostMaskHigh;
    private final long[] v6HostMaskLow;
    private final long[] v6TargetHigh;
    private final long[] v6TargetLow;

    RangeTable(List<NatRule> rules, boolean reverse) {
      List<IpPrefix[]> v4 = new ArrayList<>();
      List<IpPrefix[]> v6 = new ArrayList<>();
      for (NatRule rule : rules) {
        IpPrefix from = reverse ? rule.mapped() : rule.original();
        IpPrefix to = reverse ? rule.original() : rule.mapped();
        (from.network() instanceof Ipv4Address ? v4 : v6).add(new IpPrefix[] {from, to});
      }
      Comparator<IpPrefix[]> byStart = Comparator.comparing(pair -> pair[0]);
      v4.sort(byStart);
      v6.sort(byStart);
      v4Start = new int[v4.size()];
      v4HostMask = new int[v4.size()];
      v4Target = new int[v4.size()];
      for (int i = 0; i < v4.size(); i++) {
        v4Start[i] = ((Ipv4Address) v4.get(i)[0].network()).bits();
        v4HostMask[i] = ~Ipv4Address.maskBits(v4.get(i)[0].prefixLength());
        v4Target[i] = ((Ipv4Address) v4.get(i)[1].network()).bits();
      }
      int n6 = v6.size();
      v6StartHigh = new long[n6];
      v6StartLow = new long[n6];
      v6HostMaskHigh = new long[n6];
      v6HostMaskLow = new long[n6];
      v6TargetHigh = new long[n6];
      v6TargetLow = new long[n6];
      for (int i = 0; i < n6; i++) {
        IpPrefix from = v6.get(i)[0];
        Ipv6Address start = (Ipv6Address) from.network();
        Ipv6Address last = (Ipv6Address) from.last();
        Ipv6Address target = (Ipv6Address) v6.get(i)[1].network();
        v6StartHigh[i] = start.high();
        v6StartLow[i] = start.low();
        // Host mask = last XOR first: exactly the host bits of the prefix.
        v6HostMaskHigh[i] = last.high() ^ start.high();
        v6HostMaskLow[i] = last.low() ^ start.low();
        v6TargetHigh[i] = target.high();
        v6TargetLow[i] = target.low();
      }
    }

    long translateV4(int address) {
      int[] starts = v4Start;
      int lo = 0;
      int hi = starts.length - 1;
      int candidate = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (Integer.compareUnsigned(starts[mid], address) <= 0) {
          candidate = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (candidate < 0) {
        return NO_MAPPING;
      }
      int hostMask = v4HostMask[candidate];
      if ((address & ~hostMask) != starts[candidate]) {
        return NO_MAPPING;
      }
      return Integer.toUnsignedLong(v4Target[candidate] | (address & hostMask));
    }

    int findV6(long high, long low) {
      int lo = 0;
      int hi = v6StartHigh.length - 1;
      int candidate = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compareUnsigned(v6StartHigh[mid], high);
        if (c < 0 || (c == 0 && Long.compareUnsigned(v6StartLow[mid], low) <= 0)) {
          candidate = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (candidate < 0
          || (high & ~v6HostMaskHigh[candidate]) != v6StartHigh[candidate]
          || (low & ~v6HostMaskLow[candidate]) != v6StartLow[candidate]) {
        return -1;
      }
      return candidate;
    }

    long translateHigh(int slot, long high) {
      return v6TargetHigh[slot] | (high & v6HostMaskHigh[slot]);
    }

    long translateLow(int slot, long low) {
      return v6TargetLow[slot] | (low & v6HostMaskLow[slot]);
    }

    Optional<IpAddress> translate(IpAddress address) {
      Objects.requireNonNull(address, "address");
      if (address instanceof Ipv4Address v4) {
        long out = translateV4(v4.bits());
        return out == NO_MAPPING ? Optional.empty() : Optional.of(Ipv4Address.of((int) out));
      }
      Ipv6Address v6 = (Ipv6Address) address;
      int slot = findV6(v6.high(), v6.low());
      return slot < 0
          ? Optional.empty()
          : Optional.of(
              Ipv6Address.of(translateHigh(slot, v6.high()), translateLow(slot, v6.low())));
    }
  }
}
