package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.testing.Vectors;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ECDH on P-256/384/521 through OpenSSL against every ECDH vector the unit tests use (RFC 5903,
 * RFC 5114, Wycheproof including the invalid points, our RFC 6989 refusals) and against Bouncy
 * Castle on random scalars. An IT because the OpenSSL binding lives in the jar's {@code
 * META-INF/versions/22}, which only the packaged jar shows.
 *
 * <p>In CI (environment variable {@code CI} set) OpenSSL must be usable: the IKE handshake's
 * speed on ECP groups depends on it, so silently falling back would hide a regression. Elsewhere a
 * machine without libcrypto skips with the reason.
 */
class OpenSslEcdhIT {
  private static final KeyExchangeVectorTest VECTORS = new KeyExchangeVectorTest();

  @BeforeAll
  static void openSslIsUsable() {
    OpenSslRequirement.usableInCiElseSkipped();
  }

  @Test
  void theMeasuredChoiceIsOpenSslAndSaysWhichLibrary() {
    assertEquals(Backend.OPENSSL, CryptoProvider.Choices.MEASURED.ecp());
    assertTrue(OpenSsl.describe().matches("OpenSSL \\S+.* through FFM \\(libcrypto\\.so\\..*\\)"),
        OpenSsl.describe());
  }

  static Stream<Arguments> rfc5903() {
    return Vectors.arguments("rfc5903-ecp-dh-groups-19-21.json");
  }

  @ParameterizedTest
  @MethodSource("rfc5903")
  void rfc5903Ecp(Map<String, Object> v) throws KeyExchangeException {
    KeyExchangeVectorTest.rfc5903Ecp(v, Backend.OPENSSL);
  }

  @Test
  void rfc5114Ecp() throws KeyExchangeException {
    VECTORS.rfc5114EcpVectorsForTheGroupsWeRun(Backend.OPENSSL);
  }

  @Test
  void refusesPointsOffTheCurveAndOutOfRangeWithTheSameReasons() {
    VECTORS.ecpRefusesPointsOffTheCurveAndOutOfRange(Backend.OPENSSL);
  }

  @ParameterizedTest
  @CsvSource({"ecdh_secp256r1_test.json, ECP_256", "ecdh_secp384r1_test.json, ECP_384",
      "ecdh_secp521r1_test.json, ECP_521"})
  void wycheproofEcdh(String file, KeyExchangeMethod method) throws Exception {
    VECTORS.wycheproofEcdh(file, method, Backend.OPENSSL);
  }

  /** OpenSSL's own decoding refuses what our checks refuse, should they ever be bypassed. */
  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"ECP_256", "ECP_384", "ECP_521"})
  void theNativeDecodingRefusesPointsOffTheCurve(KeyExchangeMethod method) {
    EcpKeyExchange peer = EcpKeyExchange.withPrivate(method, Backend.BOUNCY_CASTLE,
        BigInteger.valueOf(7));
    byte[] offCurve = peer.publicValue();
    offCurve[offCurve.length - 1] ^= 1;
    byte[] scalar = new byte[offCurve.length / 2];
    scalar[scalar.length - 1] = 3;
    assertNull(OpenSsl.ecdhSharedSecret(method, scalar, offCurve));
    assertNull(OpenSsl.ecdhSharedSecret(method, scalar, new byte[offCurve.length]));
  }

  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"ECP_256", "ECP_384", "ECP_521"})
  void agreesWithBouncyCastleOnRandomAndEdgeScalars(KeyExchangeMethod method)
      throws KeyExchangeException {
    BigInteger n = EcpKeyExchange.parameters(method).getOrder();
    Random random = new Random(method.ordinal());
    for (int round = 0; round < 40; round++) {
      BigInteger a = scalar(round, n, random);
      BigInteger b = new BigInteger(n.bitLength() + 64, random).mod(n.subtract(BigInteger.ONE))
          .add(BigInteger.ONE);
      EcpKeyExchange ours = EcpKeyExchange.withPrivate(method, Backend.OPENSSL, a);
      EcpKeyExchange reference = EcpKeyExchange.withPrivate(method, Backend.BOUNCY_CASTLE, a);
      EcpKeyExchange peer = EcpKeyExchange.withPrivate(method, Backend.BOUNCY_CASTLE, b);
      String what = method + " scalar " + a.toString(16);
      assertArrayEquals(reference.publicValue(), ours.publicValue(), what);
      assertArrayEquals(reference.computeSharedSecret(peer.publicValue()).reveal(),
          ours.computeSharedSecret(peer.publicValue()).reveal(), what);
    }
  }

  /** The ends of [1, n-1] first, then uniform scalars. */
  private static BigInteger scalar(int round, BigInteger n, Random random) {
    return switch (round) {
      case 0 -> BigInteger.ONE;
      case 1 -> BigInteger.TWO;
      case 2 -> n.subtract(BigInteger.ONE);
      case 3 -> n.subtract(BigInteger.TWO);
      default -> new BigInteger(n.bitLength() + 64, random).mod(n.subtract(BigInteger.ONE))
          .add(BigInteger.ONE);
    };
  }

  /** The private scalar comes from the injected randomness exactly as on Bouncy Castle. */
  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"ECP_256", "ECP_384", "ECP_521"})
  void drawsTheSameScalarFromTheInjectedRandomnessAsBouncyCastle(KeyExchangeMethod method)
      throws Exception {
    KeyExchange ours = new CryptoProvider(OpenSslRequirement.seeded(5),
        CryptoProvider.Choices.all(Backend.OPENSSL))
        .keyExchange(Transform.of(method));
    KeyExchange reference = new CryptoProvider(OpenSslRequirement.seeded(5),
        CryptoProvider.Choices.all(Backend.BOUNCY_CASTLE)).keyExchange(Transform.of(method));
    assertEquals("EcpKeyExchange[" + method + ", OPENSSL]", ours.toString());
    assertArrayEquals(reference.publicValue(), ours.publicValue());
    KeyExchange peer = new CryptoProvider(OpenSslRequirement.seeded(6))
        .keyExchange(Transform.of(method));
    assertArrayEquals(reference.computeSharedSecret(peer.publicValue()).reveal(),
        ours.computeSharedSecret(peer.publicValue()).reveal());
  }
}
