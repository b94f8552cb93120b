package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.testing.Vectors;
import static dev.ferry.vpn.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AES-CBC (RFC 3602, Wycheproof) without padding: the protocol layers pad. */
class CbcVectorTest {
  private final CryptoProvider provider = new CryptoProvider(new SecureRandom());

  private Encryptor aes(byte[] key) {
    return provider.encryptor(Transform.of(EncryptionAlgorithm.AES_CBC, key.length * 8), Secret.of(key));
  }

  private static void roundTrip(Encryptor cbc, byte[] iv, byte[] plain, byte[] cipher) {
    byte[] buf = plain.clone();
    cbc.encrypt(iv, buf, 0, buf.length);
    assertArrayEquals(cipher, buf);
    assertTrue(cbc.decrypt(iv, buf, 0, buf.length));
    assertArrayEquals(plain, buf);
  }

  static Stream<Arguments> rfc3602() {
    return Vectors.arguments("rfc3602-aes-cbc-esp.json");
  }

  @ParameterizedTest
  @MethodSource("rfc3602")
  void rfc3602(Map<String, Object> v) {
    byte[] plain = hex(v, v.containsKey("plaintext_padded") ? "plaintext_padded" : "plaintext");
    roundTrip(aes(hex(v, "key")), hex(v, "iv"), plain, hex(v, "ciphertext"));
  }

  @Test
  void wycheproofValidCasesAsRawCbcOverPkcs5PaddedMessages() {
    int run = 0;
    for (Map<String, Object> t : Vectors.wycheproof("aes_cbc_pkcs5_test.json")) {
      if (!"valid".equals(t.get("result"))) {
        continue; // invalid cases test PKCS#5 unpadding, which IPsec does not use
      }
      byte[] msg = hex(t, "msg");
      int pad = 16 - msg.length % 16;
      byte[] padded = Arrays.copyOf(msg, msg.length + pad);
      Arrays.fill(padded, msg.length, padded.length, (byte) pad);
      roundTrip(aes(hex(t, "key")), hex(t, "iv"), padded, hex(t, "ct"));
      run++;
    }
    assertTrue(run >= 72, "ran " + run);
  }

  @Test
  void partialBlocksAreRefusedWithoutChangingTheBuffer() {
    Encryptor cbc = aes(new byte[16]);
    byte[] buf = new byte[17];
    buf[3] = 7;
    assertFalse(cbc.decrypt(new byte[16], buf, 0, 17));
    assertFalse(cbc.decrypt(new byte[15], buf, 0, 16));
    assertTrue(buf[3] == 7 && buf[0] == 0);
    assertThrows(IllegalArgumentException.class, () -> cbc.encrypt(new byte[16], buf, 0, 17));
  }

  @Test
  void tripleDesRoundTripsAndDiffersFromPlaintext() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    Encryptor des = provider.encryptor(Transform.of(EncryptionAlgorithm.TRIPLE_DES), Secret.of(key));
    byte[] plain = "sixteen octets!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] buf = plain.clone();
    des.encrypt(new byte[8], buf, 0, 16);
    assertFalse(Arrays.equals(plain, buf));
    assertTrue(des.decrypt(new byte[8], buf, 0, 16));
    assertArrayEquals(plain, buf);
  }
}
