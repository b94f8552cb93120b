package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.util.Objects;

/**
 * A peer's Key Exchange Data was refused. IKE answers INVALID_SYNTAX (RFC 6989 section 5 leaves
 * the notify to the implementation; strongSwan fails the exchange the same way).
 */
public final class KeyExchangeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a public value is invalid. */
  public enum Reason {
    /** The octet length differs from the method's fixed length (RFC 7296 section 3.4). */
    WRONG_LENGTH,
    /**
     * A value outside its range: MODP {@code y <= 1} or {@code y >= p-1} (RFC 6989 section 2.1),
     * an ECP coordinate {@code >= p} (RFC 6989 section 2.3).
     */
    OUT_OF_RANGE,
    /** An ECP point that does not satisfy the curve equation (RFC 6989 section 2.3, RFC 5903). */
    NOT_ON_CURVE,
    /** A small-order point: the shared secret is all zeros (RFC 7748 section 6, RFC 8031). */
    LOW_ORDER
  }

  private final KeyExchangeMethod method;
  private final Reason reason;

  public KeyExchangeException(KeyExchangeMethod method, Reason reason, String detail) {
    super(method + ": peer public value refused (" + reason + "): " + detail);
    this.method = Objects.requireNonNull(method, "method");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public KeyExchangeMethod method() {
    return method;
  }

  public Reason reason() {
    return reason;
  }
}
