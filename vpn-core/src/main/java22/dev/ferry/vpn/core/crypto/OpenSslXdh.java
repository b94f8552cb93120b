package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * X25519 and X448 (RFC 7748) with OpenSSL's {@code EVP_PKEY} raw-key API (see {@link OpenSsl}):
 * {@link XdhKeyExchange} draws the private octets and makes the RFC 7748 / RFC 8031 checks; this
 * class only runs the curve arithmetic. The calls used ({@code EVP_PKEY_new_raw_private_key},
 * {@code EVP_PKEY_new_raw_public_key}, {@code EVP_PKEY_get_raw_public_key}, {@code
 * EVP_PKEY_derive}) exist in OpenSSL 1.1.1 and 3.x. OpenSSL clamps the private octets itself (RFC
 * 7748 section 5) and masks the top bit of an X25519 u-coordinate, as Bouncy Castle does, so both
 * give the same values for the same octets.
 *
 * <p>Every native object lives for one call and is released in a {@code finally}: the keys with
 * {@code EVP_PKEY_free} (which clears an X25519/X448 private key before freeing it), the context
 * with {@code EVP_PKEY_CTX_free}. The private octets pass through a confined arena that is zeroed
 * before it is closed.
 */
final class OpenSslXdh {
  // NIDs from openssl/obj_mac.h.
  private static final int NID_X25519 = 1034;
  private static final int NID_X448 = 1035;
  // Static finals so the JIT sees constant handles. This class is initialised only once OpenSsl
  // has a binding.
  private static final OpenSsl.Binding B = OpenSsl.binding();
  private static final MethodHandle NEW_PRIVATE = B.pkeyNewRawPrivate;
  private static final MethodHandle NEW_PUBLIC = B.pkeyNewRawPublic;
  private static final MethodHandle GET_PUBLIC = B.pkeyGetRawPublic;
  private static final MethodHandle PKEY_FREE = B.pkeyFree;
  private static final MethodHandle CTX_NEW = B.pkeyContextNew;
  private static final MethodHandle CTX_FREE = B.pkeyContextFree;
  private static final MethodHandle DERIVE_INIT = B.deriveInit;
  private static final MethodHandle DERIVE_SET_PEER = B.deriveSetPeer;
  private static final MethodHandle DERIVE = B.derive;

  private OpenSslXdh() {}

  private static int nid(KeyExchangeMethod method) {
    return switch (method) {
      case CURVE_25519 -> NID_X25519;
      case CURVE_448 -> NID_X448;
      default -> throw new IllegalArgumentException(method + " is not an RFC 7748 curve");
    };
  }

  /**
   * A new EVP_PKEY holding the private octets; their native copy in {@code arena} is zeroed once
   * OpenSSL has copied them (EVP_PKEY_free clears OpenSSL's own copy).
   */
  private static MemorySegment privateKey(int nid, byte[] scalar, Arena arena) throws Throwable {
    MemorySegment secret = arena.allocate(scalar.length);
    try {
      MemorySegment.copy(scalar, 0, secret, ValueLayout.JAVA_BYTE, 0, scalar.length);
      return OpenSsl.notNull((MemorySegment) NEW_PRIVATE.invokeExact(nid, MemorySegment.NULL,
          secret, (long) scalar.length), "EVP_PKEY_new_raw_private_key");
    } finally {
      secret.fill((byte) 0);
    }
  }

  /** The public value (the little-endian u-coordinate of {@code scalar * base}) of the octets. */
  static byte[] publicValue(KeyExchangeMethod method, byte[] scalar) {
    int nid = nid(method);
    MemorySegment key = MemorySegment.NULL;
    try (Arena arena = Arena.ofConfined()) {
      key = privateKey(nid, scalar, arena);
      MemorySegment out = arena.allocate(scalar.length);
      MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
      length.set(ValueLayout.JAVA_LONG, 0, scalar.length);
      if ((int) GET_PUBLIC.invokeExact(key, out, length) != 1
          || length.get(ValueLayout.JAVA_LONG, 0) != scalar.length) {
        throw new IllegalStateException("EVP_PKEY_get_raw_public_key failed for " + method);
      }
      return out.toArray(ValueLayout.JAVA_BYTE);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    } finally {
      OpenSsl.release(PKEY_FREE, key);
    }
  }

  /**
   * X25519/X448 of the private octets and the peer's u-coordinate (both {@code scalar.length}
   * octets), or null when OpenSSL refuses to derive: it does so exactly when the result is all
   * zeros (RFC 7748 section 6.1 and section 6.2 "MAY check"; OpenSSL always checks).
   */
  static byte[] sharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] peer) {
    int nid = nid(method);
    if (peer.length != scalar.length) {
      throw new IllegalArgumentException(method + " peer value must be " + scalar.length
          + " octets");
    }
    MemorySegment key = MemorySegment.NULL;
    MemorySegment peerKey = MemorySegment.NULL;
    MemorySegment ctx = MemorySegment.NULL;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(scalar.length);
      try {
        key = privateKey(nid, scalar, arena);
        MemorySegment u = arena.allocate(peer.length);
        MemorySegment.copy(peer, 0, u, ValueLayout.JAVA_BYTE, 0, peer.length);
        peerKey = OpenSsl.notNull((MemorySegment) NEW_PUBLIC.invokeExact(nid, MemorySegment.NULL, u,
            (long) peer.length), "EVP_PKEY_new_raw_public_key");
        ctx = OpenSsl.notNull((MemorySegment) CTX_NEW.invokeExact(key, MemorySegment.NULL),
            "EVP_PKEY_CTX_new");
        if ((int) DERIVE_INIT.invokeExact(ctx) != 1) {
          throw new IllegalStateException("EVP_PKEY_derive_init failed for " + method);
        }
        if ((int) DERIVE_SET_PEER.invokeExact(ctx, peerKey) != 1) {
          throw new IllegalStateException("EVP_PKEY_derive_set_peer failed for " + method);
        }
        MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
        length.set(ValueLayout.JAVA_LONG, 0, scalar.length);
        if ((int) DERIVE.invokeExact(ctx, out, length) != 1) {
          // The all-zero result (a low-order peer point); the reason OpenSSL queued on this
          // thread is ours to drop, so that it is not reported against a later call.
          B.errorClear.invokeExact();
          return null;
        }
        if (length.get(ValueLayout.JAVA_LONG, 0) != scalar.length) {
          throw new IllegalStateException("EVP_PKEY_derive wrote "
              + length.get(ValueLayout.JAVA_LONG, 0) + " octets, not " + scalar.length);
        }
        return out.toArray(ValueLayout.JAVA_BYTE);
      } finally {
        out.fill((byte) 0); // our copy of the shared secret is the returned array
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    } finally {
      OpenSsl.release(CTX_FREE, ctx);
      OpenSsl.release(PKEY_FREE, peerKey);
      OpenSsl.release(PKEY_FREE, key);
    }
  }
}
