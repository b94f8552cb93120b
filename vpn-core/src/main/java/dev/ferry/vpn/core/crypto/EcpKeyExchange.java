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
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDH over the NIST prime curves (RFC 5903: groups 19, 20, 21) on SunEC, Bouncy Castle or
 * OpenSSL. The KE payload carries {@code x || y}, each padded to the field size, and g^ir is the x
 * coordinate alone (RFC 5903 section 7). The peer's point is validated here, before any library
 * sees it (RFC 6989 section 2.3). On Bouncy Castle and OpenSSL the private scalar is drawn here
 * from the provider's {@link SecureRandom}, uniform in [1, n-1].
 */
final class EcpKeyExchange implements KeyExchange {
  private static final Map<KeyExchangeMethod, ECParameterSpec> JCE_CURVES = new ConcurrentHashMap<>();
  private static final Map<KeyExchangeMethod, ECDomainParameters> BC_CURVES =
      new ConcurrentHashMap<>();

  /**
   * SunEC's factory and agreement, one pair per thread: looking both up through the provider list
   * on every agreement cost about a fifth of it (1.85 vs 1.5 ms of thread CPU per P-256 agreement
   * on the 2-core build machine). {@code KeyAgreement.init} resets all state, so reuse is safe.
   */
  private static final ThreadLocal<JceEcdh> JCE_ECDH = ThreadLocal.withInitial(() -> {
    try {
      return new JceEcdh(KeyFactory.getInstance("EC"), KeyAgreement.getInstance("ECDH"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks EC key agreement", e);
    }
  });

  private record JceEcdh(KeyFactory factory, KeyAgreement agreement) { }

  private final KeyExchangeMethod method;
  private final Backend backend;
  private final ECParameterSpec curve;
  private final BigInteger p;
  private final int fieldOctets;
  private final BigInteger scalar;
  private final byte[] publicValue;

  private EcpKeyExchange(KeyExchangeMethod method, Backend backend, BigInteger scalar, ECPoint point) {
    this(method, backend, scalar, encode(point, fieldOctets(method)));
  }

  private EcpKeyExchange(KeyExchangeMethod method, Backend backend, BigInteger scalar,
      byte[] publicValue) {
    this.method = method;
    this.backend = backend;
    this.curve = parameters(method);
    this.p = ((ECFieldFp) curve.getCurve().getField()).getP();
    this.fieldOctets = fieldOctets(method);
    this.scalar = scalar;
    this.publicValue = publicValue;
  }

  private static int fieldOctets(KeyExchangeMethod method) {
    return (parameters(method).getCurve().getField().getFieldSize() + 7) / 8;
  }

  private static byte[] encode(ECPoint point, int fieldOctets) {
    byte[] xy = new byte[2 * fieldOctets];
    System.arraycopy(ModpKeyExchange.pad(point.getAffineX(), fieldOctets), 0, xy, 0, fieldOctets);
    System.arraycopy(ModpKeyExchange.pad(point.getAffineY(), fieldOctets), 0, xy, fieldOctets,
        fieldOctets);
    return xy;
  }

  static String curveName(KeyExchangeMethod method) {
    return switch (method) {
      case ECP_256 -> "secp256r1";
      case ECP_384 -> "secp384r1";
      case ECP_521 -> "secp521r1";
      default -> throw new IllegalArgumentException(method + " is not an ECP group");
    };
  }

  /** The JCA curve parameters, looked up once per curve. */
  static ECParameterSpec parameters(KeyExchangeMethod method) {
    return JCE_CURVES.computeIfAbsent(method, m -> {
      try {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curveName(m)));
        return params.getParameterSpec(ECParameterSpec.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks " + curveName(m), e);
      }
    });
  }

  private static ECDomainParameters domain(KeyExchangeMethod method) {
    return BC_CURVES.computeIfAbsent(method, m -> {
      X9ECParameters x9 = CustomNamedCurves.getByName(curveName(m));
      return new ECDomainParameters(x9);
    });
  }

  static EcpKeyExchange generate(KeyExchangeMethod method, Backend backend, SecureRandom random) {
    if (backend != Backend.JCE) {
      BigInteger n = domain(method).getN();
      BigInteger d;
      do {
        d = new BigInteger(n.bitLength(), random);
      } while (d.signum() == 0 || d.compareTo(n) >= 0);
      return withPrivate(method, backend, d);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curveName(method)), random);
      KeyPair pair = generator.generateKeyPair();
      return new EcpKeyExchange(method, backend, ((ECPrivateKey) pair.getPrivate()).getS(),
          ((ECPublicKey) pair.getPublic()).getW());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + curveName(method) + " keys", e);
    }
  }

  /** A key exchange with a known private scalar in [1, n-1] (also used for known answers). */
  static EcpKeyExchange withPrivate(KeyExchangeMethod method, Backend backend, BigInteger scalar) {
    ECDomainParameters domain = domain(method);
    if (scalar.signum() <= 0 || scalar.compareTo(domain.getN()) >= 0) {
      throw new IllegalArgumentException("private scalar out of range for " + method);
    }
    if (backend == Backend.OPENSSL) {
      byte[] d = ModpKeyExchange.pad(scalar, fieldOctets(method));
      try {
        return new EcpKeyExchange(method, backend, scalar, OpenSsl.ecdhPublicValue(method, d));
      } finally {
        Arrays.fill(d, (byte) 0);
      }
    }
    org.bouncycastle.math.ec.ECPoint q =
        new FixedPointCombMultiplier().multiply(domain.getG(), scalar).normalize();
    return new EcpKeyExchange(method, backend, scalar,
        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()));
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
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 0, fieldOctets));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, fieldOctets, peer.length));
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
    byte[] shared = switch (backend) {
      case BOUNCY_CASTLE -> bcAgree(x, y);
      case JCE -> jceAgree(x, y);
      case OPENSSL -> openSslAgree(peer);
    };
    Secret secret = Secret.of(shared);
    Arrays.fill(shared, (byte) 0);
    return secret;
  }

  private byte[] bcAgree(BigInteger x, BigInteger y) {
    ECDomainParameters domain = domain(method);
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(new ECPrivateKeyParameters(scalar, domain));
    BigInteger shared = agreement.calculateAgreement(
        new ECPublicKeyParameters(domain.getCurve().createPoint(x, y), domain));
    return ModpKeyExchange.pad(shared, fieldOctets);
  }

  private byte[] openSslAgree(byte[] peer) throws KeyExchangeException {
    byte[] d = ModpKeyExchange.pad(scalar, fieldOctets);
    try {
      byte[] shared = OpenSsl.ecdhSharedSecret(method, d, peer);
      if (shared == null) {
        // OpenSSL's own decoding refused a point our check accepted; refuse it all the same.
        throw new KeyExchangeException(method, NOT_ON_CURVE, "OpenSSL refused the point");
      }
      return shared;
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  private byte[] jceAgree(BigInteger x, BigInteger y) {
    try {
      JceEcdh ecdh = JCE_ECDH.get();
      KeyFactory factory = ecdh.factory();
      KeyAgreement agreement = ecdh.agreement();
      agreement.init(factory.generatePrivate(new ECPrivateKeySpec(scalar, curve)));
      agreement.doPhase(factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve)), true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      // The point was validated above; SunEC refusing it would be a JDK fault, not peer input.
      throw new IllegalStateException("SunEC refused a validated point on " + curveName(method), e);
    }
  }

  @Override
  public String toString() {
    return "EcpKeyExchange[" + method + ", " + backend + "]";
  }
}
