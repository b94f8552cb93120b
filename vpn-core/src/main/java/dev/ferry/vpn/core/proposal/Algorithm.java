package dev.ferry.vpn.core.proposal;

/** One registered transform ID of one {@link TransformType}, and whether Ferry negotiates it. */
public sealed interface Algorithm
    permits EncryptionAlgorithm, PrfAlgorithm, IntegrityAlgorithm, KeyExchangeMethod, EsnMode {

  TransformType type();

  /** The registry entry and Ferry's support decision. */
  Registration registration();

  /** The Transform ID from the IANA "IKEv2 Transform Attribute" registries. */
  default int transformId() {
    return registration().transformId();
  }

  default Support support() {
    return registration().support();
  }

  /** Why the algorithm is legacy or refused (cites the RFC); empty for supported ones. */
  default String supportNote() {
    return registration().note();
  }

  /** An IANA Transform ID with Ferry's support decision and the reason for it. */
  record Registration(int transformId, Support support, String note) {
    public Registration {
      java.util.Objects.requireNonNull(support, "support");
      java.util.Objects.requireNonNull(note, "note");
    }
  }

  /** The enum constant name, e.g. {@code AES_GCM_16}. */
  String name();

  /** The member of {@code candidates} with Transform ID {@code id}, if any. */
  static <A extends Algorithm> java.util.Optional<A> withTransformId(A[] candidates, int id) {
    for (A a : candidates) {
      if (a.transformId() == id) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }
}
