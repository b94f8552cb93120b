package dev.ferry.vpn.core.crypto;

import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.LOW_ORDER;
import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.WRONG_LENGTH;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X448;

/**
 * Curve25519 and Curve448 (RFC 7748, in IKEv2 RFC 8031): public values and g^ir are the raw
 * little-endian u-coordinates (32 or 56 octets). RFC 7748 section 6 and RFC 8031 section 2.3:
 * an all-zero shared secret (a low-order peer point) is refused. Runs on any backend (Bouncy
 * Castle, SunEC, OpenSSL through FFM for the agreement); all take the private scalar as the 32 or
 * 56 random octets RFC 7748 section 5 clamps, so the same octets give the same values on each.
 */
final class XdhKeyExchange implements KeyExchange {
  private final KeyExchangeMethod method;
  private final Backend backend;
  private final byte[] scalar;
  private final byte[] publicValue;

  XdhKeyExchange(KeyExchangeMethod method, Backend backend, byte[] scalar) {
    int length = length(method);
    if (scalar.length != length) {
      throw new IllegalArgumentException(method + " scalar must be " + length + " octets");
    }
    this.method = method;
    this.backend = backend;
    this.scalar = scalar.clone();
    // OpenSSL's agreement also starts from Bouncy Castle's public value: its fixed-base comb is
    // faster than OpenSSL's (41 against 52 µs for X25519, see CryptoProvider.Choices#MEASURED).
    this.publicValue = backend == Backend.JCE ? jceMultiplyBase() : bcMultiplyBase();
    if (publicValue == null) {
      throw new IllegalStateException("scalar multiplication of the base point failed");
    }
  }

  /**
   * The public value with Bouncy Castle's fixed-base multiplication (precomputed tables over the
   * equivalent Edwards curve): about a third of the cost of the generic Montgomery ladder, which
   * made key generation the largest single cost of an IKE handshake (IkeHandshakeBench).
   */
  private byte[] bcMultiplyBase() {
    byte[] out = new byte[scalar.length];
    if (method == KeyExchangeMethod.CURVE_25519) {
      X25519.scalarMultBase(scalar, 0, out, 0);
    } else {
      X448.scalarMultBase(scalar, 0, out, 0);
    }
    return out;
  }

  private byte[] jceMultiplyBase() {
    byte[] base = new byte[scalar.length];
    base[0] = (byte) (method == KeyExchangeMethod.CURVE_25519 ? 9 : 5); // RFC 7748 section 4.
    return multiply(base);
  }

  static int length(KeyExchangeMethod method) {
    return switch (method) {
      case CURVE_25519 -> 32;
      case CURVE_448 -> 56;
      default -> throw new IllegalArgumentException(method + " is not an RFC 7748 curve");
    };
  }

  @Override
  public KeyExchangeMethod method() {
    return method;
  }

  @Override
  public byte[] publicValue() {
    return publicValue.clone();
  }

  @Override
  public Secret computeSharedSecret(byte[] peer) throws KeyExchangeException {
    if (peer.length != scalar.length) {
      throw new KeyExchangeException(method, WRONG_LENGTH,
          peer.length + " octets, expected " + scalar.length);
    }
    byte[] shared = multiply(peer);
    if (shared == null) {
      throw new KeyExchangeException(method, LOW_ORDER,
          "the shared secret is all zeros (RFC 7748 section 6)");
    }
    Secret secret = Secret.of(shared);
    Arrays.fill(shared, (byte) 0);
    return secret;
  }

  /** X25519/X448(scalar, u), or null when the result is all zeros. */
  private byte[] multiply(byte[] u) {
    if (backend == Backend.OPENSSL) {
      byte[] shared = OpenSsl.xdhSharedSecret(method, scalar, publicValue, u);
      // OpenSSL refuses the all-zero result itself (null); the check here keeps the rule ours
      // should a libcrypto build ever return it (RFC 7748 section 6.1, RFC 8031 section 2.3).
      return shared == null || Arrays.equals(shared, new byte[shared.length]) ? null : shared;
    }
    byte[] out = new byte[scalar.length];
    if (backend == Backend.BOUNCY_CASTLE) {
      boolean nonZero = method == KeyExchangeMethod.CURVE_25519
          ? X25519.calculateAgreement(scalar, 0, u, 0, out, 0)
          : X448.calculateAgreement(scalar, 0, u, 0, out, 0);
      return nonZero ? out : null;
    }
    return jceMultiply(u);
  }

  private byte[] jceMultiply(byte[] u) {
    NamedParameterSpec curve =
        method == KeyExchangeMethod.CURVE_25519 ? NamedParameterSpec.X25519 : NamedParameterSpec.X448;
    byte[] littleEndian = u.clone();
    if (method == KeyExchangeMethod.CURVE_25519) {
      littleEndian[littleEndian.length - 1] &= 0x7f; // RFC 7748 section 5: mask the top bit.
    }
    byte[] bigEndian = reverse(littleEndian);
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey key = factory.generatePrivate(new XECPrivateKeySpec(curve, scalar));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(key);
      agreement.doPhase(
          factory.generatePublic(new XECPublicKeySpec(curve, new BigInteger(1, bigEndian))), true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      // SunEC refuses exactly the all-zero result (small-order input) here.
      return null;
    }
  }

  private static byte[] reverse(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "XdhKeyExchange[" + method + ", " + backend + "]";
  }
}
