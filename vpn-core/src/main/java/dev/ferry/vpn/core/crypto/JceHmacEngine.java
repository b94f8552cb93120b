package dev.ferry.vpn.core.crypto;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC (RFC 2104) with SHA-1 or SHA-2 on the JDK.
 *
 * <p>Each engine clones an unkeyed per-thread prototype instead of looking the algorithm up: IKE
 * makes a PRF for every SA and the provider-list lookup (with its string upper-casing and
 * reflective construction) cost more than the HMAC computations of prf+ (IkeHandshakeBench
 * profile). The prototype is never keyed, so a clone starts as empty as a looked-up instance.
 */
final class JceHmacEngine implements MacEngine {
  private static final ThreadLocal<Map<String, Mac>> PROTOTYPES = ThreadLocal.withInitial(HashMap::new);

  private final String algorithm;
  private final Mac mac;

  JceHmacEngine(String algorithm) {
    this.algorithm = algorithm;
    this.mac = newMac(algorithm);
  }

  private static Mac newMac(String algorithm) {
    try {
      Mac prototype = PROTOTYPES.get().get(algorithm);
      if (prototype == null) {
        prototype = Mac.getInstance(algorithm);
        prototype.getMacLength(); // settles SunJCE's delayed provider choice once
        PROTOTYPES.get().put(algorithm, prototype);
      }
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp(algorithm); // a provider whose HMAC cannot be cloned: the slow path
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  private static Mac lookUp(String algorithm) {
    try {
      return Mac.getInstance(algorithm);
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
