package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.testing.Vectors;
import static dev.ferry.vpn.testing.Vectors.hex;
import static dev.ferry.vpn.testing.Vectors.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.vpn.core.crypto.KeyExchangeException.Reason;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** MODP, ECP and Curve25519 key exchanges against the vectors, valid and invalid peer values. */
class KeyExchangeVectorTest {

  static byte[] shared(KeyExchange kx, byte[] peer) throws KeyExchangeException {
    return kx.computeSharedSecret(peer).reveal();
  }

  static Stream<Arguments> modp() {
    return Vectors.arguments("strongswan-modp-dh-generated.json");
  }

  @ParameterizedTest
  @MethodSource("modp")
  void modpGroups(Map<String, Object> v) throws KeyExchangeException {
    Optional<ModpGroup> group = KeyExchangeMethod.fromTransformId(integer(v, "ikev2_group"))
        .flatMap(ModpGroup::of);
    // Group 1 (768-bit) is refused by RFC 8247, so Ferry carries no parameters for it.
    assumeTrue(group.isPresent() || integer(v, "ikev2_group") == 1);
    if (group.isEmpty()) {
      return;
    }
    ModpKeyExchange kx = new ModpKeyExchange(group.get(), new BigInteger(1, hex(v, "priv_i")));
    assertArrayEquals(hex(v, "pub_i"), kx.publicValue());
    assertArrayEquals(hex(v, "shared"), shared(kx, hex(v, "pub_r")));
  }

  @Test
  void modpParametersMatchTheRfcFile() {
    int seen = 0;
    for (Map<String, Object> v : Vectors.vectors("modp-groups-rfc2409-rfc3526-rfc5114.json")) {
      Optional<ModpGroup> group = KeyExchangeMethod.fromTransformId(integer(v, "ikev2_group"))
          .flatMap(ModpGroup::of);
      if (group.isPresent()) {
        assertEquals(new BigInteger(1, hex(v, "prime")), group.get().prime());
        assertEquals(integer(v, "bits"), group.get().prime().bitLength());
        seen++;
      }
    }
    assertEquals(ModpGroup.values().length, seen);
  }

