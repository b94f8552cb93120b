package dev.ferry.vpn.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes, such as the IKE pre-shared key. {@link #toString()} shows only the length; equality
 * compares in constant time ({@link MessageDigest#isEqual}) and the hash code depends on the length
 * alone, so neither leaks content. The bytes leave only through {@link #reveal()}, as a copy.
 * {@link #destroy()} overwrites them when a key's lifetime ends (an IKE SA is deleted or rekeyed);
 * a destroyed secret refuses {@link #reveal()}.
 */
public final class Secret implements javax.security.auth.Destroyable {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private Secret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A secret holding a copy of {@code bytes}. */
  public static Secret of(byte[] bytes) {
    return new Secret(bytes.clone());
  }

  /** A secret holding the UTF-8 encoding of {@code text}, as ipsec.secrets stores a quoted PSK. */
  public static Secret ofUtf8(String text) {
    return new Secret(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A fresh copy of the secret bytes; the caller should overwrite it after use.
   *
   * @throws IllegalStateException after {@link #destroy()}
   */
  public byte[] reveal() {
    if (destroyed) {
      throw new IllegalStateException("the secret was destroyed");
    }
    return bytes.clone();
  }

  /** Overwrites the bytes with zeros; later {@link #reveal()} calls throw. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** True when the secret is exactly the UTF-8 encoding of {@code text} (constant time). */
  public boolean matchesUtf8(String text) {
    byte[] other = text.getBytes(StandardCharsets.UTF_8);
    boolean same = MessageDigest.isEqual(bytes, other);
    Arrays.fill(other, (byte) 0);
    return same;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "Secret[redacted, " + bytes.length + " bytes]";
  }
}
