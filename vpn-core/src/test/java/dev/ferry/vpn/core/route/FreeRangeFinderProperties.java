package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class FreeRangeFinderProperties {

  private static final IpPrefix POOL = IpPrefix.parse("192.168.0.0/16");

  /** The finder returns exactly the first free aligned prefix that a brute-force walk finds. */
  @Property
  void findsTheFirstFreePrefix(@ForAll("inUse") List<IpPrefix> inUse,
      @ForAll @IntRange(min = 18, max = 24) int length) {
    Optional<IpPrefix> expected = Optional.empty();
    long step = 1L << (32 - length);
    long last = ((Ipv4Address) POOL.last()).toUnsignedLong();
    for (long a = ((Ipv4Address) POOL.first()).toUnsignedLong(); a <= last; a += step) {
      IpPrefix candidate = new IpPrefix(Ipv4Address.of((int) a), length);
      if (inUse.stream().noneMatch(candidate::overlaps)) {
        expected = Optional.of(candidate);
        break;
      }
    }
    assertEquals(expected, FreeRangeFinder.find(length, List.of(POOL), inUse));
  }

  @Provide
  Arbitrary<List<IpPrefix>> inUse() {
    Arbitrary<IpPrefix> one = Combinators.combine(
            Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(12, 26))
        .as((low, len) -> IpPrefix.containing(Ipv4Address.of(0xc0a8_0000 | low), len));
    return one.list().ofMaxSize(40);
  }
}
