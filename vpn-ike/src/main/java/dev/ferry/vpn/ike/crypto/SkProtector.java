package dev.ferry.vpn.ike.crypto;

/**
 * Protects the body of one direction's SK payloads (RFC 7296 section 3.14) and SKF fragments (RFC
 * 7383 section 2.5) with the negotiated IKE SA keys: SK_ei/SK_ai for messages the initiator sends,
 * SK_er/SK_ar for the responder's. The codec frames messages; this type only turns plaintext into
 * a body and back.
 *
 * <p>Body layout: {@code IV || ciphertext || ICV}, where the plaintext before encryption is {@code
 * inner payloads || padding || pad length (1 octet)}.
 *
 * <ul>
 *   <li>Non-AEAD (RFC 7296 section 3.14): the ICV is the integrity algorithm's MAC over every
 *       octet of the message before the ICV: {@code associatedData || IV || ciphertext}.
 *   <li>AEAD (RFC 5282 section 5, RFC 7634 section 3): the associated data is authenticated by the
 *       cipher; the nonce is salt || IV.
 * </ul>
 *
 * <p>{@code associatedData} is always every octet of the message (or fragment) from the first
 * octet of the IKE header up to and including the SK/SKF generic payload header (and, for SKF, the
 * fragment number and total fragments fields), with the final lengths already written. Callers
 * learn those lengths beforehand from {@link #bodyLength}.
 *
 * <p>Implementations are safe for use by one thread at a time (an IKE SA is confined to one
 * executor). They never throw for bad input on {@link #open}: authentication failure and
 * malformed bodies return null. They never expose key material.
 */
public interface SkProtector {

  /**
   * The exact body length {@link #seal} produces for {@code plaintextLength} octets of inner
   * payloads (minimal padding).
   */
  int bodyLength(int plaintextLength);

  /** Encrypts and authenticates; returns {@code IV || ciphertext || ICV}. */
  byte[] seal(byte[] associatedData, byte[] plaintext);

  /**
   * Verifies and decrypts {@code body[offset, offset+length)}; returns the inner payload octets
   * with padding and pad length removed, or null when the ICV does not verify, the body is too
   * short, not a multiple of the block size, or the padding length runs past the plaintext.
   */
  byte[] open(byte[] associatedData, byte[] body, int offset, int length);
}
