package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.core.proposal.Algorithm;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.EsnMode;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Proposal substructure (RFC 7296 section 3.3.1): its number, protocol (1 IKE, 2 AH, 3 ESP),
 * SPI (empty in an initial IKE_SA_INIT, 8 octets when rekeying the IKE SA, 4 for ESP) and raw
 * transforms.
 */
public record SaProposal(int number, int protocolId, Bytes spi, List<SaTransform> transforms) {
  /** Protocol ID of IKE. */
  public static final int PROTOCOL_IKE = 1;
  /** Protocol ID of AH. */
  public static final int PROTOCOL_AH = 2;
  /** Protocol ID of ESP. */
  public static final int PROTOCOL_ESP = 3;

  public SaProposal {
    Checks.range("proposal number", number, 0xff);
    Checks.range("protocol ID", protocolId, 0xff);
    Checks.maxLength("SPI", spi, 0xff);
    transforms = List.copyOf(transforms);
    Checks.range("number of transforms", transforms.size(), 0xff);
  }

  /**
   * The wire form of {@code proposal}: its {@link Proposal#wireTransforms()} with Key Length
   * attributes where the transform has one.
   */
  public static SaProposal of(int number, Proposal proposal, Bytes spi) {
    List<SaTransform> out = new ArrayList<>();
    for (Transform t : proposal.wireTransforms()) {
      List<SaAttribute> attributes =
          t.hasKeyLength() ? List.of(SaAttribute.keyLength(t.keyLength())) : List.of();
      out.add(new SaTransform(t.type().typeNumber(), t.transformId(), attributes));
    }
    return new SaProposal(number, proposal.protocol().protocolId(), spi, out);
  }

  /**
   * This proposal in Ferry's terms, or empty when the protocol is not IKE or ESP, a transform or
   * attribute is unknown, or the transforms do not form a valid {@link Proposal} (for instance a
   * classic cipher without integrity). Empty does not mean malformed: the exchange layer skips such
   * proposals when selecting (RFC 7296 section 2.7).
   */
  public Optional<Proposal> toProposal() {
    Protocol protocol;
    if (protocolId == PROTOCOL_IKE) {
      protocol = Protocol.IKE;
    } else if (protocolId == PROTOCOL_ESP) {
      protocol = Protocol.ESP;
    } else {
      return Optional.empty();
    }
    List<Transform> encr = new ArrayList<>();
    List<Transform> integ = new ArrayList<>();
    List<Transform> prf = new ArrayList<>();
    List<Transform> ke = new ArrayList<>();
    List<Transform> esn = new ArrayList<>();
    for (SaTransform t : transforms) {
      Optional<Transform> known = toTransform(t);
      if (known.isEmpty()) {
        return Optional.empty();
      }
      switch (known.get().type()) {
        case ENCR -> encr.add(known.get());
        case INTEG -> integ.add(known.get());
        case PRF -> prf.add(known.get());
        case KE -> ke.add(known.get());
        case ESN -> esn.add(known.get());
      }
    }
    try {
      return Optional.of(new Proposal(protocol, encr, integ, prf, ke, esn));
    } catch (IllegalArgumentException structurallyInvalid) {
      // Proposal's constructor is the single place its structural rules live; a peer's offer that
      // breaks them is simply not expressible as a Ferry proposal.
      return Optional.empty();
    }
  }

  /** {@code t} as a known transform, or empty (unknown type, ID or attribute, bad key length). */
  static Optional<Transform> toTransform(SaTransform t) {
    Optional<? extends Algorithm> algorithm = algorithm(t.transformType(), t.transformId());
    if (algorithm.isEmpty()) {
      return Optional.empty();
    }
    int keyLength = 0;
    for (SaAttribute a : t.attributes()) {
      if (a.attributeType() != SaAttribute.KEY_LENGTH || !a.tvFormat() || keyLength != 0) {
        return Optional.empty();
      }
      keyLength = a.shortValue();
    }
    Algorithm alg = algorithm.get();
    boolean needsKeyLength = alg instanceof EncryptionAlgorithm e && e.needsKeyLength();
    if (needsKeyLength
        ? !((EncryptionAlgorithm) alg).keyLengths().contains(keyLength)
        : keyLength != 0) {
      return Optional.empty();
    }
    return Optional.of(new Transform(alg, keyLength));
  }

  private static Optional<? extends Algorithm> algorithm(int type, int id) {
    for (TransformType tt : TransformType.values()) {
      if (tt.typeNumber() == type) {
        return switch (tt) {
          case ENCR -> EncryptionAlgorithm.fromTransformId(id);
          case PRF -> PrfAlgorithm.fromTransformId(id);
          case INTEG -> IntegrityAlgorithm.fromTransformId(id);
          case KE -> KeyExchangeMethod.fromTransformId(id);
          case ESN -> EsnMode.fromTransformId(id);
        };
      }
    }
    return Optional.empty();
  }

  /** The transforms of one Transform Type, in order. */
  public List<SaTransform> transformsOfType(int transformType) {
    return transforms.stream().filter(t -> t.transformType() == transformType).toList();
  }
}
