package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.net.PrefixMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Longest-prefix match on a {@link PrefixMap} of random prefixes. IPv4 lengths run 8..32 with most
 * weight on /24 (like a routing table); IPv6 lengths 16..128 weighted to /48 and /64. Probe
 * addresses are precomputed (half inside a random table prefix, half anywhere) and cycled through
 * with a mask, so the measured loop only looks up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrefixMapBench {

  private static final int PROBES = 1 << 16;
  private static final IpPrefix GLOBAL_UNICAST = IpPrefix.parse("2000::/3");

  @Param({"10000", "100000"})
  public int prefixes;

  private PrefixMap<Integer> ipv4Map;
  private PrefixMap<Integer> ipv6Map;
  private int[] ipv4Probes;
  private Ipv4Address[] ipv4ProbeAddresses;
  private long[] ipv6ProbeHigh;
  private long[] ipv6ProbeLow;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    PrefixMap.Builder<Integer> v4 = PrefixMap.builder();
    IpPrefix[] v4Table = new IpPrefix[prefixes];
    for (int i = 0; i < prefixes; i++) {
      v4Table[i] = IpPrefix.containing(new Ipv4Address(random.nextInt()), ipv4Length(random));
      v4.put(v4Table[i], i);
    }
    ipv4Map = v4.build();
    PrefixMap.Builder<Integer> v6 = PrefixMap.builder();
    IpPrefix[] v6Table = new IpPrefix[prefixes];
    for (int i = 0; i < prefixes; i++) {
      // In global unicast space, as real IPv6 tables are.
      Ipv6Address a = new Ipv6Address(random.nextLong(), random.nextLong())
          .withNetworkBits(GLOBAL_UNICAST.network(), GLOBAL_UNICAST.prefixLength());
      v6Table[i] = IpPrefix.containing(a, Math.max(GLOBAL_UNICAST.prefixLength(), ipv6Length(random)));
      v6.put(v6Table[i], i);
    }
    ipv6Map = v6.build();

    ipv4Probes = new int[PROBES];
    ipv4ProbeAddresses = new Ipv4Address[PROBES];
    ipv6ProbeHigh = new long[PROBES];
    ipv6ProbeLow = new long[PROBES];
    for (int i = 0; i < PROBES; i++) {
      boolean inside = random.nextBoolean();
      // Inside: random host bits under the network bits of a random table prefix.
      Ipv4Address a4 = new Ipv4Address(random.nextInt());
      if (inside) {
        IpPrefix p4 = v4Table[random.nextInt(prefixes)];
        a4 = a4.withNetworkBits(p4.network(), p4.prefixLength());
      }
      ipv4Probes[i] = a4.bits();
      ipv4ProbeAddresses[i] = a4;
      Ipv6Address a6 = new Ipv6Address(random.nextLong(), random.nextLong());
      IpPrefix p6 = inside ? v6Table[random.nextInt(prefixes)] : GLOBAL_UNICAST;
      a6 = a6.withNetworkBits(p6.network(), p6.prefixLength());
      ipv6ProbeHigh[i] = a6.high();
      ipv6ProbeLow[i] = a6.low();
    }
  }

  private static int ipv4Length(SplittableRandom random) {
    int roll = random.nextInt(100);
    if (roll < 55) {
      return 24;
    }
    return roll < 75 ? 16 + random.nextInt(8) : 8 + random.nextInt(25);
  }

  private static int ipv6Length(SplittableRandom random) {
    int roll = random.nextInt(100);
    if (roll < 40) {
      return 48;
    }
    return roll < 70 ? 64 : 16 + random.nextInt(113);
  }

  @Benchmark
  public Integer ipv4RawBits() {
    return ipv4Map.longestMatchIpv4(ipv4Probes[next++ & (PROBES - 1)]);
  }

  @Benchmark
  public Integer ipv4Address() {
    return ipv4Map.longestMatch(ipv4ProbeAddresses[next++ & (PROBES - 1)]);
  }

  @Benchmark
  public Integer ipv6RawWords() {
    int i = next++ & (PROBES - 1);
    return ipv6Map.longestMatchIpv6(ipv6ProbeHigh[i], ipv6ProbeLow[i]);
  }
}
