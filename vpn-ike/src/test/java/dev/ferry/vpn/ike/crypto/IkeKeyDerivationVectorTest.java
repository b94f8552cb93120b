package dev.ferry.vpn.ike.crypto;

import static dev.ferry.vpn.testing.Vectors.hex;
import static dev.ferry.vpn.testing.Vectors.integer;
import static dev.ferry.vpn.testing.Vectors.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.testing.Vectors;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SKEYSEED, SK_*, CHILD SA KEYMAT and rekey SKEYSEED (RFC 7296 sections 2.13, 2.14, 2.17, 2.18)
 * against NIST CAVP/OpenSSL/libreswan chains and the Android IKE library's real exchange.
 */
class IkeKeyDerivationVectorTest {
  private static final CryptoProvider PROVIDER = new CryptoProvider(new SecureRandom());

  static PrfAlgorithm prf(String name) {
    return switch (name) {
      case "sha1" -> PrfAlgorithm.HMAC_SHA1;
      case "sha256" -> PrfAlgorithm.HMAC_SHA2_256;
      case "sha384" -> PrfAlgorithm.HMAC_SHA2_384;
      case "sha512" -> PrfAlgorithm.HMAC_SHA2_512;
      case "aesxcbc" -> PrfAlgorithm.AES128_XCBC;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** A suite with the given PRF; the other transforms do not enter SKEYSEED or prf+. */
  static IkeCryptoSuite suite(PrfAlgorithm prf) {
    return new IkeCryptoSuite(Transform.of(EncryptionAlgorithm.AES_CBC, 128),
        Transform.of(IntegrityAlgorithm.HMAC_SHA1_96), Transform.of(prf),
        Transform.of(KeyExchangeMethod.MODP_2048));
  }

  static long spi(Map<String, Object> v, String field) {
    return ByteBuffer.wrap(hex(v, field)).getLong();
  }

  static Stream<Arguments> cavp() {
    return Vectors.arguments("ikev2-kdf-cavp-sp800-135.json");
  }

  @ParameterizedTest
  @MethodSource("cavp")
  void cavpChains(Map<String, Object> v) {
    IkeCryptoSuite suite = suite(prf(text(v, "prf")));
    Prf prf = suite.prf(PROVIDER);
    int length = integer(v, "dkm_len");
    if (v.containsKey("prf_plus_key")) {
      PrfPlus plus = PrfPlus.of(prf, Secret.of(hex(v, "prf_plus_key")), hex(v, "prf_plus_seed"), length);
      assertArrayEquals(hex(v, "dkm"), plus.next(length).reveal());
      return;
    }
    byte[] ni = hex(v, "ni");
    byte[] nr = hex(v, "nr");
    Secret skeyseed = suite.skeyseed(PROVIDER, ni, nr, Secret.of(hex(v, "g_ir")));
    assertArrayEquals(hex(v, "skeyseed"), skeyseed.reveal());
    byte[] seed = IkeCryptoSuite.concat(ni, nr, hex(v, "spi_i"), hex(v, "spi_r"));
    byte[] dkm = PrfPlus.of(prf, skeyseed, seed, length).next(length).reveal();
    assertArrayEquals(hex(v, "dkm"), dkm);
    Secret skD = Secret.of(java.util.Arrays.copyOf(dkm, prf.preferredKeyLength()));
    if (v.containsKey("sk_d")) {
      assertArrayEquals(hex(v, "sk_d"), skD.reveal());
    }
    if (v.containsKey("dkm_child")) {
      // RFC 7296 section 2.17 without PFS: KEYMAT = prf+(SK_d, Ni | Nr).
      assertArrayEquals(hex(v, "dkm_child"),
          PrfPlus.of(prf, skD, IkeCryptoSuite.concat(ni, nr), length).next(length).reveal());
    }
    if (v.containsKey("dkm_child_dh")) {
      byte[] girNew = hex(v, "g_ir_new");
      assertArrayEquals(hex(v, "dkm_child_dh"), PrfPlus.of(prf, skD,
          IkeCryptoSuite.concat(girNew, ni, nr), length).next(length).reveal());
      assertArrayEquals(hex(v, "skeyseed_rekey"),
          suite.rekeySkeyseed(PROVIDER, skD, Secret.of(girNew), ni, nr).reveal());
    }
  }

  static Stream<Arguments> android() {
    return Vectors.arguments("android-ike-keys-and-messages.json");
  }

  @ParameterizedTest
  @MethodSource("android")
  void androidKeys(Map<String, Object> v) {
    switch (text(v, "kind")) {
      case "ike_sa_keys" -> androidIkeSaKeys(v);
      case "child_sa_keys" -> androidChildKeys(v);
      case "prf" -> assertArrayEquals(hex(v, "out"),
          PROVIDER.prf(Transform.of(prf(text(v, "prf")))).compute(hex(v, "key"), hex(v, "data")));
      case "skeyseed" -> assertArrayEquals(hex(v, "skeyseed"), suite(prf(text(v, "prf")))
          .skeyseed(PROVIDER, hex(v, "ni"), hex(v, "nr"), Secret.of(hex(v, "g_ir"))).reveal());
      case "rekey_skeyseed" -> assertArrayEquals(hex(v, "skeyseed"), suite(prf(text(v, "prf")))
          .rekeySkeyseed(PROVIDER, Secret.of(hex(v, "sk_d_old")), Secret.of(hex(v, "g_ir_new")),
              hex(v, "ni"), hex(v, "nr")).reveal());
      default -> {
        // Message vectors: SkProtectorVectorTest.
      }
    }
  }

  private static void androidIkeSaKeys(Map<String, Object> v) {
    // Proposal: AES-CBC-128, HMAC-SHA1-96, PRF-HMAC-SHA1 (group 2 does not enter the keys).
    IkeCryptoSuite suite = IkeCryptoSuite.of(Proposal.parse("aes128-sha1-prfsha1-modp2048", Protocol.IKE));
    IkeKeys keys = suite.deriveKeys(PROVIDER, hex(v, "ni"), hex(v, "nr"),
        Secret.of(hex(v, "g_ir")), spi(v, "spi_i"), spi(v, "spi_r"));
    assertArrayEquals(hex(v, "skeyseed"),
        suite.skeyseed(PROVIDER, hex(v, "ni"), hex(v, "nr"), Secret.of(hex(v, "g_ir"))).reveal());
    List<Secret> got = List.of(keys.skD(), keys.skAi(), keys.skAr(), keys.skEi(), keys.skEr(),
        keys.skPi(), keys.skPr());
    String[] names = {"sk_d", "sk_ai", "sk_ar", "sk_ei", "sk_er", "sk_pi", "sk_pr"};
    for (int i = 0; i < names.length; i++) {
      assertArrayEquals(hex(v, names[i]), got.get(i).reveal(), names[i]);
    }
  }

  private static void androidChildKeys(Map<String, Object> v) {
    IkeCryptoSuite suite = suite(PrfAlgorithm.HMAC_SHA1);
    ChildKeyMaterial keys = suite.childSaKeys(PROVIDER, Secret.of(hex(v, "sk_d")), Optional.empty(),
        hex(v, "ni"), hex(v, "nr"), Proposal.parse("aes128-sha1", Protocol.ESP));
    assertArrayEquals(hex(v, "encr_i"), keys.initiatorToResponder().encryptionKey().reveal());
    assertArrayEquals(hex(v, "auth_i"), keys.initiatorToResponder().integrityKey().reveal());
    assertArrayEquals(hex(v, "encr_r"), keys.responderToInitiator().encryptionKey().reveal());
    assertArrayEquals(hex(v, "auth_r"), keys.responderToInitiator().integrityKey().reveal());
    assertEquals(0, keys.initiatorToResponder().salt().length());
  }
}