  @ParameterizedTest
  @EnumSource(ModpGroup.class)
  void modpRefusesTheRfc6989Values(ModpGroup group) {
    ModpKeyExchange kx = ModpKeyExchange.generate(group, new java.security.SecureRandom());
    BigInteger p = group.prime();
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE,
        p.subtract(BigInteger.ONE), p, p.add(BigInteger.ONE)}) {
      byte[] value = ModpKeyExchange.pad(bad, group.octets());
      KeyExchangeException e = assertThrows(KeyExchangeException.class, () -> kx.computeSharedSecret(value));
      assertEquals(Reason.OUT_OF_RANGE, e.reason());
    }
    assertEquals(Reason.WRONG_LENGTH, assertThrows(KeyExchangeException.class,
        () -> kx.computeSharedSecret(new byte[group.octets() - 1])).reason());
  }

  static Stream<Arguments> rfc5903() {
    return Vectors.arguments("rfc5903-ecp-dh-groups-19-21.json");
  }

  @ParameterizedTest
  @MethodSource("rfc5903")
  void rfc5903Ecp(Map<String, Object> v) throws KeyExchangeException {
    for (Backend b : JavaBackends.ALL) {
      rfc5903Ecp(v, b);
    }
  }

  static void rfc5903Ecp(Map<String, Object> v, Backend b) throws KeyExchangeException {
    KeyExchangeMethod method = KeyExchangeMethod.fromTransformId(integer(v, "group")).orElseThrow();
    EcpKeyExchange i = EcpKeyExchange.withPrivate(method, b, new BigInteger(1, hex(v, "i")));
    EcpKeyExchange r = EcpKeyExchange.withPrivate(method, b, new BigInteger(1, hex(v, "r")));
    assertArrayEquals(hex(v, "ke_data_i"), i.publicValue());
    assertArrayEquals(hex(v, "ke_data_r"), r.publicValue());
    assertArrayEquals(hex(v, "shared_secret"), shared(i, r.publicValue()));
    assertArrayEquals(hex(v, "shared_secret"), shared(r, i.publicValue()));
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void rfc5114EcpVectorsForTheGroupsWeRun(Backend b) throws KeyExchangeException {
    int run = 0;
    for (Map<String, Object> v : Vectors.vectors("rfc5114-dh-test-vectors.json")) {
      Optional<KeyExchangeMethod> m = KeyExchangeMethod.fromTransformId(integer(v, "ikev2_group"));
      if (m.isEmpty() || !Arrays.asList(KeyExchangeMethod.ECP_256, KeyExchangeMethod.ECP_384,
          KeyExchangeMethod.ECP_521).contains(m.get())) {
        continue; // groups 22-26 are refused (RFC 8247) and not implemented
      }
      EcpKeyExchange i = EcpKeyExchange.withPrivate(m.get(), b, new BigInteger(1, hex(v, "priv_i")));
      assertArrayEquals(hex(v, "pub_i"), i.publicValue());
      assertArrayEquals(hex(v, "shared"), shared(i, hex(v, "pub_r")));
      run++;
    }
    assertEquals(3, run);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void ecpRefusesPointsOffTheCurveAndOutOfRange(Backend b) {
    KeyExchange kx = new CryptoProvider(new java.security.SecureRandom(), CryptoProvider.Choices.all(b))
        .keyExchange(dev.ferry.vpn.core.proposal.Transform.of(KeyExchangeMethod.ECP_256));
    byte[] good = kx.publicValue();
    byte[] offCurve = good.clone();
    offCurve[63] ^= 1;
    assertEquals(Reason.NOT_ON_CURVE,
        assertThrows(KeyExchangeException.class, () -> kx.computeSharedSecret(offCurve)).reason());
    byte[] big = new byte[64];
    Arrays.fill(big, (byte) 0xff);
    assertEquals(Reason.OUT_OF_RANGE,
        assertThrows(KeyExchangeException.class, () -> kx.computeSharedSecret(big)).reason());
    assertEquals(Reason.NOT_ON_CURVE,
        assertThrows(KeyExchangeException.class, () -> kx.computeSharedSecret(new byte[64])).reason());
    assertEquals(Reason.WRONG_LENGTH,
        assertThrows(KeyExchangeException.class, () -> kx.computeSharedSecret(new byte[65])).reason());
  }

  /**
   * Wycheproof ECDH. Every case runs on Bouncy Castle; SunEC (about ten times slower per
   * agreement on this machine) runs every case of P-256 and the valid and invalid cases of P-384
   * and P-521, skipping only the "acceptable" encodings there.
   */
  @ParameterizedTest
  @CsvSource({"ecdh_secp256r1_test.json, ECP_256, BOUNCY_CASTLE",
      "ecdh_secp384r1_test.json, ECP_384, BOUNCY_CASTLE",
      "ecdh_secp521r1_test.json, ECP_521, BOUNCY_CASTLE",
      "ecdh_secp256r1_test.json, ECP_256, JCE", "ecdh_secp384r1_test.json, ECP_384, JCE",
      "ecdh_secp521r1_test.json, ECP_521, JCE"})
  void wycheproofEcdh(String file, KeyExchangeMethod method, Backend b) throws Exception {
    ECParameterSpec named = EcpKeyExchange.parameters(method);
    int octets = (named.getCurve().getField().getFieldSize() + 7) / 8;
    int accepted = 0;
    int refused = 0;
    for (Map<String, Object> t : Vectors.wycheproof(file)) {
      String id = "tcId " + t.get("tcId") + " " + t.get("comment");
      String result = String.valueOf(t.get("result"));
      if (b == Backend.JCE && method != KeyExchangeMethod.ECP_256 && "acceptable".equals(result)) {
        continue;
      }
      byte[] peer = rawPoint(hex(t, "public"), named, octets);
      if (peer == null) {
        // Not a point of this curve in any encoding a KE payload can carry.
        assertTrue(!"valid".equals(result), id);
        refused++;
        continue;
      }
      EcpKeyExchange kx = EcpKeyExchange.withPrivate(method, b, new BigInteger(1, hex(t, "private")));
      try {
        byte[] shared = shared(kx, peer);
        assertTrue(!"invalid".equals(result), id + " accepted");
        assertArrayEquals(hex(t, "shared"), shared, id);
        accepted++;
      } catch (KeyExchangeException e) {
        assertTrue(!"valid".equals(result), id + " refused: " + e.getMessage());
        refused++;
      }
    }
    assertTrue(accepted > 100 && refused > 20, accepted + " accepted, " + refused + " refused");
  }

  /** x || y of the SubjectPublicKeyInfo's point when it names this exact curve, else null. */
  private static byte[] rawPoint(byte[] spki, ECParameterSpec named, int octets) {
    try {
      ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(spki));
      ECParameterSpec p = key.getParams();
      boolean same = p.getCurve().equals(named.getCurve()) && p.getGenerator().equals(named.getGenerator())
          && p.getOrder().equals(named.getOrder()) && p.getCofactor() == named.getCofactor();
      if (!same) {
        return null;
      }
      byte[] x = ModpKeyExchange.pad(key.getW().getAffineX(), octets);
      byte[] y = ModpKeyExchange.pad(key.getW().getAffineY(), octets);
      byte[] out = Arrays.copyOf(x, 2 * octets);
      System.arraycopy(y, 0, out, octets, octets);
      // Coordinates that do not fit the field size cannot be encoded in a KE payload either.
      return key.getW().getAffineX().bitLength() > 8 * octets
          || key.getW().getAffineY().bitLength() > 8 * octets ? null : out;
    } catch (Exception e) {
      return null;
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void rfc7748ScalarMultAndRfc8031(Backend backend) throws KeyExchangeException {
    for (Map<String, Object> v : Vectors.vectors("rfc7748-rfc8031-x25519.json")) {
      switch (String.valueOf(v.get("kind"))) {
        case "scalar_mult" -> assertArrayEquals(hex(v, "out"),
            shared(new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend, hex(v, "scalar")),
                hex(v, "u")));
        case "iterated" -> {
          int n = integer(v, "iterations");
          if (n > 1000) {
            continue; // the 1,000,000-iteration case takes minutes; 1 and 1000 cover the loop
          }
          byte[] k = hex(v, "start");
          byte[] u = k.clone();
          for (int i = 0; i < n; i++) {
            byte[] next = shared(new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend, k), u);
            u = k;
            k = next;
          }
          assertArrayEquals(hex(v, "out"), k);
        }
        default -> {
          XdhKeyExchange i = new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend, hex(v, "priv_i"));
          XdhKeyExchange r = new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend, hex(v, "priv_r"));
          assertArrayEquals(hex(v, "pub_i"), i.publicValue());
          assertArrayEquals(hex(v, "pub_r"), r.publicValue());
          assertArrayEquals(hex(v, "shared"), shared(i, r.publicValue()));
          assertArrayEquals(hex(v, "shared"), shared(r, i.publicValue()));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void wycheproofX25519RefusesEveryAllZeroResult(Backend backend) {
    int lowOrder = 0;
    for (Map<String, Object> t : Vectors.wycheproof("x25519_test.json")) {
      String id = "tcId " + t.get("tcId") + " " + t.get("comment");
      byte[] expected = hex(t, "shared");
      XdhKeyExchange kx = new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend, hex(t, "private"));
      boolean allZero = Arrays.equals(expected, new byte[32]);
      try {
        byte[] shared = shared(kx, hex(t, "public"));
        assertTrue(!allZero, id + ": all-zero shared secret accepted");
        assertArrayEquals(expected, shared, id);
      } catch (KeyExchangeException e) {
        // RFC 7748 section 6.1: only the all-zero result may be refused.
        assertTrue(allZero, id + " refused: " + e.getMessage());
        assertEquals(Reason.LOW_ORDER, e.reason());
        lowOrder++;
      }
    }
    assertTrue(lowOrder > 10, "low-order cases " + lowOrder);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"JCE", "BOUNCY_CASTLE"})
  void x448AgreesBothWaysAndAcrossBackends(Backend backend) throws KeyExchangeException {
    java.security.SecureRandom random = new java.security.SecureRandom();
    byte[] a = new byte[56];
    byte[] b = new byte[56];
    random.nextBytes(a);
    random.nextBytes(b);
    XdhKeyExchange i = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, backend, a);
    Backend other = backend == Backend.JCE ? Backend.BOUNCY_CASTLE : Backend.JCE;
    XdhKeyExchange r = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, other, b);
    assertArrayEquals(shared(i, r.publicValue()), shared(r, i.publicValue()));
    assertEquals(Reason.LOW_ORDER, assertThrows(KeyExchangeException.class,
        () -> i.computeSharedSecret(new byte[56])).reason());
  }
}
