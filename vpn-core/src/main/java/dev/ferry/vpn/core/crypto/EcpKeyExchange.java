package dev.ferry.vpn.core.crypto;

import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.NOT_ON_CURVE;
import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.OUT_OF_RANGE;
import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.WRONG_LENGTH;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * ECDH over the NIST prime curves (RFC 5903: groups 19, 20, 21) with SunEC. The KE payload carries
 * {@code x || y}, each padded to the field size, and g^ir is the x coordinate alone (RFC 5903
 * section 7). The peer's point is validated before use (RFC 6989 section 2.3).
 */
final class EcpKeyExchange implements KeyExchange {
  private final KeyExchangeMethod method;
  private final ECParameterSpec curve;
  private final BigInteger p;
  private final int fieldOctets;
  private final PrivateKey privateKey;
  private final byte[] publicValue;

  private EcpKeyExchange(KeyExchangeMethod method, ECParameterSpec curve, PrivateKey privateKey,
      ECPoint publicPoint) {
    this.method = method;
    this.curve = curve;
    this.p = ((ECFieldFp) curve.getCurve().getField()).getP();
    this.fieldOctets = (p.bitLength() + 7) / 8;
    this.privateKey = privateKey;
    this.publicValue = encode(publicPoint);
  }

  static String curveName(KeyExchangeMethod method) {
    return switch (method) {
      case ECP_256 -> "secp256r1";
      case ECP_384 -> "secp384r1";
      case ECP_521 -> "secp521r1";
      default -> throw new IllegalArgumentException(method + " is not an ECP group");
    };
  }

  static ECParameterSpec parameters(KeyExchangeMethod method) {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(curveName(method)));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + curveName(method), e);
    }
  }

  static EcpKeyExchange generate(KeyExchangeMethod method, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curveName(method)), random);
      KeyPair pair = generator.generateKeyPair();
      return new EcpKeyExchange(method, parameters(method), pair.getPrivate(),
          ((ECPublicKey) pair.getPublic()).getW());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + curveName(method) + " keys", e);
    }
  }

  /** A key exchange with a known private scalar and its public point (for known-answer tests). */
  static EcpKeyExchange withPrivate(KeyExchangeMethod method, BigInteger scalar, ECPoint point) {
    ECParameterSpec curve = parameters(method);
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(scalar, curve));
      return new EcpKeyExchange(method, curve, key, point);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("private scalar refused for " + method, e);
    }
  }

  private byte[] encode(ECPoint point) {
    byte[] out = new byte[2 * fieldOctets];
    byte[] x = ModpKeyExchange.pad(point.getAffineX(), fieldOctets);
    byte[] y = ModpKeyExchange.pad(point.getAffineY(), fieldOctets);
    System.arraycopy(x, 0, out, 0, fieldOctets);
    System.arraycopy(y, 0, out, fieldOctets, fieldOctets);
    return out;
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
    if (peer.length != 2 * fieldOctets) {
      throw new KeyExchangeException(method, WRONG_LENGTH,
          peer.length + " octets, expected x || y of " + 2 * fieldOctets);
    }
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(peer, 0, fieldOctets));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(peer, fieldOctets, peer.length));
    // RFC 6989 section 2.3: both coordinates in [0, p-1] and the point on the curve. The point at
    // infinity has no affine encoding; these curves have cofactor 1, so no small subgroup exists.
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      throw new KeyExchangeException(method, OUT_OF_RANGE, "a coordinate is not below p");
    }
    BigInteger a = curve.getCurve().getA();
    BigInteger b = curve.getCurve().getB();
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.multiply(x).add(a).multiply(x).add(b).mod(p);
    if (!left.equals(right)) {
      throw new KeyExchangeException(method, NOT_ON_CURVE, "y^2 != x^3 + ax + b (mod p)");
    }
    try {
      KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
      agreement.init(privateKey);
      agreement.doPhase(
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve)),
          true);
      byte[] shared = agreement.generateSecret();
      Secret secret = Secret.of(shared);
      java.util.Arrays.fill(shared, (byte) 0);
      return secret;
    } catch (GeneralSecurityException e) {
      throw new KeyExchangeException(method, NOT_ON_CURVE, "SunEC refused the point");
    }
  }

  @Override
  public String toString() {
    return "EcpKeyExchange[" + method + "]";
  }
}
