package dev.ferry.vpn.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC (RFC 2104) with SHA-1 or SHA-2 on the JDK. */
final class JceHmacEngine implements MacEngine {
  private final String algorithm;
  private final Mac mac;

  JceHmacEngine(String algorithm) {
    this.algorithm = algorithm;
    try {
      this.mac = Mac.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  @Override
  public int macLength() {
    return mac.getMacLength();
  }

  @Override
  public void init(byte[] key) {
    // RFC 2104 section 2: a key shorter than the block is padded with zeros, so the empty key
    // (which SecretKeySpec refuses) is the same key as a single zero octet.
    byte[] usable = key.length == 0 ? new byte[1] : key;
    try {
      mac.init(new SecretKeySpec(usable, algorithm));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC key refused", e);
    }
  }

  @Override
  public void update(byte[] data, int off, int len) {
    mac.update(data, off, len);
  }

  @Override
  public void doFinal(byte[] out, int off) {
    try {
      mac.doFinal(out, off);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC output does not fit", e);
    }
  }
}
