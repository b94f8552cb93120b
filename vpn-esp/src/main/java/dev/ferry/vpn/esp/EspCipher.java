package dev.ferry.vpn.esp;

/**
 * The cryptographic transform of one ESP SA direction, applied in place to a packet laid out as
 * RFC 4303 section 2 draws it: {@code SPI | sequence | IV | encrypted part | ICV}, where the
 * encrypted part is {@code payload | padding | pad length | next header}. The caller has written
 * SPI and sequence number and the trailer; the cipher writes the IV and the ICV.
 *
 * <p>One instance serves one thread (the JCE objects inside are not thread-safe); an SA keeps one
 * per worker thread and re-initialises it per packet.
 */
sealed interface EspCipher permits AeadEspCipher, CbcEspCipher {

  /** Octets of IV after the sequence number (8 for AEAD, the block size for CBC). */
  int ivLength();

  /** Octets of ICV after the encrypted part (0 only for the unauthenticated RFC 3602 vectors). */
  int icvLength();

  /**
   * The length of the encrypted part must be a multiple of this: the cipher's block size, and at
   * least 4 so that the ICV is aligned (RFC 4303 section 2.4).
   */
  int alignment();

  /**
   * Writes the IV, encrypts {@code buf[esp+8+ivLength, +encryptedLength)} in place and writes the
   * ICV after it.
   *
   * @param seq the full sequence number (its high half enters the ICV with ESN)
   */
  void seal(byte[] buf, int esp, int encryptedLength, long seq);

  /**
   * Verifies the ICV of the ESP packet {@code buf[esp, esp+espLength)} and decrypts its encrypted
   * part in place. Returns false, leaving no unauthenticated plaintext, when the ICV does not
   * verify. The caller has checked that the encrypted part is non-empty and aligned.
   */
  boolean open(byte[] buf, int esp, int espLength, long seq);
}
