package dev.ferry.vpn.core.proposal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One IKEv2 proposal (RFC 7296 section 3.3): for one protocol, the acceptable transforms of each
 * type. Within a type the list is in order of preference; the peer picks one of each type.
 *
 * <p>The constructor enforces the structural rules; {@link #problem} states the first one broken:
 *
 * <ul>
 *   <li>at least one ENCR transform (RFC 7296 section 3.3.3);
 *   <li>AEAD and classic ciphers are not mixed, and AEAD proposals carry no INTEG (RFC 5282 section
 *       8); classic ciphers need at least one INTEG (RFC 7296 section 3.3.3 for IKE; for ESP, RFC
 *       8221 advises against ESP encryption without authentication, so Ferry requires it);
 *   <li>IKE needs a PRF and a KE method and takes no ESN; ESP takes no PRF (RFC 7296 section
 *       3.3.3). An IKE proposal without a PRF implies the PRFs matching its INTEG algorithms, as
 *       strongSwan does; an AEAD IKE proposal has nothing to imply from and, as in strongSwan, is
 *       refused without an explicit PRF;
 *   <li>KE NONE is valid only in ESP, where next to a real group it makes PFS optional;
 *   <li>no transform twice, and every transform has a strongSwan keyword.
 * </ul>
 *
 * <p>Algorithms Ferry refuses ({@link Support#REFUSED}) may appear here, so a peer's offer can be
 * described; {@link #parse} (the configuration path) refuses them.
 */
public record Proposal(
    Protocol protocol,
    List<Transform> encryption,
    List<Transform> integrity,
    List<Transform> prf,
    List<Transform> keyExchange,
    List<Transform> esn) {

  public Proposal {
    Objects.requireNonNull(protocol, "protocol");
    encryption = List.copyOf(encryption);
    integrity = List.copyOf(integrity);
    prf = List.copyOf(prf);
    keyExchange = List.copyOf(keyExchange);
    esn = List.copyOf(esn);
    String problem = problem(protocol, encryption, integrity, prf, keyExchange, esn);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Parses one proposal such as {@code aes128gcm16-prfsha256-ecp256}; see {@link ProposalList}. */
  public static Proposal parse(String text, Protocol protocol) {
    ProposalList list = ProposalList.parse(text, protocol);
    if (list.proposals().size() != 1 || list.strict()) {
      throw new ProposalException(text, text, 0, "expected exactly one proposal, without '!'");
    }
    return list.proposals().get(0);
  }

  /**
   * The first structural rule the given lists break, or {@code null} when they form a proposal.
   */
  static String problem(
      Protocol protocol,
      List<Transform> encryption,
      List<Transform> integrity,
      List<Transform> prf,
      List<Transform> keyExchange,
      List<Transform> esn) {
    String typeProblem = wrongType(encryption, TransformType.ENCR);
    typeProblem = typeProblem != null ? typeProblem : wrongType(integrity, TransformType.INTEG);
    typeProblem = typeProblem != null ? typeProblem : wrongType(prf, TransformType.PRF);
    typeProblem = typeProblem != null ? typeProblem : wrongType(keyExchange, TransformType.KE);
    typeProblem = typeProblem != null ? typeProblem : wrongType(esn, TransformType.ESN);
    if (typeProblem != null) {
      return typeProblem;
    }
    Set<Transform> seen = new HashSet<>();
    for (Transform t : concat(encryption, integrity, prf, keyExchange, esn)) {
      if (!seen.add(t)) {
        return t + " is listed twice";
      }
      if (ProposalKeywords.keywordOf(t).isEmpty()) {
        return t.algorithm() + " has no strongSwan keyword and cannot be configured";
      }
    }
    if (encryption.isEmpty()) {
      return "an encryption algorithm is mandatory (RFC 7296 section 3.3.3)";
    }
    int aead = 0;
    for (Transform t : encryption) {
      aead += t.isAead() ? 1 : 0;
    }
    if (aead != 0 && aead != encryption.size()) {
      return "AEAD and classic ciphers cannot share a proposal (RFC 5282 section 8); "
          + "write them as separate proposals separated by ','";
    }
    if (aead != 0 && !integrity.isEmpty()) {
      return "an AEAD cipher authenticates by itself; remove the integrity algorithm "
          + integrity.get(0) + " (RFC 5282 section 8)";
    }
    if (aead == 0 && integrity.isEmpty()) {
      return "the non-AEAD cipher " + encryption.get(0)
          + " needs an integrity algorithm such as sha256 (RFC 7296 section 3.3.3; RFC 8221 "
          + "advises against unauthenticated ESP)";
    }
    if (protocol == Protocol.IKE) {
      if (!esn.isEmpty()) {
        return "ESN is an ESP transform; IKE proposals take none (RFC 7296 section 3.3.3)";
      }
      if (impliedPrfs(prf, integrity).isEmpty()) {
        return aead != 0
            ? "an IKE proposal with an AEAD cipher needs an explicit PRF such as prfsha256"
            : "no PRF given and none follows from the integrity algorithms; add one such as prfsha256";
      }
      if (keyExchange.isEmpty()) {
        return "an IKE proposal needs a key exchange method such as modp2048 or ecp256 "
            + "(RFC 7296 section 3.3.3)";
      }
      if (keyExchange.contains(Transform.of(KeyExchangeMethod.NONE))) {
        return "modpnone has no meaning in IKE: the IKE SA always runs a key exchange";
      }
    } else if (!prf.isEmpty()) {
      return "a PRF is negotiated only for the IKE SA; remove " + prf.get(0)
          + " from the ESP proposal (RFC 7296 section 3.3.3)";
    }
    return null;
  }

  private static String wrongType(List<Transform> list, TransformType expected) {
    for (Transform t : list) {
      if (t.type() != expected) {
        return t + " is a " + t.type() + " transform, not " + expected;
      }
    }
    return null;
  }

  private static List<Transform> impliedPrfs(List<Transform> prf, List<Transform> integrity) {
    if (!prf.isEmpty()) {
      return prf;
    }
    Set<Transform> implied = new LinkedHashSet<>();
    for (Transform t : integrity) {
      ((IntegrityAlgorithm) t.algorithm()).matchingPrf().map(Transform::of).ifPresent(implied::add);
    }
    return List.copyOf(implied);
  }

  /** The lists one after another; a plain loop, as proposals are built for every SA. */
  @SafeVarargs
  private static List<Transform> concat(List<Transform>... lists) {
    int size = 0;
    for (List<Transform> list : lists) {
      size += list.size();
    }
    List<Transform> all = new ArrayList<>(size);
    for (List<Transform> list : lists) {
      all.addAll(list);
    }
    return Collections.unmodifiableList(all);
  }

  /** True when the ciphers are AEAD (then {@link #integrity()} is empty). */
  public boolean isAead() {
    return encryption.get(0).isAead();
  }

  /**
   * The PRFs to negotiate: for IKE the listed ones, or when none is listed those matching the
   * integrity algorithms (strongSwan's rule); empty for ESP.
   */
  public List<Transform> effectivePrfs() {
    return protocol == Protocol.IKE ? impliedPrfs(prf, integrity) : List.of();
  }

  /** The ESN transforms to offer: for ESP the listed ones or else "no ESN"; empty for IKE. */
  public List<Transform> effectiveEsn() {
    if (protocol != Protocol.ESP) {
      return List.of();
    }
    return esn.isEmpty() ? List.of(Transform.of(EsnMode.NO_ESN)) : esn;
  }

  /** True for an ESP proposal that asks for a fresh key exchange (perfect forward secrecy). */
  public boolean hasPfs() {
    return protocol == Protocol.ESP
        && keyExchange.stream().anyMatch(t -> t.algorithm() != KeyExchangeMethod.NONE);
  }

  /** Every transform as it goes on the wire: ENCR, PRF, INTEG, KE, ESN, with implied ones added. */
  public List<Transform> wireTransforms() {
    return concat(encryption, effectivePrfs(), integrity, keyExchange, effectiveEsn());
  }

  /** The listed transforms Ferry does not fully support: LEGACY ones warn, REFUSED ones fail. */
  public List<Transform> transformsWith(Support support) {
    List<Transform> out = new ArrayList<>();
    for (Transform t : concat(encryption, integrity, effectivePrfs(), keyExchange, esn)) {
      if (t.algorithm().support() == support && !out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** The first listed transform of a type, if any (e.g. the preferred cipher). */
  public Optional<Transform> first(TransformType type) {
    return switch (type) {
      case ENCR -> encryption.stream().findFirst();
      case INTEG -> integrity.stream().findFirst();
      case PRF -> prf.stream().findFirst();
      case KE -> keyExchange.stream().findFirst();
      case ESN -> esn.stream().findFirst();
    };
  }

  /**
   * Canonical strongSwan syntax: ENCR, INTEG, PRF, KE then ESN keywords joined by '-', each list in
   * its order, e.g. {@code aes128-sha1-modp2048}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Transform t : concat(encryption, integrity, prf, keyExchange, esn)) {
      if (!sb.isEmpty()) {
        sb.append('-');
      }
      sb.append(t);
    }
    return sb.toString();
  }
}
