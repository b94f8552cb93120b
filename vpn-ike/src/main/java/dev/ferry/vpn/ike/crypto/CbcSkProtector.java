package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Encryptor;
import dev.ferry.vpn.core.crypto.Integrity;
import java.util.Arrays;

/**
 * SK payload protection with a CBC cipher and a separate integrity algorithm (RFC 7296 section
 * 3.14): body = IV (one block) || ciphertext || ICV. The plaintext is padded to the block size;
 * the ICV covers the associated data, the IV and the ciphertext (encrypt-then-MAC), and {@link
 * #open} checks it before decrypting anything.
 */
final class CbcSkProtector implements SkProtector {
  private final Encryptor cipher;
  private final Integrity integrity;
  private final IvSource ivs;
  private final int block;
  private final byte[] iv;

  CbcSkProtector(Encryptor cipher, Integrity integrity, IvSource ivs) {
    this.cipher = cipher;
    this.integrity = integrity;
    this.ivs = ivs;
    this.block = cipher.blockSize();
    this.iv = new byte[block];
  }

  private int paddedLength(int plaintextLength) {
    // Payloads || Padding || Pad Length must fill whole blocks.
    return (plaintextLength + 1 + block - 1) / block * block;
  }

  @Override
  public int bodyLength(int plaintextLength) {
    return block + paddedLength(plaintextLength) + integrity.icvLength();
  }

  @Override
  public byte[] seal(byte[] associatedData, byte[] plaintext) {
    int padded = paddedLength(plaintext.length);
    byte[] body = new byte[bodyLength(plaintext.length)];
    ivs.next(body, 0, block);
    System.arraycopy(plaintext, 0, body, block, plaintext.length);
    // Padding octets may hold any value (RFC 7296 section 3.14); zeros here.
    body[block + padded - 1] = (byte) (padded - plaintext.length - 1);
    System.arraycopy(body, 0, iv, 0, block);
    cipher.encrypt(iv, body, block, padded);
    integrity.update(associatedData, 0, associatedData.length);
    integrity.update(body, 0, block + padded);
    integrity.sign(body, block + padded);
    return body;
  }

  @Override
  public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
    int icv = integrity.icvLength();
    if (body == null || associatedData == null || offset < 0 || length < 0
        || offset > body.length - length) {
      return null;
    }
    int ciphertext = length - block - icv;
    if (ciphertext < block || ciphertext % block != 0) {
      return null;
    }
    integrity.update(associatedData, 0, associatedData.length);
    integrity.update(body, offset, block + ciphertext);
    if (!integrity.verify(body, offset + block + ciphertext)) {
      return null;
    }
    System.arraycopy(body, offset, iv, 0, block);
    byte[] work = Arrays.copyOfRange(body, offset + block, offset + block + ciphertext);
    cipher.decrypt(iv, work, 0, work.length);
    return SkPadding.strip(work, work.length);
  }
}
