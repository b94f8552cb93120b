package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Finds the first prefix of a given length, in a fixed order of private pools, that overlaps none
 * of a set of ranges in use. Deterministic: the answer depends only on the inputs.
 */
final class FreeRangeFinder {

  /** RFC 1918 section 3: the three blocks reserved for private internets. */
  static final List<IpPrefix> RFC1918 =
      List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("172.16.0.0/12"),
          IpPrefix.parse("192.168.0.0/16"));
  /** RFC 6598 section 7: shared address space for carrier-grade NAT. */
  static final IpPrefix SHARED_ADDRESS_SPACE = IpPrefix.parse("100.64.0.0/10");
  /** RFC 4193 section 3.1: unique local addresses with the L bit set (locally assigned). */
  static final IpPrefix UNIQUE_LOCAL = IpPrefix.parse("fd00::/8");

  private FreeRangeFinder() {}

  /** The pools searched for {@code family}, in order. */
  static List<IpPrefix> pools(IpFamily family, boolean sharedAddressSpace) {
    if (family == IpFamily.IPV6) {
      return List.of(UNIQUE_LOCAL);
    }
    List<IpPrefix> pools = new ArrayList<>(RFC1918);
    if (sharedAddressSpace) {
      pools.add(SHARED_ADDRESS_SPACE);
    }
    return pools;
  }

  /** The first free prefix of {@code length} bits in {@code pools}, or empty. */
  static Optional<IpPrefix> find(int length, List<IpPrefix> pools, Collection<IpPrefix> inUse) {
    for (IpPrefix pool : pools) {
      if (length < pool.prefixLength()) {
        continue;
      }
      List<IpPrefix> blockers = new ArrayList<>();
      for (IpPrefix p : inUse) {
        if (p.overlaps(pool)) {
          blockers.add(p);
        }
      }
      Optional<IpPrefix> found = findIn(pool, length, blockers);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * Walks aligned candidates through {@code pool}. A blocker that contains the candidate lets the
   * walk jump past the blocker's end; one inside the candidate only past the candidate's end. Each
   * step passes at least one blocker for good, so the walk takes at most blockers + 1 steps.
   */
  private static Optional<IpPrefix> findIn(IpPrefix pool, int length, List<IpPrefix> blockers) {
    IpPrefix candidate = IpPrefix.containing(pool.network(), length);
    while (true) {
      IpPrefix blocker = firstOverlapping(candidate, blockers);
      if (blocker == null) {
        return Optional.of(candidate);
      }
      IpAddress end = blocker.contains(candidate) ? blocker.last() : candidate.last();
      if (!pool.contains(end) || end.equals(pool.last())) {
        return Optional.empty();
      }
      candidate = IpPrefix.containing(end.plus(1), length);
    }
  }

  private static IpPrefix firstOverlapping(IpPrefix candidate, List<IpPrefix> blockers) {
    for (IpPrefix b : blockers) {
      if (b.overlaps(candidate)) {
        return b;
      }
    }
    return null;
  }
}
