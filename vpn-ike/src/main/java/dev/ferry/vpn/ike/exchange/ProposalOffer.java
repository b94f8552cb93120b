package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One proposal as it arrived in an SA payload (RFC 7296 section 3.3.1), reduced to what selection
 * needs: its Proposal Number, protocol, and the transforms Ferry knows, in wire order. Transforms
 * with unknown IDs are left out (they can never be chosen); {@code unknownTransformType} records
 * whether the proposal carried a Transform Type Ferry does not understand, which makes the whole
 * proposal unacceptable (RFC 7296 section 3.3.6).
 */
public record ProposalOffer(
    int number, Protocol protocol, List<Transform> transforms, boolean unknownTransformType) {

  public ProposalOffer {
    Objects.requireNonNull(protocol, "protocol");
    transforms = List.copyOf(transforms);
    if (number < 1 || number > 255) {
      throw new IllegalArgumentException(
          "Proposal Number " + number + " is outside 1..255 (RFC 7296 section 3.3.1)");
    }
  }

  /** The offered transforms of one type, in the peer's order. */
  public List<Transform> ofType(TransformType type) {
    return ofType(transforms, type);
  }

  /** The transforms of one type, in order; a loop, not a stream: selection asks this per type. */
  static List<Transform> ofType(List<Transform> transforms, TransformType type) {
    List<Transform> matching = new ArrayList<>(transforms.size());
    for (Transform t : transforms) {
      if (t.type() == type) {
        matching.add(t);
      }
    }
    return Collections.unmodifiableList(matching);
  }

  /** How we offer the proposals of a configured list: numbered 1, 2, ... in order. */
  public static List<ProposalOffer> numbered(List<dev.ferry.vpn.core.proposal.Proposal> proposals) {
    List<ProposalOffer> offers = new ArrayList<>(proposals.size());
    for (int i = 0; i < proposals.size(); i++) {
      offers.add(new ProposalOffer(i + 1, proposals.get(i).protocol(),
          proposals.get(i).wireTransforms(), false));
    }
    return Collections.unmodifiableList(offers);
  }
}
