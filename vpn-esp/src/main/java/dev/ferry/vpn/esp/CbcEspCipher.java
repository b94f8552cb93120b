package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.Encryptor;
import dev.ferry.vpn.core.crypto.Integrity;
import java.security.SecureRandom;

/**
 * AES-CBC (RFC 3602) or 3DES-CBC (RFC 2451) with an HMAC (RFC 2404, RFC 4868) or AES-XCBC/CMAC
 * ICV, encrypt-then-MAC: the ICV covers SPI, sequence number, IV and ciphertext, and with ESN the
 * high 32 bits of the sequence number appended for the computation only (RFC 4303 section
 * 2.2.1). Each packet gets a fresh random IV (RFC 3602 section 2.3: unpredictable).
 */
final class CbcEspCipher implements EspCipher {
  private final Encryptor encryptor;
  private final Integrity integrity;
  private final SecureRandom random;
  private final boolean esn;
  private final byte[] iv;
  private final byte[] high = new byte[4];

  /**
   * @param integrity the ICV algorithm, or null for encryption only, which negotiation never
   *     yields (RFC 8221 section 5) and which exists for the RFC 3602 section 4 packets
   */
  CbcEspCipher(Encryptor encryptor, Integrity integrity, SecureRandom random,
      boolean extendedSequenceNumbers) {
    this.encryptor = encryptor;
    this.integrity = integrity;
    this.random = random;
    this.esn = extendedSequenceNumbers;
    this.iv = new byte[encryptor.blockSize()];
  }

  @Override
  public int ivLength() {
    return iv.length;
  }

  @Override
  public int icvLength() {
    return integrity == null ? 0 : integrity.icvLength();
  }

  @Override
  public int alignment() {
    return Math.max(4, encryptor.blockSize());
  }

  @Override
  public void seal(byte[] buf, int esp, int encryptedLength, long seq) {
    random.nextBytes(iv);
    System.arraycopy(iv, 0, buf, esp + 8, iv.length);
    int start = esp + 8 + iv.length;
    encryptor.encrypt(iv, buf, start, encryptedLength);
    if (integrity != null) {
      authenticate(buf, esp, start + encryptedLength - esp, seq);
      integrity.sign(buf, start + encryptedLength);
    }
  }

  @Override
  public boolean open(byte[] buf, int esp, int espLength, long seq) {
    int icv = icvLength();
    if (integrity != null) {
      // RFC 4303 section 3.4.4: verify the ICV before decrypting anything.
      authenticate(buf, esp, espLength - icv, seq);
      if (!integrity.verify(buf, esp + espLength - icv)) {
        return false;
      }
    }
    System.arraycopy(buf, esp + 8, iv, 0, iv.length);
    int start = esp + 8 + iv.length;
    return encryptor.decrypt(iv, buf, start, esp + espLength - icv - start);
  }

  private void authenticate(byte[] buf, int esp, int length, long seq) {
    integrity.update(buf, esp, length);
    if (esn) {
      WireBytes.putInt(high, 0, (int) (seq >>> 32));
      integrity.update(high, 0, 4);
    }
  }
}
