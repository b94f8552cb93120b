package dev.ferry.vpn.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PrefixesTest {

  @Provide
  Arbitrary<IpPrefix> clustered() {
    return NetArbitraries.clusteredPrefix();
  }

  @Provide
  Arbitrary<IpPrefix> prefix() {
    return NetArbitraries.prefix();
  }

  // ---- helpers: membership oracle and the addresses where membership can change ----

  static boolean covered(Collection<IpPrefix> prefixes, IpAddress address) {
    return prefixes.stream().anyMatch(p -> p.contains(address));
  }

  /**
   * Every first and last address of the given prefixes and their outside neighbours. A union of
   * prefixes can only change membership at these addresses, so two unions built from these prefixes
   * agree everywhere exactly when they agree on all of them.
   */
  @SafeVarargs
  static List<IpAddress> boundaryProbes(Collection<IpPrefix>... sets) {
    TreeSet<IpAddress> probes = new TreeSet<>();
    for (Collection<IpPrefix> set : sets) {
      for (IpPrefix p : set) {
        probes.add(p.first());
        probes.add(p.last());
        addNeighbour(probes, p.first(), -1);
        addNeighbour(probes, p.last(), 1);
      }
    }
    return List.copyOf(probes);
  }

  private static void addNeighbour(TreeSet<IpAddress> probes, IpAddress a, int step) {
    try {
      probes.add(a.plus(step));
    } catch (ArithmeticException edgeOfTheSpace) {
      // no neighbour beyond the first or last address
    }
  }

  /** Sorted, pairwise disjoint, and no two entries are siblings that could merge. */
  static void assertMinimal(List<IpPrefix> list) {
    for (int i = 1; i < list.size(); i++) {
      IpPrefix a = list.get(i - 1);
      IpPrefix b = list.get(i);
      assertTrue(a.compareTo(b) < 0, list.toString());
      assertFalse(a.overlaps(b), list.toString());
      boolean siblings = a.family() == b.family() && a.prefixLength() == b.prefixLength()
          && a.prefixLength() > 0 && a.parent().equals(b.parent());
      assertFalse(siblings, a + " and " + b + " should have merged");
    }
    assertEquals(list, Prefixes.aggregate(list));
  }

  private static List<IpPrefix> parse(String... texts) {
    return Arrays.stream(texts).map(IpPrefix::parse).toList();
  }

  // ---- split and halves ----

  @Property(tries = 300) // each try checks hundreds of probes
  void splitTilesThePrefix(@ForAll("prefix") IpPrefix p, @ForAll @IntRange(min = 0, max = 6) int extra) {
    int newLength = Math.min(p.network().bitLength(), p.prefixLength() + extra);
    List<IpPrefix> parts = Prefixes.split(p, newLength);
    assertEquals(1 << (newLength - p.prefixLength()), parts.size());
    assertTrue(parts.stream().allMatch(q -> q.prefixLength() == newLength && p.contains(q)));
    for (int i = 1; i < parts.size(); i++) {
      assertEquals(parts.get(i - 1).last().plus(1), parts.get(i).first());
    }
    assertEquals(List.of(p), Prefixes.aggregate(parts));
  }

  @Test
  void splitExamplesAndLimits() {
    assertEquals(parse("10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26"),
        Prefixes.split(IpPrefix.parse("10.0.0.0/24"), 26));
    assertEquals(parse("255.255.255.254/32", "255.255.255.255/32"),
        Prefixes.halves(IpPrefix.parse("255.255.255.254/31")));
    assertEquals(parse("::/1", "8000::/1"), Prefixes.halves(IpPrefix.parse("::/0")));
    assertEquals(65536, Prefixes.split(IpPrefix.parse("10.0.0.0/8"), 24).size());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> Prefixes.split(IpPrefix.parse("10.0.0.0/8"), 32));
    assertTrue(tooMany.getMessage().contains("2^24"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Prefixes.split(IpPrefix.parse("10.0.0.0/8"), 7));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.split(IpPrefix.parse("10.0.0.0/8"), 33));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.halves(IpPrefix.parse("::1/128")));
  }

  // ---- aggregate ----

  @Property(tries = 300) // each try checks hundreds of probes
  void aggregateCoversExactlyTheSameAddressesMinimally(
      @ForAll @Size(max = 30) List<@From("clustered") IpPrefix> prefixes) {
    List<IpPrefix> agg = Prefixes.aggregate(prefixes);
    assertMinimal(agg);
    assertEquals(agg, Prefixes.aggregate(agg));
    for (IpAddress probe : boundaryProbes(prefixes, agg)) {
      assertEquals(covered(prefixes, probe), covered(agg, probe), probe.toString());
    }
  }

  @Test
  void aggregateExamples() {
    assertEquals(parse("10.0.0.0/24"), Prefixes.aggregate(parse("10.0.0.128/25", "10.0.0.0/25")));
    assertEquals(parse("10.0.0.0/24"),
        Prefixes.aggregate(parse("10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26")));
    assertEquals(parse("10.0.0.0/8"), Prefixes.aggregate(parse("10.1.0.0/16", "10.0.0.0/8", "10.0.0.0/8")));
    assertEquals(parse("0.0.0.0/0", "::/0"),
        Prefixes.aggregate(parse("8000::/1", "128.0.0.0/1", "::/1", "0.0.0.0/1")));
    // Neighbours that are not siblings stay apart.
    assertEquals(parse("10.0.0.64/26", "10.0.0.128/26"),
        Prefixes.aggregate(parse("10.0.0.128/26", "10.0.0.64/26")));
    assertEquals(List.of(), Prefixes.aggregate(List.of()));
  }

  // ---- subtract ----

  @Property
  void subtractPrefixLaws(@ForAll("clustered") IpPrefix from, @ForAll("clustered") IpPrefix removed) {
    List<IpPrefix> rest = Prefixes.subtract(from, removed);
    assertMinimal(rest);
    for (IpPrefix r : rest) {
      assertFalse(r.overlaps(removed), r + " overlaps " + removed);
      assertTrue(from.contains(r), r + " is outside " + from);
    }
    // rest and (from ∩ removed) together are exactly from, without double counting.
    List<IpPrefix> common = Prefixes.intersect(List.of(from), List.of(removed));
    List<IpPrefix> rebuilt = new ArrayList<>(rest);
    rebuilt.addAll(common);
    assertEquals(List.of(from), Prefixes.aggregate(rebuilt));
    assertEquals(from.size(), Prefixes.addressCount(rest).add(Prefixes.addressCount(common)));
    if (from.contains(removed) && !removed.contains(from)) {
      assertEquals(removed.prefixLength() - from.prefixLength(), rest.size());
    }
  }

  @Property(tries = 300) // each try checks hundreds of probes
  void subtractCollectionsMatchesMembership(
      @ForAll @Size(max = 8) List<@From("clustered") IpPrefix> from,
      @ForAll @Size(max = 8) List<@From("clustered") IpPrefix> removed) {
    assertSetOperation(from, removed, Prefixes.subtract(from, removed), (inA, inB) -> inA && !inB);
  }

  /** {@code result} is minimal and holds exactly the addresses where {@code rule} says so. */
  private static void assertSetOperation(List<IpPrefix> a, List<IpPrefix> b, List<IpPrefix> result,
      BiPredicate<Boolean, Boolean> rule) {
    assertMinimal(result);
    for (IpAddress probe : boundaryProbes(a, b, result)) {
      assertEquals(rule.test(covered(a, probe), covered(b, probe)), covered(result, probe),
          probe.toString());
    }
  }

  @Test
  void subtractExamples() {
    assertEquals(parse("10.0.0.64/26", "10.0.0.128/25"),
        Prefixes.subtract(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.0/26")));
    assertEquals(parse("10.0.0.0/25", "10.0.0.128/26", "10.0.0.192/27", "10.0.0.240/28"),
        Prefixes.subtract(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.224/28")));
    assertEquals(32, Prefixes.subtract(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("1.2.3.4/32")).size());
    assertEquals(128, Prefixes.subtract(IpPrefix.parse("::/0"), IpPrefix.parse("::1/128")).size());
    assertEquals(List.of(), Prefixes.subtract(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.0/8")));
    assertEquals(List.of(), Prefixes.subtract(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.0/24")));
    assertEquals(parse("10.0.0.0/24"),
        Prefixes.subtract(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.1.0/24")));
    assertEquals(parse("0.0.0.0/0"),
        Prefixes.subtract(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")));
    // Holes at both ends (one given twice): the middle pieces /31 and /31 are not siblings.
    assertEquals(parse("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"),
        Prefixes.subtract(parse("10.0.0.0/29"), parse("10.0.0.0/32", "10.0.0.7/32", "10.0.0.0/32")));
  }

  // ---- intersect and overlapping ----

  @Property(tries = 300) // each try checks hundreds of probes
  void intersectMatchesMembership(
      @ForAll @Size(max = 12) List<@From("clustered") IpPrefix> a,
      @ForAll @Size(max = 12) List<@From("clustered") IpPrefix> b) {
    List<IpPrefix> both = Prefixes.intersect(a, b);
    assertEquals(both, Prefixes.intersect(b, a));
    assertSetOperation(a, b, both, (inA, inB) -> inA && inB);
  }

  @Property
  void intersectTwoPrefixes(@ForAll("clustered") IpPrefix a, @ForAll("clustered") IpPrefix b) {
    Optional<IpPrefix> both = Prefixes.intersect(a, b);
    assertEquals(a.overlaps(b), both.isPresent());
    both.ifPresent(c -> assertTrue(a.contains(c) && b.contains(c) && (c.equals(a) || c.equals(b))));
  }

  @Property
  void overlappingMatchesPairwiseCheck(
      @ForAll @Size(max = 15) List<@From("clustered") IpPrefix> prefixes,
      @ForAll @Size(max = 15) List<@From("clustered") IpPrefix> others) {
    List<IpPrefix> expected = prefixes.stream().distinct().sorted()
        .filter(p -> others.stream().anyMatch(p::overlaps)).toList();
    assertEquals(expected, Prefixes.overlapping(prefixes, others));
    if (!others.isEmpty()) {
      IpPrefix probe = others.getFirst();
      assertEquals(prefixes.stream().distinct().sorted().filter(probe::overlaps).toList(),
          Prefixes.overlapping(prefixes, probe));
    }
  }

  @Test
  void addressCountCountsTheUnionOnce() {
    assertEquals(BigInteger.valueOf(256 + 1),
        Prefixes.addressCount(parse("10.0.0.0/24", "10.0.0.7/32", "10.0.0.0/25", "::1")));
    assertEquals(BigInteger.ONE.shiftLeft(128).add(BigInteger.ONE.shiftLeft(32)),
        Prefixes.addressCount(parse("::/0", "0.0.0.0/0")));
  }
}
