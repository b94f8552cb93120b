package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.proposal.Algorithm;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.EsnMode;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import dev.ferry.vpn.ike.message.SaAttribute;
import dev.ferry.vpn.ike.message.SaProposal;
import dev.ferry.vpn.ike.message.SaTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SA payload proposals to {@link ProposalOffer}s, keeping what selection needs (RFC 7296 3.3). */
final class WireProposals {
  private WireProposals() { }

  /** The offer, or empty when the protocol is neither IKE nor ESP (never selectable). */
  static Optional<ProposalOffer> toOffer(SaProposal p) {
    Protocol protocol;
    if (p.protocolId() == SaProposal.PROTOCOL_IKE) {
      protocol = Protocol.IKE;
    } else if (p.protocolId() == SaProposal.PROTOCOL_ESP) {
      protocol = Protocol.ESP;
    } else {
      return Optional.empty();
    }
    List<Transform> known = new ArrayList<>();
    boolean unknownType = false;
    for (SaTransform t : p.transforms()) {
      Optional<TransformType> type = typeOf(t.transformType());
      if (type.isEmpty()) {
        unknownType = true;
        continue;
      }
      // Unknown IDs or attributes of a known type are simply never chosen (RFC 7296 3.3.6).
      transform(type.get(), t).ifPresent(known::add);
    }
    return Optional.of(new ProposalOffer(p.number(), protocol, known, unknownType));
  }

  static List<ProposalOffer> toOffers(List<SaProposal> proposals) {
    return proposals.stream().map(WireProposals::toOffer).flatMap(Optional::stream).toList();
  }

  private static Optional<TransformType> typeOf(int number) {
    for (TransformType t : TransformType.values()) {
      if (t.typeNumber() == number) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static Optional<Transform> transform(TransformType type, SaTransform t) {
    Optional<? extends Algorithm> algorithm = switch (type) {
      case ENCR -> EncryptionAlgorithm.fromTransformId(t.transformId());
      case PRF -> PrfAlgorithm.fromTransformId(t.transformId());
      case INTEG -> IntegrityAlgorithm.fromTransformId(t.transformId());
      case KE -> KeyExchangeMethod.fromTransformId(t.transformId());
      case ESN -> EsnMode.fromTransformId(t.transformId());
    };
    if (algorithm.isEmpty()) {
      return Optional.empty();
    }
    int keyLength = 0;
    for (SaAttribute a : t.attributes()) {
      if (a.attributeType() != SaAttribute.KEY_LENGTH || !a.tvFormat()) {
        return Optional.empty();
      }
      keyLength = a.shortValue();
    }
    try {
      return Optional.of(new Transform(algorithm.get(), keyLength));
    } catch (IllegalArgumentException badKeyLength) {
      return Optional.empty();
    }
  }
}
