package dev.ferry.vpn.core.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM (tags of 12 or 16 octets: SunJCE refuses shorter ones) and ChaCha20-Poly1305 on the JDK.
 * SunJCE reports a failed tag with an exception; {@link #open} turns it into -1.
 *
 * <p>Each key has its own {@link Cipher} (so SunJCE's refusal to seal twice with one key and nonce
 * sees exactly this key's calls), made from the provider found once per algorithm: a full
 * provider-list look-up per key cost about three times as much (1.5 vs 0.5 µs) and was, with the
 * HMAC look-ups, about 4% of an IKE handshake's CPU time (IkeHandshakeBench profile).
 */
final class JceAead extends AeadBase {
  private static final String GCM = "AES/GCM/NoPadding";
  private static final String CHACHA20_POLY1305 = "ChaCha20-Poly1305";
  private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

  private final SecretKeySpec key;
  private final Cipher cipher;

  private JceAead(boolean gcm, byte[] key, int tagLength) {
    super(gcm, key.length, tagLength);
    this.key = new SecretKeySpec(key, isGcm() ? "AES" : "ChaCha20");
    this.cipher = newCipher(isGcm() ? GCM : CHACHA20_POLY1305);
  }

  private static Cipher newCipher(String transformation) {
    try {
      Provider provider = PROVIDERS.get(transformation);
      if (provider == null) {
        Cipher first = Cipher.getInstance(transformation);
        PROVIDERS.putIfAbsent(transformation, first.getProvider());
        return first;
      }
      return Cipher.getInstance(transformation, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + transformation, e);
    }
  }

  static JceAead aesGcm(byte[] key, int tagLength) {
    if (tagLength != 12 && tagLength != 16) {
      throw new IllegalArgumentException("SunJCE AES-GCM supports 12- and 16-octet tags, not " + tagLength);
    }
    return new JceAead(true, key, tagLength);
  }

  static JceAead chaCha20Poly1305(byte[] key) {
    return new JceAead(false, key, 16);
  }

  private AlgorithmParameterSpec params(byte[] nonce) {
    return isGcm() ? new GCMParameterSpec(tagLength() * 8, nonce) : new IvParameterSpec(nonce);
  }

  @Override
  int sealChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, params(nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(buf, off, len, buf, off);
    } catch (GeneralSecurityException e) {
      // Includes SunJCE's refusal to reuse a key and nonce: a caller bug, never peer input.
      throw new IllegalStateException("AEAD seal failed: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  int openChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, params(nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(buf, off, len, buf, off);
    } catch (GeneralSecurityException | RuntimeException e) {
      return -1;
    }
  }
}
