package dev.ferry.vpn.core.proposal;

import java.util.Optional;

/** Transform Type 5 (ESN) IDs: whether ESP uses 64-bit Extended Sequence Numbers (RFC 4303). */
public enum EsnMode implements Algorithm {
  NO_ESN(0),
  ESN(1);

  private final Registration registration;

  EsnMode(int transformId) {
    this.registration = new Registration(transformId, Support.SUPPORTED, "");
  }

  @Override
  public TransformType type() {
    return TransformType.ESN;
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** The mode with IANA Transform ID {@code id}, if there is one. */
  public static Optional<EsnMode> fromTransformId(int id) {
    return Algorithm.withTransformId(values(), id);
  }
}
