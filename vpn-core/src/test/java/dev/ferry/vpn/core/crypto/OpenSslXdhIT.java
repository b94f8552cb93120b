package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.vpn.core.crypto.KeyExchangeException.Reason;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.Transform;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * X25519 and X448 through OpenSSL against every XDH vector the unit tests use (RFC 7748 sections
 * 5.2 and 6.1, the RFC 8031 IKEv2 vectors, Wycheproof x25519 including every all-zero result),
 * the RFC 7748 X448 vectors (whose public values check the key pair handed to OpenSSL), and
 * Bouncy Castle on random private octets and peer values. An IT because the OpenSSL
 * binding lives in the jar's {@code META-INF/versions/22}, which only the packaged jar shows.
 *
 * <p>In CI (environment variable {@code CI} set) OpenSSL must be usable, as in {@link
 * OpenSslEcdhIT}: the Curve25519 handshake's speed depends on it.
 */
class OpenSslXdhIT {
  private static final KeyExchangeVectorTest VECTORS = new KeyExchangeVectorTest();
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void openSslIsUsable() {
    OpenSslRequirement.usableInCiElseSkipped();
  }

  @Test
  void theMeasuredChoiceForXdhIsOpenSsl() {
    assertEquals(Backend.OPENSSL, CryptoProvider.Choices.MEASURED.xdh());
  }

  @Test
  void rfc7748AndRfc8031X25519() throws KeyExchangeException {
    VECTORS.rfc7748ScalarMultAndRfc8031(Backend.OPENSSL);
  }

  @Test
  void wycheproofX25519WithEveryAllZeroResultRefusedAsLowOrder() {
    VECTORS.wycheproofX25519RefusesEveryAllZeroResult(Backend.OPENSSL);
  }

  @Test
  void x448AgreesBothWaysWithTheJdkAndRefusesTheZeroPoint() throws KeyExchangeException {
    VECTORS.x448AgreesBothWaysAndAcrossBackends(Backend.OPENSSL);
  }

