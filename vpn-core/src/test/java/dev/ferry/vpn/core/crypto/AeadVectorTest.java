package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.testing.Vectors;
import static dev.ferry.vpn.testing.Vectors.hex;
import static dev.ferry.vpn.testing.Vectors.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** AES-GCM and ChaCha20-Poly1305 against the published vectors, on both backends. */
class AeadVectorTest {

  static CryptoProvider provider(Backend backend) {
    return new CryptoProvider(new SecureRandom(), CryptoProvider.Choices.all(backend));
  }

  static Transform gcm(int tagLength, int keyLength) {
    EncryptionAlgorithm a = switch (tagLength) {
      case 8 -> EncryptionAlgorithm.AES_GCM_8;
      case 12 -> EncryptionAlgorithm.AES_GCM_12;
      default -> EncryptionAlgorithm.AES_GCM_16;
    };
    return Transform.of(a, keyLength * 8);
  }

  /** Seals plaintext and checks ciphertext || tag, then opens it back. */
  static void check(Aead aead, byte[] nonce, byte[] aad, byte[] plaintext, byte[] expected) {
    byte[] buf = Arrays.copyOf(plaintext, plaintext.length + aead.tagLength());
    assertEquals(expected.length, aead.seal(nonce, aad, buf, 0, plaintext.length));
    assertArrayEquals(expected, buf);
    assertEquals(plaintext.length, aead.open(nonce, aad, buf, 0, buf.length));
    assertArrayEquals(plaintext, Arrays.copyOf(buf, plaintext.length));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static Stream<Arguments> gcmSpec() {
    return Vectors.arguments("gcm-spec-mcgrew-viega-testcases.json");
  }

  @ParameterizedTest
  @MethodSource("gcmSpec")
  void gcmSpecCases(Map<String, Object> v) {
    for (Backend b : JavaBackends.ALL) {
      byte[] key = hex(v, "key");
      Aead aead = provider(b).aead(gcm(16, key.length), Secret.of(key));
      check(aead, hex(v, "iv"), hex(v, "aad"), hex(v, "plaintext"),
          concat(hex(v, "ciphertext"), hex(v, "tag")));
    }
  }

  static Stream<Arguments> rfc4106() {
    return Vectors.arguments("rfc4106-esp-aes-gcm-strongswan.json");
  }

  @ParameterizedTest
  @MethodSource("rfc4106")
  void rfc4106EspLayoutWithEveryIcvLength(Map<String, Object> v) {
    int icv = integer(v, "icv_len");
    byte[] keymat = hex(v, "keymat");
    byte[] key = Arrays.copyOf(keymat, keymat.length - 4);
    // RFC 4106 section 4: nonce = salt (last 4 octets of the keying material) || explicit IV.
    byte[] nonce = concat(Arrays.copyOfRange(keymat, key.length, keymat.length), hex(v, "iv"));
    assertArrayEquals(hex(v, "nonce"), nonce);
    for (Backend b : JavaBackends.ALL) {
      Aead aead = provider(b).aead(gcm(icv, key.length), Secret.of(key));
      assertEquals(icv, aead.tagLength());
      check(aead, nonce, hex(v, "aad"), hex(v, "plaintext"),
          concat(hex(v, "ciphertext"), hex(v, "icv")));
    }
  }

  static Stream<Arguments> chacha() {
    return Stream.concat(Vectors.arguments("rfc7634-chacha20poly1305-esp-ikev2.json"),
        Vectors.arguments("rfc8439-chacha20poly1305-aead.json"));
  }

  @ParameterizedTest
  @MethodSource("chacha")
  void chaCha20Poly1305Rfc7634AndRfc8439(Map<String, Object> v) {
    for (Backend b : JavaBackends.ALL) {
      Aead aead = provider(b).aead(
          Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305), Secret.of(hex(v, "key")));
      check(aead, hex(v, "nonce"), hex(v, "aad"), hex(v, "plaintext"),
          concat(hex(v, "ciphertext"), hex(v, "tag")));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void wycheproofAesGcm(Backend backend) {
    int run = 0;
    for (Map<String, Object> t : Vectors.wycheproof("aes_gcm_test.json")) {
      int tag = integer(t, "tagSize") / 8;
      byte[] key = hex(t, "key");
      byte[] iv = hex(t, "iv");
      // IPsec uses 8-, 12- and 16-octet tags and keys of 128/192/256 bits only.
      if ((tag != 8 && tag != 12 && tag != 16) || (key.length != 16 && key.length != 24
          && key.length != 32)) {
        continue;
      }
      wycheproofCase(() -> provider(backend).aead(gcm(tag, key.length), Secret.of(key)), t, iv);
      run++;
    }
    assertTrue(run > 250, "ran " + run);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void wycheproofChaCha20Poly1305(Backend backend) {
    int run = 0;
    for (Map<String, Object> t : Vectors.wycheproof("chacha20_poly1305_test.json")) {
      wycheproofCase(() -> provider(backend).aead(
          Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305), Secret.of(hex(t, "key"))),
          t, hex(t, "iv"));
      run++;
    }
    assertEquals(325, run);
  }

  /**
   * Valid cases must open to the message (and seal to the ciphertext where the nonce is usable);
   * invalid ones must not open. Never an exception on open. A fresh instance seals, since both
   * libraries refuse to encrypt under the key and nonce they were last initialised with.
   */
  private static void wycheproofCase(Supplier<Aead> aeads, Map<String, Object> t, byte[] iv) {
    Aead aead = aeads.get();
    String id = "tcId " + t.get("tcId") + " " + t.get("comment");
    byte[] aad = hex(t, "aad");
    byte[] msg = hex(t, "msg");
    byte[] body = concat(hex(t, "ct"), hex(t, "tag"));
    boolean valid = "valid".equals(t.get("result"));
    byte[] buf = body.clone();
    int opened = aead.open(iv, aad, buf, 0, buf.length);
    if (valid) {
      assertEquals(msg.length, opened, id);
      assertArrayEquals(msg, Arrays.copyOf(buf, msg.length), id);
      byte[] sealed = Arrays.copyOf(msg, msg.length + aead.tagLength());
      aeads.get().seal(iv, aad, sealed, 0, msg.length);
      assertArrayEquals(body, sealed, id);
    } else {
      assertEquals(-1, opened, id);
    }
  }

  @Test
  void gcmWithEightOctetTagIsThePrefixOfTheFullTag() {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    byte[] nonce = new byte[12];
    byte[] msg = "truncated GCM tags are prefixes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Aead full = provider(Backend.JCE).aead(gcm(16, 16), Secret.of(key));
    Aead eight = provider(Backend.JCE).aead(gcm(8, 16), Secret.of(key));
    byte[] a = Arrays.copyOf(msg, msg.length + 16);
    full.seal(nonce, new byte[0], a, 0, msg.length);
    byte[] b = Arrays.copyOf(msg, msg.length + 8);
    eight.seal(nonce, new byte[0], b, 0, msg.length);
    assertArrayEquals(Arrays.copyOf(a, msg.length + 8), b);
  }
}
