package dev.ferry.vpn.core.proposal;

/** The five IKEv2 transform types, with their RFC 7296 section 3.3.2 Transform Type numbers. */
public enum TransformType {
  /** Encryption algorithm (ENCR), AEAD or classic. */
  ENCR(1),
  /** Pseudorandom function (PRF), IKE only. */
  PRF(2),
  /** Integrity algorithm (INTEG); absent with AEAD ciphers. */
  INTEG(3),
  /** Key exchange method (formerly "Diffie-Hellman group"); in ESP it asks for PFS. */
  KE(4),
  /** Extended Sequence Numbers (ESP only). */
  ESN(5);

  private final int typeNumber;

  TransformType(int typeNumber) {
    this.typeNumber = typeNumber;
  }

  /** The Transform Type octet on the wire. */
  public int typeNumber() {
    return typeNumber;
  }
}
