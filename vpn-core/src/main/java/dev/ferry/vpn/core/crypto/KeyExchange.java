package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;

/**
 * One side of one key exchange (RFC 7296 section 1.2 KE payload): holds a private value made at
 * creation and never exposes it. Diffie-Hellman style methods (MODP, ECP, Curve25519/448) fit
 * directly; a KEM (RFC 9370 additional key exchanges, ML-KEM) implements the same two steps, the
 * responder's {@link #publicValue()} then being its ciphertext.
 */
public interface KeyExchange {

  /** The negotiated method. */
  KeyExchangeMethod method();

  /** The Key Exchange Data to send in the KE payload (a fresh copy). */
  byte[] publicValue();

  /**
   * The shared secret g^ir for the peer's Key Exchange Data, in the octet form IKE feeds to its
   * PRF (RFC 7296 section 2.14, RFC 5903 section 7: x coordinate only; RFC 8031 section 2).
   *
   * @throws KeyExchangeException when the peer's value is invalid (RFC 6989, RFC 5903 section 7,
   *     RFC 7748 section 6); the exception names the reason and nothing is changed
   */
  Secret computeSharedSecret(byte[] peerPublicValue) throws KeyExchangeException;
}
