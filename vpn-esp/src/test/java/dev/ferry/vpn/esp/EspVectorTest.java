package dev.ferry.vpn.esp;

import static dev.ferry.vpn.esp.JsonVectors.hex;
import static dev.ferry.vpn.esp.JsonVectors.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.crypto.Aead;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.esp.replay.ReplayWindow;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Published ESP packets and AEAD cases, run through the data plane's own layout code. */
class EspVectorTest {
  private static final CryptoProvider CRYPTO = EspFixtures.crypto(3);
  private static final SelectorSet ANYWHERE = new SelectorSet(
      List.of(TrafficSelector.of(IpPrefix.parse("0.0.0.0/0"))));

  /** Hands out fixed bytes as "random": the vector's IV. */
  private static SecureRandom fixed(byte[] bytes) {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] out) {
        System.arraycopy(bytes, 0, out, 0, out.length);
      }
    };
  }

  /** An SA pair to hang directional halves with vector ciphers on (counters, lifetimes). */
  private static EspSa host() {
    return EspFixtures.pair("aes128-sha1", false).ours();
  }

  static Stream<Map<String, Object>> rfc3602Packets() {
    return JsonVectors.vectors("rfc3602-aes-cbc-esp.json").stream().filter(v -> v.containsKey("esp_packet"));
  }

  @ParameterizedTest
  @MethodSource("rfc3602Packets")
  void rfc3602PacketsEncryptToTheExactBytes(Map<String, Object> v) {
    byte[] payload = hex(v, "payload");
    byte[] iv = hex(v, "iv");
    int spi = WireBytes.getInt(hex(v, "spi"), 0);
    long seq = ((Number) v.get("seq")).longValue();
    EspSa host = host();
    OutboundSa out = new OutboundSa(host, spi,
        () -> new CbcEspCipher(CRYPTO.encryptor(Transform.of(EncryptionAlgorithm.AES_CBC, 128),
            Secret.of(hex(v, "key"))), null, fixed(iv), false),
        new EspStats(), false, seq - 1);
    byte[] buf = EspFixtures.framed(payload, 0);
    int length = out.seal(buf, OutboundSa.MAX_HEADROOM, payload.length, 0, integer(v, "next_header"));
    int esp = OutboundSa.MAX_HEADROOM - out.headroom();
    assertArrayEquals(hex(v, "esp_packet"), Arrays.copyOfRange(buf, esp, esp + length));
  }

  @ParameterizedTest
  @MethodSource("rfc3602Packets")
  void rfc3602PacketsDecryptToTheExactPayload(Map<String, Object> v) {
    byte[] packet = hex(v, "esp_packet");
    int spi = WireBytes.getInt(packet, 0);
    InboundSa in = new InboundSa(host(), spi,
        new CbcEspCipher(CRYPTO.encryptor(Transform.of(EncryptionAlgorithm.AES_CBC, 128),
            Secret.of(hex(v, "key"))), null, fixed(new byte[16]), false),
        new EspStats(), new ReplayWindow(64, false), ANYWHERE, ANYWHERE);
    InnerPacket inner = new InnerPacket();
    int nextHeader = integer(v, "next_header");
    // Cases 5 and 6 are transport mode (ICMP inside): only the mode-independent steps apply.
    EspVerdict verdict = nextHeader == 4
        ? in.unprotect(packet, 0, packet.length, inner)
        : in.open(packet, 0, packet.length, inner);
    assertEquals(EspVerdict.ACCEPTED, verdict);
    assertEquals(nextHeader, inner.nextHeader());
    assertArrayEquals(hex(v, "payload"),
        Arrays.copyOfRange(packet, inner.offset(), inner.offset() + inner.length()));
  }

  private static Map<String, Object> rfc7634Esp() {
    return JsonVectors.vectors("rfc7634-chacha20poly1305-esp-ikev2.json").get(0);
  }

  /**
   * The AEAD under test: the crypto provider's measured choice here (JCE or Bouncy Castle from
   * vpn-core's classes directory, OpenSSL from its multi-release jar on JDK 22+), OpenSSL's forced
   * in {@code OpenSslAeadIT}, which runs every case of this class against the jars.
   */
  Aead aead(Transform encryption, byte[] key) {
    return CRYPTO.aead(encryption, Secret.of(key));
  }

  private AeadEspCipher chacha(Map<String, Object> v) {
    return new AeadEspCipher(
        aead(Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305), hex(v, "key")),
        hex(v, "salt"), false);
  }

  @Test
  void rfc7634EspExampleEncryptsToTheExactPacket() {
    Map<String, Object> v = rfc7634Esp();
    byte[] expected = hex(v, "esp_packet");
    byte[] plaintext = hex(v, "plaintext");
    byte[] buf = new byte[expected.length];
    System.arraycopy(expected, 0, buf, 0, 8); // SPI and sequence number
    System.arraycopy(plaintext, 0, buf, 16, plaintext.length);
    long iv = java.nio.ByteBuffer.wrap(hex(v, "iv")).getLong();
    chacha(v).sealWithIv(buf, 0, plaintext.length, integer(v, "seq"), iv);
    assertArrayEquals(expected, buf);
  }

  @Test
  void rfc7634EspExampleDecryptsToTheInnerPacket() {
    Map<String, Object> v = rfc7634Esp();
    byte[] packet = hex(v, "esp_packet");
    InboundSa in = new InboundSa(host(), WireBytes.getInt(packet, 0), chacha(v), new EspStats(),
        new ReplayWindow(64, false), ANYWHERE, ANYWHERE);
    InnerPacket inner = new InnerPacket();
    assertEquals(EspVerdict.ACCEPTED, in.unprotect(packet, 0, packet.length, inner));
    assertArrayEquals(hex(v, "inner_ip_packet"),
        Arrays.copyOfRange(packet, inner.offset(), inner.offset() + inner.length()));
    assertEquals(5, in.highestSequence());
  }

  private AeadEspCipher gcm(byte[] key, byte[] salt, int icvLength) {
    EncryptionAlgorithm algorithm = switch (icvLength) {
      case 8 -> EncryptionAlgorithm.AES_GCM_8;
      case 12 -> EncryptionAlgorithm.AES_GCM_12;
      default -> EncryptionAlgorithm.AES_GCM_16;
    };
    return new AeadEspCipher(aead(Transform.of(algorithm, key.length * 8), key), salt, false);
  }

  static Stream<Map<String, Object>> rfc4106() {
    return JsonVectors.vectors("rfc4106-esp-aes-gcm-strongswan.json").stream();
  }

  @ParameterizedTest
  @MethodSource("rfc4106")
  void rfc4106CasesSealAndOpenWithSaltFromKeymat(Map<String, Object> v) {
    byte[] keymat = hex(v, "keymat");
    // RFC 4106 section 8.1: the salt is the last 4 octets of the key material.
    byte[] key = Arrays.copyOf(keymat, keymat.length - 4);
    byte[] salt = Arrays.copyOfRange(keymat, keymat.length - 4, keymat.length);
    AeadEspCipher cipher = gcm(key, salt, integer(v, "icv_len"));
    byte[] plaintext = hex(v, "plaintext");
    byte[] sealed = Arrays.copyOf(plaintext, plaintext.length + cipher.icvLength());
    int n = cipher.sealDetached(hex(v, "iv"), hex(v, "aad"), sealed, 0, plaintext.length);
    byte[] expected = concat(hex(v, "ciphertext"), hex(v, "icv"));
    assertArrayEquals(expected, Arrays.copyOf(sealed, n));
    assertEquals(plaintext.length,
        cipher.openDetached(hex(v, "iv"), hex(v, "aad"), sealed, 0, n));
    assertArrayEquals(plaintext, Arrays.copyOf(sealed, plaintext.length));
  }

  static Stream<Map<String, Object>> wycheproofAead() {
    return Stream.concat(
        JsonVectors.wycheproof("aes_gcm_test.json").stream()
            .filter(t -> integer(t, "ivSize") == 96 && integer(t, "tagSize") == 128)
            .map(t -> withSuite(t, "gcm")),
        JsonVectors.wycheproof("chacha20_poly1305_test.json").stream()
            .filter(t -> integer(t, "ivSize") == 96)
            .map(t -> withSuite(t, "chacha")));
  }

  private static Map<String, Object> withSuite(Map<String, Object> t, String suite) {
    Map<String, Object> out = new java.util.HashMap<>(t);
    out.put("suite", suite);
    return out;
  }

  @ParameterizedTest
  @MethodSource("wycheproofAead")
  void wycheproofCasesAuthenticateExactlyTheValidOnes(Map<String, Object> t) {
    byte[] nonce = hex(t, "iv");
    byte[] salt = Arrays.copyOf(nonce, 4);
    byte[] iv = Arrays.copyOfRange(nonce, 4, 12);
    byte[] key = hex(t, "key");
    AeadEspCipher cipher = t.get("suite").equals("gcm")
        ? gcm(key, salt, 16)
        : new AeadEspCipher(aead(Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305), key), salt,
            false);
    byte[] sealed = concat(hex(t, "ct"), hex(t, "tag"));
    int n = cipher.openDetached(iv, hex(t, "aad"), sealed, 0, sealed.length);
    if ("invalid".equals(t.get("result"))) {
      assertEquals(-1, n, () -> "tcId " + t.get("tcId") + " " + t.get("comment"));
    } else {
      assertTrue(n >= 0, () -> "tcId " + t.get("tcId") + " " + t.get("comment"));
      assertArrayEquals(hex(t, "msg"), Arrays.copyOf(sealed, n));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
