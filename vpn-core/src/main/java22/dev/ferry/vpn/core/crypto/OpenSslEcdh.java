package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * ECDH on P-256, P-384 and P-521 with OpenSSL's {@code EC_POINT} arithmetic (see {@link OpenSsl}):
 * {@link EcpKeyExchange} draws the private scalar and validates the peer's value; this class only
 * multiplies. The API used ({@code EC_GROUP_new_by_curve_name}, {@code EC_POINT_mul}, {@code
 * EC_POINT_oct2point}/{@code point2oct}, {@code BN_bin2bn}) exists in OpenSSL 1.1 and 3.x (some
 * of it deprecated in 3.0, still exported). {@code EC_POINT_mul} with one secret scalar runs in
 * constant time: the {@code ecp_nistz256} code for P-256, the Montgomery ladder OpenSSL uses for
 * single-scalar products on the other curves (since 1.1.1).
 *
 * <p>Every native object lives for one call and is released in a {@code finally}: the scalar's
 * BIGNUM with {@code BN_clear_free} and the points with {@code EC_POINT_clear_free}, which zero
 * them first. The three groups are made once and kept for the JVM's life; {@code EC_POINT_mul}
 * only reads a group, so threads share them.
 */
final class OpenSslEcdh {
  /** POINT_CONVERSION_UNCOMPRESSED from openssl/ec.h: 0x04 || x || y (SEC 1 section 2.3.3). */
  private static final int UNCOMPRESSED = 4;
  // Static finals so the JIT sees constant handles (see OpenSslAead). This class is initialised
  // only once OpenSsl has a binding.
  private static final OpenSsl.Binding B = OpenSsl.binding();
  private static final MethodHandle POINT_MUL = B.pointMul;
  // NIDs from openssl/obj_mac.h: NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1.
  private static final MemorySegment P256 = group(415);
  private static final MemorySegment P384 = group(715);
  private static final MemorySegment P521 = group(716);

  private OpenSslEcdh() {}

  private static MemorySegment group(int nid) {
    try {
      MemorySegment group = (MemorySegment) B.groupByCurveName.invokeExact(nid);
      if (group.equals(MemorySegment.NULL)) {
        throw new IllegalStateException("OpenSSL lacks the curve with NID " + nid);
      }
      return group;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static MemorySegment group(KeyExchangeMethod method) {
    return switch (method) {
      case ECP_256 -> P256;
      case ECP_384 -> P384;
      case ECP_521 -> P521;
      default -> throw new IllegalArgumentException(method + " is not an ECP group");
    };
  }

  /** {@code x || y} of {@code scalar * G}, each coordinate {@code scalar.length} octets. */
  static byte[] publicValue(KeyExchangeMethod method, byte[] scalar) {
    byte[] point = multiply(group(method), scalar, null);
    return Arrays.copyOfRange(point, 1, point.length);
  }

  /** The x coordinate of {@code scalar * peer}, or null when the peer's point is refused. */
  static byte[] sharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] peer) {
    byte[] point = multiply(group(method), scalar, peer);
    if (point == null) {
      return null;
    }
    // RFC 5903 section 7: the shared secret is the x coordinate alone.
    byte[] x = Arrays.copyOfRange(point, 1, 1 + (point.length - 1) / 2);
    Arrays.fill(point, (byte) 0);
    return x;
  }

  /**
   * The uncompressed encoding of {@code scalar * G} ({@code peer} null) or {@code scalar * peer};
   * null when OpenSSL refuses {@code peer} ({@code x || y}, each as long as the scalar).
   */
  private static byte[] multiply(MemorySegment group, byte[] scalar, byte[] peer) {
    int fieldOctets = scalar.length;
    MemorySegment ctx = MemorySegment.NULL;
    MemorySegment d = MemorySegment.NULL;
    MemorySegment q = MemorySegment.NULL;
    MemorySegment r = MemorySegment.NULL;
    try {
      ctx = OpenSsl.notNull((MemorySegment) B.bnCtxNew.invokeExact(), "BN_CTX_new");
      d = OpenSsl.notNull((MemorySegment) B.bnBin2Bn.invokeExact(MemorySegment.ofArray(scalar),
          scalar.length, MemorySegment.NULL), "BN_bin2bn");
      r = OpenSsl.notNull((MemorySegment) B.pointNew.invokeExact(group), "EC_POINT_new");
      int multiplied;
      if (peer == null) {
        multiplied = (int) POINT_MUL.invokeExact(group, r, d, MemorySegment.NULL,
            MemorySegment.NULL, ctx);
      } else {
        q = OpenSsl.notNull((MemorySegment) B.pointNew.invokeExact(group), "EC_POINT_new");
        byte[] encoded = new byte[1 + peer.length];
        encoded[0] = UNCOMPRESSED; // the KE payload carries x || y only (RFC 5903 section 7)
        System.arraycopy(peer, 0, encoded, 1, peer.length);
        // RFC 6989 section 2.3, checked again by OpenSSL: a point of this curve, not infinity.
        // EcpKeyExchange has already refused such points with the reason; this is the backstop.
        if ((int) B.pointOct2Point.invokeExact(group, q, MemorySegment.ofArray(encoded),
                (long) encoded.length, ctx) != 1
            || (int) B.pointIsOnCurve.invokeExact(group, q, ctx) != 1
            || (int) B.pointIsAtInfinity.invokeExact(group, q) != 0) {
          return null;
        }
        multiplied = (int) POINT_MUL.invokeExact(group, r, MemorySegment.NULL, q, d, ctx);
      }
      if (multiplied != 1) {
        throw new IllegalStateException("EC_POINT_mul failed in OpenSSL");
      }
      // A scalar in [1, n-1] times a point of prime order n is never the point at infinity.
      if ((int) B.pointIsAtInfinity.invokeExact(group, r) != 0) {
        throw new IllegalStateException("EC_POINT_mul gave the point at infinity");
      }
      byte[] out = new byte[1 + 2 * fieldOctets];
      long written = (long) B.pointPoint2Oct.invokeExact(group, r, UNCOMPRESSED,
          MemorySegment.ofArray(out), (long) out.length, ctx);
      if (written != out.length) {
        Arrays.fill(out, (byte) 0);
        throw new IllegalStateException("EC_POINT_point2oct wrote " + written + " octets, not "
            + out.length);
      }
      return out;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    } finally {
      OpenSsl.release(B.pointClearFree, r);
      OpenSsl.release(B.pointClearFree, q);
      OpenSsl.release(B.bnClearFree, d);
      OpenSsl.release(B.bnCtxFree, ctx);
    }
  }
}
