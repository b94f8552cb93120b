package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.net.TrafficSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Traffic selector negotiation as pure functions (RFC 7296 section 2.9).
 *
 * <p>The responder narrows each side separately: TSi against what it accepts as the initiator's
 * side (its remote subnets), TSr against its local subnets. The result is every non-empty
 * intersection of an offered selector with an acceptable one, without selectors already covered
 * by another result, so it matches exactly the packets that both sides allow (several subnets per
 * side and both IP families just give several results). An empty result on either side means
 * TS_UNACCEPTABLE. The initiator then checks that the answer only narrows what it proposed.
 *
 * <p>Not done here: the optional first selector describing the triggering packet (RFC 7296 section
 * 2.9) gets no special treatment; it is narrowed like any other.
 */
public final class TrafficSelectorNarrowing {
  private TrafficSelectorNarrowing() { }

  /**
   * The part of {@code offered} that {@code acceptable} allows: exactly the packets matched by both
   * lists, as few selectors as the pairwise intersections give; empty when they share nothing.
   */
  public static List<TrafficSelector> narrow(
      List<TrafficSelector> offered, List<TrafficSelector> acceptable) {
    List<TrafficSelector> pieces = new ArrayList<>();
    for (TrafficSelector o : offered) {
      for (TrafficSelector a : acceptable) {
        o.intersect(a).ifPresent(pieces::add);
      }
    }
    List<TrafficSelector> out = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      TrafficSelector candidate = pieces.get(i);
      if (!coveredByOther(candidate, i, pieces)) {
        out.add(candidate);
      }
    }
    return List.copyOf(out);
  }

  /**
   * True when every selector of {@code answered} lies inside one of {@code proposed} and the
   * answer is not empty: what the initiator requires of the responder's TSi/TSr (RFC 7296 section
   * 2.9: the responder may narrow, never widen).
   */
  public static boolean isNarrowingOf(
      List<TrafficSelector> answered, List<TrafficSelector> proposed) {
    if (answered.isEmpty()) {
      return false;
    }
    for (TrafficSelector a : answered) {
      if (proposed.stream().noneMatch(a::isSubsetOf)) {
        return false;
      }
    }
    return true;
  }

  /** True when another piece covers this one; of two equal pieces only the first survives. */
  private static boolean coveredByOther(TrafficSelector candidate, int index,
      List<TrafficSelector> pieces) {
    for (int j = 0; j < pieces.size(); j++) {
      TrafficSelector other = pieces.get(j);
      if (j == index || !candidate.isSubsetOf(other)) {
        continue;
      }
      boolean equal = other.isSubsetOf(candidate);
      if (!equal || j < index) {
        return true;
      }
    }
    return false;
  }
}