  /** RFC 7748 section 5.2, first X448 vector, on OpenSSL and (checking the transcription) BC. */
  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"OPENSSL", "BOUNCY_CASTLE"})
  void rfc7748X448ScalarMultiplication(Backend backend) throws KeyExchangeException {
    XdhKeyExchange k = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, backend, hex(
        "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121"
            + "700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3"));
    assertArrayEquals(hex("ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239f"
            + "e14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f"),
        KeyExchangeVectorTest.shared(k, hex(
            "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9"
                + "814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086")));
  }

  /** RFC 7748 section 5.2, the iterated X448 test after 1 and 1,000 rounds. */
  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"OPENSSL", "BOUNCY_CASTLE"})
  void rfc7748X448Iterated(Backend backend) throws KeyExchangeException {
    byte[] k = new byte[56];
    k[0] = 5; // RFC 7748 section 4.2: u = 5
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = KeyExchangeVectorTest.shared(
          new XdhKeyExchange(KeyExchangeMethod.CURVE_448, backend, k), u);
      u = k;
      k = next;
      if (i == 1) {
        assertArrayEquals(hex("3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a"
            + "4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"), k);
      }
    }
    assertArrayEquals(hex("aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4"
        + "af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"), k);
  }

  /** RFC 7748 section 6.2: Alice's and Bob's X448 public values and their shared secret. */
  @Test
  void rfc7748X448DiffieHellman() throws KeyExchangeException {
    XdhKeyExchange alice = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, Backend.OPENSSL, hex(
        "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
            + "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
    XdhKeyExchange bob = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, Backend.OPENSSL, hex(
        "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
            + "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"));
    assertArrayEquals(hex("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
        + "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"), alice.publicValue());
    assertArrayEquals(hex("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
        + "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"), bob.publicValue());
    byte[] k = hex("07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
        + "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
    assertArrayEquals(k, KeyExchangeVectorTest.shared(alice, bob.publicValue()));
    assertArrayEquals(k, KeyExchangeVectorTest.shared(bob, alice.publicValue()));
  }

  /**
   * The X448 u-coordinates of small order (0, 1 and p - 1) give the all-zero result, refused with
   * the same reason on both libraries (RFC 7748 section 6.2, RFC 8031 section 2.3); so does the
   * X25519 zero point.
   */
  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"OPENSSL", "BOUNCY_CASTLE"})
  void lowOrderPointsAreRefusedWithTheSameReason(Backend backend) {
    byte[] scalar = new byte[56];
    new Random(448).nextBytes(scalar);
    byte[] one = new byte[56];
    one[0] = 1;
    byte[] pMinusOne = hex("feffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        + "feffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    for (byte[] u : new byte[][] {new byte[56], one, pMinusOne}) {
      XdhKeyExchange kx = new XdhKeyExchange(KeyExchangeMethod.CURVE_448, backend, scalar);
      KeyExchangeException e = assertThrows(KeyExchangeException.class,
          () -> kx.computeSharedSecret(u));
      assertEquals(Reason.LOW_ORDER, e.reason());
    }
    XdhKeyExchange x25519 = new XdhKeyExchange(KeyExchangeMethod.CURVE_25519, backend,
        new byte[32]);
    assertEquals(Reason.LOW_ORDER, assertThrows(KeyExchangeException.class,
        () -> x25519.computeSharedSecret(new byte[32])).reason());
    assertEquals(Reason.WRONG_LENGTH, assertThrows(KeyExchangeException.class,
        () -> x25519.computeSharedSecret(new byte[31])).reason());
  }

  /** The native call itself reports the all-zero result as null, whatever our check does. */
  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"CURVE_25519", "CURVE_448"})
  void theNativeDerivationRefusesTheAllZeroResult(KeyExchangeMethod method) {
    int length = XdhKeyExchange.length(method);
    byte[] scalar = new byte[length];
    scalar[0] = 42;
    byte[] publicValue = new XdhKeyExchange(method, Backend.BOUNCY_CASTLE, scalar).publicValue();
    assertNull(OpenSsl.xdhSharedSecret(method, scalar, publicValue, new byte[length]));
  }

  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"CURVE_25519", "CURVE_448"})
  void agreesWithBouncyCastleOnRandomPrivateOctets(KeyExchangeMethod method)
      throws KeyExchangeException {
    Random random = new Random(method.ordinal());
    int length = XdhKeyExchange.length(method);
    for (int round = 0; round < 50; round++) {
      byte[] a = new byte[length];
      byte[] b = new byte[length];
      random.nextBytes(a);
      random.nextBytes(b);
      if (round == 0) {
        java.util.Arrays.fill(a, (byte) 0xff); // clamping (RFC 7748 section 5) at its extremes
      }
      XdhKeyExchange ours = new XdhKeyExchange(method, Backend.OPENSSL, a);
      XdhKeyExchange reference = new XdhKeyExchange(method, Backend.BOUNCY_CASTLE, a);
      XdhKeyExchange peer = new XdhKeyExchange(method, Backend.BOUNCY_CASTLE, b);
      byte[] u = peer.publicValue();
      if (round % 2 == 1) {
        u = new byte[length];
        random.nextBytes(u); // any u-coordinate, on the curve or its twist
      }
      String what = method + " private " + HEX.formatHex(a) + " peer " + HEX.formatHex(u);
      assertArrayEquals(reference.publicValue(), ours.publicValue(), what);
      assertArrayEquals(KeyExchangeVectorTest.shared(reference, u),
          KeyExchangeVectorTest.shared(ours, u), what);
    }
  }

  /** The private octets come from the injected randomness exactly as on Bouncy Castle. */
  @ParameterizedTest
  @EnumSource(value = KeyExchangeMethod.class, names = {"CURVE_25519", "CURVE_448"})
  void drawsTheSameOctetsFromTheInjectedRandomnessAsBouncyCastle(KeyExchangeMethod method)
      throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      KeyExchange ours = new CryptoProvider(OpenSslRequirement.seeded(seed),
          CryptoProvider.Choices.all(Backend.OPENSSL)).keyExchange(Transform.of(method));
      KeyExchange reference = new CryptoProvider(OpenSslRequirement.seeded(seed),
          CryptoProvider.Choices.all(Backend.BOUNCY_CASTLE)).keyExchange(Transform.of(method));
      assertEquals("XdhKeyExchange[" + method + ", OPENSSL]", ours.toString());
      assertArrayEquals(reference.publicValue(), ours.publicValue());
      KeyExchange peer = new CryptoProvider(OpenSslRequirement.seeded(seed + 100),
          CryptoProvider.Choices.all(Backend.BOUNCY_CASTLE)).keyExchange(Transform.of(method));
      assertArrayEquals(reference.computeSharedSecret(peer.publicValue()).reveal(),
          ours.computeSharedSecret(peer.publicValue()).reveal());
    }
  }

  private static byte[] hex(String text) {
    return HEX.parseHex(text);
  }
}
