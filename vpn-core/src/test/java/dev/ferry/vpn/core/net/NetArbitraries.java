package dev.ferry.vpn.core.net;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for addresses, prefixes and ranges. The "clustered" ones draw from a small corner of
 * each family (10.0.0.0/16 and around {@code 2001:db8::/64}'s boundary between the two words) so
 * that random prefixes nest, touch and overlap often, which is where set algebra goes wrong.
 */
public final class NetArbitraries {

  private NetArbitraries() {}

  public static Arbitrary<Ipv4Address> ipv4() {
    return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)
        .edgeCases(c -> c.add(0, -1, 0x7fffffff, 0x80000000))
        .map(Ipv4Address::new);
  }

  /** Random bits half the time; otherwise groups drawn from 0, 1 and random, for runs of zeros. */
  public static Arbitrary<Ipv6Address> ipv6() {
    Arbitrary<Ipv6Address> random =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Ipv6Address::new);
    Arbitrary<Ipv6Address> zeroHeavy =
        Arbitraries.integers().between(0, 2).map(i -> i == 0 ? 0 : i == 1 ? 1 : -1)
            .list().ofSize(8)
            .flatMap(shape -> Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                .map(randomGroups -> fromGroups(shape, randomGroups)));
    return Arbitraries.oneOf(random, zeroHeavy);
  }

  private static Ipv6Address fromGroups(List<Integer> shape, List<Integer> randomGroups) {
    long high = 0;
    long low = 0;
    for (int g = 0; g < 8; g++) {
      long value = shape.get(g) >= 0 ? shape.get(g) : randomGroups.get(g);
      if (g < 4) {
        high = high << 16 | value;
      } else {
        low = low << 16 | value;
      }
    }
    return new Ipv6Address(high, low);
  }

  public static Arbitrary<IpAddress> address() {
    return Arbitraries.oneOf(ipv4(), ipv6());
  }

  /** Any prefix of either family. */
  public static Arbitrary<IpPrefix> prefix() {
    Arbitrary<IpPrefix> v4 =
        Combinators.combine(ipv4(), Arbitraries.integers().between(0, 32)).as(IpPrefix::containing);
    Arbitrary<IpPrefix> v6 =
        Combinators.combine(ipv6(), Arbitraries.integers().between(0, 128)).as(IpPrefix::containing);
    return Arbitraries.oneOf(v4, v6);
  }

  /** IPv4 prefixes inside 10.0.0.0/16 (lengths 16..32) plus the odd short one around them. */
  public static Arbitrary<IpPrefix> clusteredIpv4Prefix() {
    Arbitrary<Ipv4Address> near =
        Arbitraries.integers().between(0, 0xffff).map(low -> new Ipv4Address(0x0a00_0000 | low));
    Arbitrary<Integer> length =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(16, 32)),
            Tuple.of(1, Arbitraries.integers().between(0, 15)));
    return Combinators.combine(near, length).as(IpPrefix::containing);
  }

  /**
   * IPv6 prefixes in the four /64s from 2001:db8::/64 and their neighbourhood, lengths spread over
   * both words so masks straddle the 64-bit boundary.
   */
  public static Arbitrary<IpPrefix> clusteredIpv6Prefix() {
    Arbitrary<Ipv6Address> near =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffff))
            .as((h, top, bottom) ->
                new Ipv6Address(0x2001_0db8_0000_0000L | h, (long) top << 48 | bottom));
    Arbitrary<Integer> length =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(60, 128)),
            Tuple.of(1, Arbitraries.integers().between(0, 59)));
    return Combinators.combine(near, length).as(IpPrefix::containing);
  }

  /** Clustered prefixes of both families. */
  public static Arbitrary<IpPrefix> clusteredPrefix() {
    return Arbitraries.oneOf(clusteredIpv4Prefix(), clusteredIpv6Prefix());
  }

  /** Addresses for probing clustered prefixes: mostly in the same corners, sometimes anywhere. */
  public static Arbitrary<IpAddress> clusteredAddress() {
    return Arbitraries.oneOf(
        clusteredIpv4Prefix().map(p -> p.network().plus(Math.min(p.sizeSaturated() - 1, 7))),
        clusteredIpv6Prefix().map(IpPrefix::last),
        clusteredPrefix().map(IpPrefix::first),
        address());
  }
}
