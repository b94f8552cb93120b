package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.testing.Vectors;
import static dev.ferry.vpn.testing.Vectors.hex;
import static dev.ferry.vpn.testing.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** HMAC, AES-XCBC and AES-CMAC as PRF and integrity algorithm against the published vectors. */
class MacVectorTest {

  static CryptoProvider provider(Backend backend) {
    return new CryptoProvider(new SecureRandom(), CryptoProvider.Choices.all(backend));
  }

  static PrfAlgorithm hmac(String alg) {
    return switch (alg) {
      case "sha1" -> PrfAlgorithm.HMAC_SHA1;
      case "sha256" -> PrfAlgorithm.HMAC_SHA2_256;
      case "sha384" -> PrfAlgorithm.HMAC_SHA2_384;
      case "sha512" -> PrfAlgorithm.HMAC_SHA2_512;
      default -> throw new IllegalArgumentException(alg);
    };
  }

  /** The full MAC must start with {@code expected} (the vector may be truncated). */
  static void checkPrefix(Prf prf, byte[] key, byte[] data, byte[] expected) {
    byte[] out = prf.compute(key, data);
    assertArrayEquals(expected, Arrays.copyOf(out, expected.length));
  }

  /** Sign and verify through the integrity interface, data fed in two pieces. */
  static void checkIntegrity(Integrity integrity, byte[] data, byte[] icv) {
    int half = data.length / 2;
    integrity.update(data, 0, half);
    integrity.update(data, half, data.length - half);
    byte[] out = new byte[icv.length];
    integrity.sign(out, 0);
    assertArrayEquals(icv, out);
    integrity.update(data, 0, data.length);
    assertTrue(integrity.verify(icv, 0));
    byte[] wrong = icv.clone();
    wrong[wrong.length - 1] ^= 1;
    integrity.update(data, 0, data.length);
    assertFalse(integrity.verify(wrong, 0));
  }

  static Stream<Arguments> hmacFiles() {
    return Stream.of("rfc2202-rfc2404-hmac-sha1.json", "rfc4231-hmac-sha2.json",
        "rfc4868-hmac-sha2-ipsec.json").flatMap(Vectors::arguments);
  }

  @ParameterizedTest
  @MethodSource("hmacFiles")
  void hmacVectors(Map<String, Object> v) {
    for (Backend b : JavaBackends.ALL) {
      CryptoProvider provider = provider(b);
      Prf prf = provider.prf(Transform.of(hmac(text(v, "alg"))));
      byte[] key = hex(v, "key");
      byte[] data = hex(v, "data");
      byte[] expected = hex(v, v.containsKey("out") ? "out" : v.containsKey("mac") ? "mac" : "icv");
      checkPrefix(prf, key, data, expected);
      if (v.containsKey("out")) {
        assertEquals(prf.outputLength(), expected.length);
      }
      Object transform = v.get("transform");
      if (transform != null && !transform.toString().startsWith("HMAC_SHA1_1")) {
        Transform integ = Transform.of(IntegrityAlgorithm.valueOf(transform.toString()));
        if (CryptoProvider.integrityKeyLength(integ) == key.length) {
          checkIntegrity(provider.integrity(integ, Secret.of(key)), data, expected);
        }
      }
    }
  }

  static Stream<Arguments> aesMacFiles() {
    return Stream.of("rfc3566-rfc4434-aes-xcbc.json", "rfc4493-rfc4494-rfc4615-aes-cmac.json")
        .flatMap(Vectors::arguments);
  }

  @ParameterizedTest
  @MethodSource("aesMacFiles")
  void aesXcbcAndCmacVectors(Map<String, Object> v) {
    boolean xcbc = text(v, "use").contains("XCBC");
    CryptoProvider provider = provider(Backend.BOUNCY_CASTLE);
    Prf prf = provider.prf(Transform.of(xcbc ? PrfAlgorithm.AES128_XCBC : PrfAlgorithm.AES128_CMAC));
    byte[] key = hex(v, "key");
    byte[] data = hex(v, "data");
    if (v.containsKey("out")) {
      // RFC 4434 section 2 / RFC 4615 section 3 key handling for keys that are not 128 bits.
      assertArrayEquals(hex(v, "out"), prf.compute(key, data));
    }
    if (v.containsKey("icv")) {
      Transform integ = Transform.of(
          xcbc ? IntegrityAlgorithm.AES_XCBC_96 : IntegrityAlgorithm.AES_CMAC_96);
      checkIntegrity(provider.integrity(integ, Secret.of(key)), data, hex(v, "icv"));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "hmac_sha256_test.json, sha256, JCE", "hmac_sha256_test.json, sha256, BOUNCY_CASTLE",
    "hmac_sha384_test.json, sha384, JCE", "hmac_sha384_test.json, sha384, BOUNCY_CASTLE",
    "hmac_sha512_test.json, sha512, JCE", "hmac_sha512_test.json, sha512, BOUNCY_CASTLE",
  })
  void wycheproofHmac(String file, String alg, Backend backend) {
    Prf prf = provider(backend).prf(Transform.of(hmac(alg)));
    wycheproofMac(prf, file, false);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void wycheproofAesCmac(Backend backend) {
    Prf prf = provider(backend).prf(Transform.of(PrfAlgorithm.AES128_CMAC));
    // Only 128-bit keys: a CMAC PRF replaces other keys per RFC 4615, raw AES-192/256-CMAC is
    // not an IKE algorithm.
    wycheproofMac(prf, "aes_cmac_test.json", true);
  }

  /** Valid tags equal the (truncated) output; invalid ones differ from it. */
  private static void wycheproofMac(Prf prf, String file, boolean only128BitKeys) {
    int run = 0;
    for (Map<String, Object> t : Vectors.wycheproof(file)) {
      byte[] key = hex(t, "key");
      if (only128BitKeys && key.length != 16) {
        continue;
      }
      byte[] tag = hex(t, "tag");
      byte[] out = prf.compute(key, hex(t, "msg"));
      boolean matches = tag.length > 0 && tag.length <= out.length
          && MessageDigest.isEqual(tag, Arrays.copyOf(out, tag.length));
      assertEquals("valid".equals(t.get("result")), matches, "tcId " + t.get("tcId"));
      run++;
    }
    assertTrue(run > 100, "ran " + run);
  }
}
