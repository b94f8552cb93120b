package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every AEAD transform on every backend: round trip, and any flipped bit fails to open. */
class AeadProperties {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Provide
  Arbitrary<Transform> aeads() {
    return Arbitraries.of(
        Transform.of(EncryptionAlgorithm.AES_GCM_8, 128),
        Transform.of(EncryptionAlgorithm.AES_GCM_12, 192),
        Transform.of(EncryptionAlgorithm.AES_GCM_16, 256),
        Transform.of(EncryptionAlgorithm.AES_GCM_16, 128),
        Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305));
  }

  private static Aead aead(Transform t, Backend backend) {
    byte[] key = new byte[CryptoProvider.keyLength(t)];
    RANDOM.nextBytes(key);
    return new CryptoProvider(RANDOM, CryptoProvider.Choices.all(backend)).aead(t, Secret.of(key));
  }

  @Property(tries = 300)
  void sealThenOpenRestoresThePlaintextAndFlippedBitsFail(
      @ForAll("aeads") Transform transform, @ForAll(supplier = JavaBackends.Supplier.class) Backend backend,
      @ForAll @Size(max = 300) byte[] plaintext, @ForAll @Size(max = 40) byte[] aad,
      @ForAll @IntRange(min = 0, max = 10_000) int flip) {
    Aead aead = aead(transform, backend);
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] buf = Arrays.copyOf(plaintext, plaintext.length + aead.tagLength());
    int sealed = aead.seal(nonce, aad, buf, 0, plaintext.length);
    assertEquals(buf.length, sealed);

    // Flip one bit of the ciphertext, tag, nonce or AAD: open must fail without throwing.
    int bits = 8 * (buf.length + nonce.length + aad.length);
    int bit = flip % bits;
    byte[] c = buf.clone();
    byte[] n = nonce.clone();
    byte[] a = aad.clone();
    byte[] target = bit < 8 * c.length ? c : bit < 8 * (c.length + n.length) ? n : a;
    int index = bit / 8 - (target == c ? 0 : target == n ? c.length : c.length + n.length);
    target[index] ^= (byte) (1 << (bit % 8));
    assertEquals(-1, aead.open(n, a, c, 0, c.length));

    assertEquals(plaintext.length, aead.open(nonce, aad, buf, 0, buf.length));
    assertArrayEquals(plaintext, Arrays.copyOf(buf, plaintext.length));
  }

  @Property(tries = 200)
  void openNeverThrowsOnArbitraryInput(@ForAll("aeads") Transform transform,
      @ForAll(supplier = JavaBackends.Supplier.class) Backend backend, @ForAll @Size(max = 64) byte[] body,
      @ForAll @Size(max = 16) byte[] nonce, @ForAll @IntRange(min = -2, max = 70) int offset,
      @ForAll @IntRange(min = -2, max = 70) int length) {
    int result = aead(transform, backend).open(nonce, new byte[0], body, offset, length);
    assertEquals(-1, result);
  }
}
