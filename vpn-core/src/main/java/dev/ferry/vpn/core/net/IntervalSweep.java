package dev.ferry.vpn.core.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Flattens the prefixes of one family into disjoint intervals that tile the whole address space,
 * each owned by its most specific covering prefix (or by none, {@code null}). Longest-prefix match then becomes
 * "find the last interval starting at or before the address", a plain binary search.
 *
 * <p>Intervals are described by their start addresses only: interval {@code i} runs up to the
 * address before {@code starts[i + 1]}, and the last one to the end of the space. Neighbours
 * never have the same owner, so there are at most {@code 2n + 1} intervals for {@code n}
 * prefixes.
 */
final class IntervalSweep<O> {

  final List<IpAddress> starts = new ArrayList<>();
  final List<O> owners = new ArrayList<>();

  private IntervalSweep() {}

  /**
   * Sweeps {@code sorted}: distinct prefixes of {@code family} in {@link IpPrefix} order, so a
   * prefix always comes before the prefixes inside it. {@code prefixOf} gives each owner's prefix.
   */
  static <O> IntervalSweep<O> of(
      IpFamily family, List<O> sorted, Function<? super O, IpPrefix> prefixOf) {
    IntervalSweep<O> sweep = new IntervalSweep<>();
    IpAddress lastAddress = IpAddress.zero(family).fillHostBits(0);
    sweep.emit(IpAddress.zero(family), null);
    // The stack holds the chain of prefixes containing the current position, outermost first.
    List<O> open = new ArrayList<>();
    for (O entry : sorted) {
      IpPrefix p = prefixOf.apply(entry);
      while (!open.isEmpty() && prefixOf.apply(open.getLast()).last().compareTo(p.first()) < 0) {
        O closed = open.removeLast();
        // closed ends before p starts, so closed is not the last address of the space.
        sweep.emit(prefixOf.apply(closed).last().plus(1), open.isEmpty() ? null : open.getLast());
      }
      sweep.emit(p.first(), entry);
      open.add(entry);
    }
    while (!open.isEmpty()) {
      O closed = open.removeLast();
      IpAddress end = prefixOf.apply(closed).last();
      if (end.equals(lastAddress)) {
        break; // every enclosing prefix ends there too: nothing follows
      }
      sweep.emit(end.plus(1), open.isEmpty() ? null : open.getLast());
    }
    return sweep;
  }

  private void emit(IpAddress start, O owner) {
    int n = starts.size();
    if (n > 0 && starts.get(n - 1).equals(start)) {
      // Several prefixes begin or end at the same address: the last word wins, and an interval
      // that ends up owned like its left neighbour merges into it.
      owners.set(n - 1, owner);
      if (n > 1 && owners.get(n - 2) == owner) {
        starts.removeLast();
        owners.removeLast();
      }
      return;
    }
    if (n > 0 && owners.get(n - 1) == owner) {
      return;
    }
    starts.add(start);
    owners.add(owner);
  }

  int size() {
    return starts.size();
  }
}
