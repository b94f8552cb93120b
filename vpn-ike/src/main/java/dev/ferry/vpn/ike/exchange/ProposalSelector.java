package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.proposal.EsnMode;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proposal negotiation as pure functions (RFC 7296 sections 2.7 and 3.3.6), for both roles.
 *
 * <ul>
 *   <li>Responder ({@link #select}): take the initiator's proposals in its order and answer with
 *       the first one the configuration accepts; within it, for each transform type, the first
 *       offered transform that the accepting configured proposal also lists. The answer has
 *       exactly one transform of each type the offer carries.
 *   <li>Initiator ({@link #checkAnswer}): the answer must name one of our proposals by number and
 *       pick one of our transforms of each type, and nothing else.
 * </ul>
 *
 * <p>KE transforms: selection can prefer a group (the one whose public value came in KEi), so the
 * responder does not ask for a retry with INVALID_KE_PAYLOAD when the offered group is acceptable
 * (RFC 7296 section 2.7). For ESP, a missing KE type and KE NONE both mean "no PFS".
 *
 * <p>Not done here: strongSwan's non-strict lists ({@code !}) also accept its defaults; Ferry only
 * accepts what is configured.
 */
public final class ProposalSelector {
  private ProposalSelector() { }

  /** The responder's choice: which offered proposal, and the one-per-type proposal it became. */
  public record Selection(int proposalNumber, Proposal chosen) { }

  /**
   * The responder's choice among {@code offers}, or empty when nothing is acceptable (then the
   * answer is NO_PROPOSAL_CHOSEN, RFC 7296 section 2.7).
   *
   * @param preferredKe the KE method to pick when it is acceptable, e.g. the KEi group
   */
  public static Optional<Selection> select(
      List<ProposalOffer> offers, ProposalList configured, Optional<KeyExchangeMethod> preferredKe) {
    for (ProposalOffer offer : offers) {
      // RFC 7296 section 3.3.6: a proposal with a Transform Type we do not understand is
      // unacceptable as a whole.
      if (offer.protocol() != configured.protocol() || offer.unknownTransformType()) {
        continue;
      }
      for (Proposal mine : configured.proposals()) {
        Optional<Proposal> chosen = match(offer, mine, preferredKe);
        if (chosen.isPresent()) {
          return Optional.of(new Selection(offer.number(), chosen.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Checks the responder's answer against what we offered; returns the negotiated proposal, or
   * empty when the answer is not a valid choice (RFC 7296 section 3.3.6: the accepted proposal
   * must be one the initiator offered, with one of the offered transforms of each type).
   */
  public static Optional<Proposal> checkAnswer(List<ProposalOffer> offered, ProposalOffer answer) {
    if (answer.unknownTransformType()) {
      return Optional.empty();
    }
    for (ProposalOffer mine : offered) {
      if (mine.number() != answer.number() || mine.protocol() != answer.protocol()) {
        continue;
      }
      Map<TransformType, List<Transform>> picked = byType(answer.transforms());
      for (Map.Entry<TransformType, List<Transform>> e : picked.entrySet()) {
        if (e.getValue().size() != 1 || !mine.ofType(e.getKey()).contains(e.getValue().get(0))) {
          return Optional.empty();
        }
      }
      for (TransformType type : TransformType.values()) {
        boolean required = !mine.ofType(type).isEmpty() && !optionalInAnswer(mine, type);
        if (required && !picked.containsKey(type)) {
          return Optional.empty();
        }
      }
      return build(answer.protocol(), picked);
    }
    return Optional.empty();
  }

  /** The proposal list with every KE transform removed: how CHILD SAs are offered in IKE_AUTH. */
  public static List<Proposal> withoutKeyExchange(List<Proposal> proposals) {
    List<Proposal> out = new ArrayList<>();
    for (Proposal p : proposals) {
      // RFC 7296 section 1.2: IKE_AUTH carries no KE payload, so its SA payload cannot
      // negotiate a KE method other than NONE.
      Proposal stripped = new Proposal(p.protocol(), p.encryption(), p.integrity(), p.prf(),
          List.of(), p.esn());
      if (!out.contains(stripped)) {
        out.add(stripped);
      }
    }
    return out;
  }

  private static boolean optionalInAnswer(ProposalOffer mine, TransformType type) {
    List<Transform> offered = mine.ofType(type);
    return switch (type) {
      case KE -> offered.contains(Transform.of(KeyExchangeMethod.NONE));
      case ESN -> offered.contains(Transform.of(EsnMode.NO_ESN));
      case INTEG -> offered.contains(Transform.of(IntegrityAlgorithm.NONE));
      default -> false;
    };
  }

  /** The peer's most preferred transform that we accept (RFC 7296 section 2.7: its order). */
  private static Optional<Transform> firstAcceptable(List<Transform> offered, List<Transform> acceptable) {
    for (Transform t : offered) {
      if (acceptable.contains(t)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static Optional<Proposal> match(
      ProposalOffer offer, Proposal mine, Optional<KeyExchangeMethod> preferredKe) {
    Map<TransformType, List<Transform>> chosen = new EnumMap<>(TransformType.class);
    // Both sides as offers of one type at a time: plain loops, run for every proposal pair of
    // every SA negotiation.
    List<Transform> acceptableAll = mine.wireTransforms();
    for (TransformType type : TransformType.values()) {
      List<Transform> offered = offer.ofType(type);
      List<Transform> acceptable = ProposalOffer.ofType(acceptableAll, type);
      if (offered.isEmpty()) {
        if (!acceptable.isEmpty() && !absenceAcceptable(type, acceptable)) {
          return Optional.empty();
        }
        continue;
      }
      Optional<Transform> pick = preferredKe
          .filter(ke -> type == TransformType.KE)
          .map(Transform::of)
          .filter(t -> offered.contains(t) && acceptable.contains(t))
          .or(() -> firstAcceptable(offered, acceptable));
      if (pick.isPresent()) {
        chosen.put(type, List.of(pick.get()));
      } else if (!absenceAcceptable(type, acceptable) || !offeredNoneOf(type, offered)) {
        return Optional.empty();
      }
    }
    return build(offer.protocol(), chosen);
  }

  /** True when leaving out {@code type} is what {@code acceptable} asks for anyway. */
  private static boolean absenceAcceptable(TransformType type, List<Transform> acceptable) {
    return switch (type) {
      case KE -> acceptable.isEmpty() || acceptable.contains(Transform.of(KeyExchangeMethod.NONE));
      case ESN -> acceptable.isEmpty() || acceptable.contains(Transform.of(EsnMode.NO_ESN));
      case INTEG -> acceptable.isEmpty();
      default -> false;
    };
  }

  /** True when the offer's transforms of {@code type} include the one meaning "none". */
  private static boolean offeredNoneOf(TransformType type, List<Transform> offered) {
    return switch (type) {
      // An AEAD offer may list INTEG NONE; our AEAD proposal takes no INTEG at all.
      case INTEG -> offered.contains(Transform.of(IntegrityAlgorithm.NONE));
      case KE -> offered.contains(Transform.of(KeyExchangeMethod.NONE));
      default -> false;
    };
  }

  private static Optional<Proposal> build(
      Protocol protocol, Map<TransformType, List<Transform>> chosen) {
    try {
      List<Transform> integ = chosen.getOrDefault(TransformType.INTEG, List.of()).stream()
          .filter(t -> t.algorithm() != IntegrityAlgorithm.NONE)
          .toList();
      return Optional.of(new Proposal(protocol,
          chosen.getOrDefault(TransformType.ENCR, List.of()),
          integ,
          chosen.getOrDefault(TransformType.PRF, List.of()),
          chosen.getOrDefault(TransformType.KE, List.of()),
          chosen.getOrDefault(TransformType.ESN, List.of())));
    } catch (IllegalArgumentException structurallyInvalid) {
      // RFC 7296 section 3.3.6: a proposal missing a mandatory transform type is unacceptable.
      return Optional.empty();
    }
  }

  private static Map<TransformType, List<Transform>> byType(List<Transform> transforms) {
    Map<TransformType, List<Transform>> out = new EnumMap<>(TransformType.class);
    for (Transform t : transforms) {
      out.computeIfAbsent(t.type(), k -> new ArrayList<>()).add(t);
    }
    return out;
  }
}
