package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.ike.crypto.SkProtector;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.IntFunction;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-only SK protectors built directly on the JCE with fixed keys and caller-chosen IVs, so the
 * codec can be checked byte for byte against captured messages. Not for production: the real
 * protectors come from the crypto package.
 */
final class TestSkProtectors {
  private TestSkProtectors() {}

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** An IV source that counts up from 1 in the last octet, so runs are reproducible. */
  static IntFunction<byte[]> countingIvs() {
    int[] counter = {0};
    return length -> {
      byte[] iv = new byte[length];
      counter[0]++;
      iv[length - 1] = (byte) counter[0];
      iv[0] = (byte) (counter[0] >>> 8);
      return iv;
    };
  }

  /** A fixed IV, for reproducing a captured message. */
  static IntFunction<byte[]> fixedIv(String ivHex) {
    byte[] iv = hex(ivHex);
    return length -> iv.clone();
  }

  /**
   * Classic CBC cipher plus truncated HMAC (RFC 7296 section 3.14): ICV = HMAC over everything
   * before the ICV. {@code cipher} is "AES" or "DESede".
   */
  static SkProtector cbcHmac(
      String cipher, byte[] encKey, String macAlgorithm, byte[] macKey, int icvLength,
      IntFunction<byte[]> ivs) {
    int block = cipher.equals("AES") ? 16 : 8;
    return new SkProtector() {
      @Override
      public int bodyLength(int plaintextLength) {
        int padded = (plaintextLength + 1 + block - 1) / block * block;
        return block + padded + icvLength;
      }

      @Override
      public byte[] seal(byte[] associatedData, byte[] plaintext) {
        int padded = bodyLength(plaintext.length) - block - icvLength;
        byte[] pt = Arrays.copyOf(plaintext, padded);
        pt[padded - 1] = (byte) (padded - plaintext.length - 1);
        byte[] iv = ivs.apply(block);
        try {
          Cipher c = Cipher.getInstance(cipher + "/CBC/NoPadding");
          c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encKey, cipher), new IvParameterSpec(iv));
          byte[] ct = c.doFinal(pt);
          byte[] body = new byte[block + ct.length + icvLength];
          System.arraycopy(iv, 0, body, 0, block);
          System.arraycopy(ct, 0, body, block, ct.length);
          byte[] icv = mac(associatedData, body, 0, block + ct.length);
          System.arraycopy(icv, 0, body, block + ct.length, icvLength);
          return body;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }

      private byte[] mac(byte[] aad, byte[] buf, int off, int len)
          throws GeneralSecurityException {
        Mac m = Mac.getInstance(macAlgorithm);
        m.init(new SecretKeySpec(macKey, macAlgorithm));
        m.update(aad);
        m.update(buf, off, len);
        return Arrays.copyOf(m.doFinal(), icvLength);
      }

      @Override
      public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
        int ctLength = length - block - icvLength;
        if (ctLength < block || ctLength % block != 0) {
          return null;
        }
        try {
          byte[] icv = mac(associatedData, body, offset, block + ctLength);
          byte[] got = Arrays.copyOfRange(body, offset + block + ctLength, offset + length);
          if (!MessageDigest.isEqual(icv, got)) {
            return null;
          }
          Cipher c = Cipher.getInstance(cipher + "/CBC/NoPadding");
          c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encKey, cipher),
              new IvParameterSpec(body, offset, block));
          byte[] pt = c.doFinal(body, offset + block, ctLength);
          int padLength = pt[pt.length - 1] & 0xff;
          return padLength + 1 > pt.length ? null : Arrays.copyOf(pt, pt.length - padLength - 1);
        } catch (GeneralSecurityException e) {
          return null;
        }
      }
    };
  }

  /** AES-GCM-16 (RFC 5282) or ChaCha20-Poly1305 (RFC 7634): nonce = salt || 8-octet IV. */
  static SkProtector aead(String transformation, byte[] key, byte[] salt, IntFunction<byte[]> ivs) {
    boolean gcm = transformation.startsWith("AES");
    String keyAlgorithm = gcm ? "AES" : "ChaCha20";
    return new SkProtector() {
      @Override
      public int bodyLength(int plaintextLength) {
        return 8 + plaintextLength + 1 + 16;
      }

      private Cipher cipher(int mode, byte[] ivBuf, int ivOff, byte[] aad)
          throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        System.arraycopy(salt, 0, nonce, 0, 4);
        System.arraycopy(ivBuf, ivOff, nonce, 4, 8);
        Cipher c = Cipher.getInstance(transformation);
        SecretKeySpec k = new SecretKeySpec(key, keyAlgorithm);
        if (gcm) {
          c.init(mode, k, new GCMParameterSpec(128, nonce));
        } else {
          c.init(mode, k, new IvParameterSpec(nonce));
        }
        c.updateAAD(aad);
        return c;
      }

      @Override
      public byte[] seal(byte[] associatedData, byte[] plaintext) {
        byte[] iv = ivs.apply(8);
        byte[] pt = Arrays.copyOf(plaintext, plaintext.length + 1);
        try {
          byte[] ct = cipher(Cipher.ENCRYPT_MODE, iv, 0, associatedData).doFinal(pt);
          byte[] body = new byte[8 + ct.length];
          System.arraycopy(iv, 0, body, 0, 8);
          System.arraycopy(ct, 0, body, 8, ct.length);
          return body;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
        if (length < 8 + 16 + 1) {
          return null;
        }
        try {
          byte[] pt = cipher(Cipher.DECRYPT_MODE, body, offset, associatedData)
              .doFinal(body, offset + 8, length - 8);
          int padLength = pt[pt.length - 1] & 0xff;
          return padLength + 1 > pt.length ? null : Arrays.copyOf(pt, pt.length - padLength - 1);
        } catch (GeneralSecurityException e) {
          return null;
        }
      }
    };
  }

  /** AES-GCM-16 with a fixed 128-bit key and counting IVs, for property tests. */
  static SkProtector gcmForTests() {
    return aead("AES/GCM/NoPadding", hex("000102030405060708090a0b0c0d0e0f"), hex("a0a1a2a3"),
        countingIvs());
  }
}
