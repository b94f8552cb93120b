package dev.ferry.vpn.core.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Set algebra over CIDR prefixes: split, aggregate, subtract, intersect and overlap queries.
 *
 * <p>A collection of prefixes stands for the union of their addresses; IPv4 and IPv6 prefixes may
 * be mixed and never overlap each other. Every method that returns a list returns an unmodifiable
 * list sorted by {@link IpPrefix#compareTo}. Methods documented as returning a <em>minimal</em>
 * list return the canonical form: pairwise disjoint, no two siblings that could merge into their
 * parent, so two minimal lists are equal exactly when they cover the same addresses.
 */
public final class Prefixes {

  /** The most prefixes {@link #split} will produce, so a typo like /8 into /32 cannot eat memory. */
  public static final int MAX_SPLIT = 1 << 16;

  private Prefixes() {}

  /**
   * The {@code 2^(newLength - prefix.prefixLength())} subnets of length {@code newLength}, in
   * order. {@code newLength} must lie between the prefix's own length and the family's bit length,
   * and the count must not exceed {@link #MAX_SPLIT}.
   */
  public static List<IpPrefix> split(IpPrefix prefix, int newLength) {
    Objects.requireNonNull(prefix, "prefix");
    int bits = prefix.network().bitLength();
    if (newLength < prefix.prefixLength() || newLength > bits) {
      throw new IllegalArgumentException(
          "cannot split " + prefix + " into /" + newLength + ": the new length must be in "
              + prefix.prefixLength() + ".." + bits);
    }
    int extraBits = newLength - prefix.prefixLength();
    if (extraBits > Integer.numberOfTrailingZeros(MAX_SPLIT)) {
      throw new IllegalArgumentException(
          "splitting " + prefix + " into /" + newLength + " gives 2^" + extraBits
              + " prefixes, more than the limit of " + MAX_SPLIT);
    }
    int count = 1 << extraBits;
    List<IpPrefix> out = new ArrayList<>(count);
    IpPrefix next = IpPrefix.containing(prefix.network(), newLength);
    out.add(next);
    for (int i = 1; i < count; i++) {
      // Not past the last subnet, so last() + 1 stays inside the parent prefix.
      next = new IpPrefix(next.last().plus(1), newLength);
      out.add(next);
    }
    return List.copyOf(out);
  }

  /** The two subnets one bit longer; a host prefix has none. */
  public static List<IpPrefix> halves(IpPrefix prefix) {
    if (prefix.isHost()) {
      throw new IllegalArgumentException(prefix + " is a single address and has no halves");
    }
    return split(prefix, prefix.prefixLength() + 1);
  }

  /**
   * The minimal list covering exactly the union of {@code prefixes}: prefixes inside another are
   * dropped and sibling pairs are merged into their parent, repeatedly.
   */
  public static List<IpPrefix> aggregate(Collection<IpPrefix> prefixes) {
    List<IpPrefix> sorted = sortedCopy(prefixes);
    // Sorted by network with shorter prefixes first, a prefix inside an earlier one is always inside
    // the top of the stack (the stack holds disjoint prefixes in address order), and merging two
    // siblings can only create a new sibling for the element just below them.
    List<IpPrefix> stack = new ArrayList<>(sorted.size());
    for (IpPrefix p : sorted) {
      if (!stack.isEmpty() && stack.getLast().contains(p)) {
        continue;
      }
      IpPrefix top = p;
      while (!stack.isEmpty() && areSiblings(stack.getLast(), top)) {
        top = stack.removeLast().parent();
      }
      stack.add(top);
    }
    return List.copyOf(stack);
  }

  /** True when {@code lower} and {@code upper} are the two halves of one parent, in that order. */
  private static boolean areSiblings(IpPrefix lower, IpPrefix upper) {
    return lower.family() == upper.family()
        && lower.prefixLength() == upper.prefixLength()
        && lower.prefixLength() > 0
        && !lower.equals(upper)
        && lower.parent().equals(upper.parent())
        && lower.compareTo(upper) < 0;
  }

  /**
   * The addresses of {@code from} that are not in {@code removed}, as a minimal list: empty when
   * {@code removed} covers {@code from}, {@code [from]} when they do not overlap, otherwise one
   * prefix for each bit between the two prefix lengths.
   */
  public static List<IpPrefix> subtract(IpPrefix from, IpPrefix removed) {
    return subtract(List.of(from), List.of(removed));
  }

  /** The addresses covered by {@code from} and by none of {@code removed}, as a minimal list. */
  public static List<IpPrefix> subtract(Collection<IpPrefix> from, Collection<IpPrefix> removed) {
    List<IpPrefix> kept = aggregate(from);
    List<IpPrefix> cut = aggregate(removed);
    List<IpPrefix> out = new ArrayList<>();
    int j = 0;
    for (IpPrefix f : kept) {
      // Both lists are disjoint and sorted, so the removed prefixes that overlap f are a run that
      // starts at the first one not wholly before f. Address order puts IPv4 before IPv6, so the
      // same comparisons also skip the other family.
      while (j < cut.size() && cut.get(j).last().compareTo(f.first()) < 0) {
        j++;
      }
      int end = j;
      while (end < cut.size() && cut.get(end).first().compareTo(f.last()) <= 0) {
        end++;
      }
      carve(f, cut.subList(j, end), out);
    }
    return List.copyOf(out);
  }

  /**
   * Appends {@code prefix} minus {@code holes} (sorted, disjoint, each overlapping {@code prefix})
   * by halving until each half is either untouched or wholly removed.
   */
  private static void carve(IpPrefix prefix, List<IpPrefix> holes, List<IpPrefix> out) {
    if (holes.isEmpty()) {
      out.add(prefix);
      return;
    }
    if (holes.getFirst().contains(prefix)) {
      return;
    }
    // Every hole is now strictly inside prefix, so inside exactly one half.
    List<IpPrefix> halves = halves(prefix);
    IpAddress upperStart = halves.get(1).first();
    int split = 0;
    while (split < holes.size() && holes.get(split).first().compareTo(upperStart) < 0) {
      split++;
    }
    carve(halves.get(0), holes.subList(0, split), out);
    carve(halves.get(1), holes.subList(split, holes.size()), out);
  }

  /** The addresses in both prefixes: the longer one when they overlap, otherwise empty. */
  public static Optional<IpPrefix> intersect(IpPrefix a, IpPrefix b) {
    if (a.contains(b)) {
      return Optional.of(b);
    }
    return b.contains(a) ? Optional.of(a) : Optional.empty();
  }

  /** The addresses covered by both collections, as a minimal list. */
  public static List<IpPrefix> intersect(Collection<IpPrefix> a, Collection<IpPrefix> b) {
    List<IpPrefix> left = aggregate(a);
    List<IpPrefix> right = aggregate(b);
    List<IpPrefix> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < left.size() && j < right.size()) {
      IpPrefix l = left.get(i);
      IpPrefix r = right.get(j);
      if (l.contains(r)) {
        out.add(r);
        j++;
      } else if (r.contains(l)) {
        out.add(l);
        i++;
      } else if (l.compareTo(r) < 0) {
        i++;
      } else {
        j++;
      }
    }
    return List.copyOf(out);
  }

  /** The members of {@code prefixes} that share an address with {@code probe}, sorted, no repeats. */
  public static List<IpPrefix> overlapping(Collection<IpPrefix> prefixes, IpPrefix probe) {
    Objects.requireNonNull(probe, "probe");
    return sortedCopy(prefixes).stream().distinct().filter(probe::overlaps).toList();
  }

  /**
   * The members of {@code prefixes} that share an address with any of {@code others}, sorted, no
   * repeats. Useful to report which configured subnets collide.
   */
  public static List<IpPrefix> overlapping(
      Collection<IpPrefix> prefixes, Collection<IpPrefix> others) {
    List<IpPrefix> union = aggregate(others);
    return sortedCopy(prefixes).stream()
        .distinct()
        .filter(p -> overlapsAny(union, p))
        .toList();
  }

  /** Whether {@code p} overlaps a member of the minimal list {@code union}: binary search. */
  private static boolean overlapsAny(List<IpPrefix> union, IpPrefix p) {
    // The last member starting at or before p's last address is the only candidate: members are
    // disjoint and sorted, so their last addresses are sorted too.
    int lo = 0;
    int hi = union.size() - 1;
    int candidate = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (union.get(mid).first().compareTo(p.last()) <= 0) {
        candidate = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return candidate >= 0 && union.get(candidate).overlaps(p);
  }

  /** The number of distinct addresses covered (IPv4 and IPv6 counted together). */
  public static BigInteger addressCount(Collection<IpPrefix> prefixes) {
    BigInteger total = BigInteger.ZERO;
    for (IpPrefix p : aggregate(prefixes)) {
      total = total.add(p.size());
    }
    return total;
  }

  private static List<IpPrefix> sortedCopy(Collection<IpPrefix> prefixes) {
    Objects.requireNonNull(prefixes, "prefixes");
    List<IpPrefix> sorted = new ArrayList<>(prefixes.size());
    for (IpPrefix p : prefixes) {
      sorted.add(Objects.requireNonNull(p, "a prefix in the collection is null"));
    }
    sorted.sort(null);
    return sorted;
  }
}
