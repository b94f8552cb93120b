package dev.ferry.vpn.core.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Objects;

/**
 * The platform's OpenSSL libcrypto ({@code libcrypto.so.3}, else {@code .so.1.1}) as a {@link
 * Backend}, called through FFM: the one place that binds it, once per JVM.
 *
 * <p>Why: the ESP AEADs, ECDH on the NIST curves and X25519/X448 are where the JDK and Bouncy
 * Castle are slowest against a C VPN. OpenSSL's AES-GCM is one stitched AES-NI +
 * carry-less-multiply pass (SunJCE on a CPU without VAES/VPCLMULQDQ runs AES-CTR and GHASH as two
 * passes and re-creates its GCM engine per {@code Cipher.init}); its P-256 is the {@code
 * ecp_nistz256} assembly, a few tens of microseconds per multiplication against Bouncy Castle's
 * few hundred; its X25519 uses 64-bit limbs (and, where the CPU has ADX, assembly) field
 * arithmetic. Keys, nonces and the private scalars stay ours (drawn from the provider's {@link
 * java.security.SecureRandom}); OpenSSL only does the arithmetic. The measured numbers are on
 * {@link CryptoProvider.Choices#MEASURED}.
 *
 * <p>When libcrypto cannot be loaded, a symbol is missing, or the system property {@value
 * #PROPERTY} is {@code off}, {@link #available()} is false and the provider keeps its JCE/Bouncy
 * Castle choices; {@link #describe()} says which library was bound or why none was. The calls that
 * pass heap arrays are FFM "critical" calls: no thread-state transition, arrays passed in place,
 * which is what makes a per-packet native call cheap.
 */
final class OpenSsl {
  /** {@code off} disables OpenSSL for every primitive; unset or {@code on}: use it when it loads. */
  static final String PROPERTY = "dev.ferry.vpn.crypto.openssl";

  private static final Binding BINDING;
  private static final String DESCRIPTION;

  static {
    String setting = System.getProperty(PROPERTY, "on").trim().toLowerCase(Locale.ROOT);
    Binding binding = null;
    String description;
    if (setting.equals("off")) {
      description = "off (" + PROPERTY + "=off)";
    } else {
      try {
        binding = Binding.load();
        description = binding.version + " through FFM (" + binding.library + ")";
      } catch (Throwable e) { // UnsatisfiedLinkError, IllegalCallerException, missing symbols ...
        description = "unavailable (libcrypto not usable: " + e + ")";
      }
    }
    BINDING = binding;
    DESCRIPTION = description;
  }

  private OpenSsl() {}

  /** Whether libcrypto is bound in this JVM. */
  static boolean available() {
    return BINDING != null;
  }

  /** What was bound (library and version) or why nothing was. */
  static String describe() {
    return DESCRIPTION;
  }

  /** The binding; only for the OpenSSL primitives, which exist only when {@link #available()}. */
  static Binding binding() {
    return Objects.requireNonNull(BINDING, "OpenSSL is not available");
  }

  /**
   * A keyed AEAD; {@code key} is the cipher key without salt (16, 24 or 32 octets for AES-GCM, 32
   * for ChaCha20-Poly1305), copied into OpenSSL.
   */
  static Aead aead(EncryptionAlgorithm algorithm, byte[] key, int tagLength) {
    Binding b = binding();
    MemorySegment cipher;
    try {
      cipher = switch (algorithm) {
        case AES_GCM_8, AES_GCM_12, AES_GCM_16 -> switch (key.length) {
          case 16 -> (MemorySegment) b.aes128Gcm.invokeExact();
          case 24 -> (MemorySegment) b.aes192Gcm.invokeExact();
          case 32 -> (MemorySegment) b.aes256Gcm.invokeExact();
          default -> MemorySegment.NULL;
        };
        case CHACHA20_POLY1305 -> (MemorySegment) b.chaCha20Poly1305.invokeExact();
        default -> MemorySegment.NULL;
      };
    } catch (Throwable e) {
      throw new IllegalStateException("OpenSSL cipher lookup failed for " + algorithm, e);
    }
    if (cipher.equals(MemorySegment.NULL)) {
      throw new IllegalArgumentException("OpenSSL has no " + algorithm + " with a "
          + key.length + "-octet key");
    }
    return new OpenSslAead(b, cipher, key, tagLength,
        algorithm != EncryptionAlgorithm.CHACHA20_POLY1305);
  }

  /** {@code x || y} of {@code scalar * G} (RFC 5903 section 7); {@code scalar} is big-endian. */
  static byte[] ecdhPublicValue(KeyExchangeMethod method, byte[] scalar) {
    return OpenSslEcdh.publicValue(method, scalar);
  }

  /**
   * The x coordinate of {@code scalar * peer} (RFC 5903 section 7), or null when OpenSSL refuses
   * the peer's {@code x || y} as a point of the curve.
   */
  static byte[] ecdhSharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] peer) {
    return OpenSslEcdh.sharedSecret(method, scalar, peer);
  }

  /**
   * X25519/X448 of {@code scalar} and the peer's u-coordinate {@code peer} (RFC 7748 section 5),
   * or null when OpenSSL refuses to derive, which for inputs of the right length means the result
   * is all zeros (RFC 7748 section 6). {@code publicValue} is the public value of {@code scalar}
   * (the caller has it), handed to OpenSSL so that it need not compute it again.
   */
  static byte[] xdhSharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] publicValue,
      byte[] peer) {
    return OpenSslXdh.sharedSecret(method, scalar, publicValue, peer);
  }

  /** {@code pointer}, or an IllegalStateException naming {@code call} when it is NULL. */
  static MemorySegment notNull(MemorySegment pointer, String call) {
    if (pointer.equals(MemorySegment.NULL)) {
      throw new IllegalStateException(call + " returned NULL (out of memory)");
    }
    return pointer;
  }

  /** Frees {@code pointer} with {@code free} (a one-argument void function) unless it is NULL. */
  static void release(MethodHandle free, MemorySegment pointer) {
    if (pointer.equals(MemorySegment.NULL)) {
      return;
    }
    try {
      free.invokeExact(pointer);
    } catch (Throwable e) {
      throw new IllegalStateException("freeing an OpenSSL object failed", e);
    }
  }

  /** The libcrypto functions, bound once. */
  static final class Binding {
    final String library;
    final String version;
    final MethodHandle aes128Gcm;
    final MethodHandle aes192Gcm;
    final MethodHandle aes256Gcm;
    final MethodHandle chaCha20Poly1305;
    final MethodHandle contextNew;
    final MethodHandle contextFree;
    /** EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc): keying and, per packet, the nonce. */
    final MethodHandle cipherInit;
    /** EVP_CipherUpdate(ctx, out, outl, in, inl): AAD when out is NULL, else data in place. */
    final MethodHandle cipherUpdate;
    /** EVP_CipherFinal_ex(ctx, out, outl): on decryption, the tag check. */
    final MethodHandle cipherFinal;
    /** EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr): get and set the AEAD tag. */
    final MethodHandle control;
    /**
     * EVP_CIPHER_CTX_set_params(ctx, params): OpenSSL 3 only, null on 1.1.1. A GCM packet's nonce
     * (and, opening, its tag) in one call instead of a re-initialisation per packet.
     */
    final MethodHandle setParams;
    final MethodHandle bnCtxNew;
    final MethodHandle bnCtxFree;
    /** BN_bin2bn(s, len, ret): a big-endian scalar into a new BIGNUM. */
    final MethodHandle bnBin2Bn;
    /** BN_clear_free(a): zeroes the digits, then frees. */
    final MethodHandle bnClearFree;
    final MethodHandle groupByCurveName;
    final MethodHandle pointNew;
    /** EC_POINT_clear_free(p): zeroes the coordinates, then frees. */
    final MethodHandle pointClearFree;
    /** EC_POINT_mul(group, r, n, q, m, ctx): r = n * G + m * q. */
    final MethodHandle pointMul;
    final MethodHandle pointOct2Point;
    final MethodHandle pointPoint2Oct;
    final MethodHandle pointIsOnCurve;
    final MethodHandle pointIsAtInfinity;
    /** EVP_PKEY_new_raw_private_key(type, engine, key, len): copies the key into a new EVP_PKEY. */
    final MethodHandle pkeyNewRawPrivate;
    /** EVP_PKEY_new_raw_public_key(type, engine, key, len). */
    final MethodHandle pkeyNewRawPublic;
    /**
     * EVP_PKEY_CTX_new_from_name(libctx, name, propq), EVP_PKEY_fromdata_init(ctx) and
     * EVP_PKEY_fromdata(ctx, *pkey, selection, params): OpenSSL 3 only, null on 1.1.1. They make
     * a key pair from both halves, where EVP_PKEY_new_raw_private_key recomputes the public half.
     */
    final MethodHandle pkeyContextNewFromName;
    final MethodHandle fromDataInit;
    final MethodHandle fromData;
    /** EVP_PKEY_free(pkey): for X25519/X448 keys OpenSSL clears the private octets first. */
    final MethodHandle pkeyFree;
    final MethodHandle pkeyContextNew;
    final MethodHandle pkeyContextFree;
    final MethodHandle deriveInit;
    final MethodHandle deriveSetPeer;
    /** EVP_PKEY_derive(ctx, out, *len). */
    final MethodHandle derive;
    /** ERR_clear_error(): drops the thread's error queue after a refused derivation. */
    final MethodHandle errorClear;

    private Binding(String library, SymbolLookup lookup) throws Throwable {
      this.library = library;
      Linker linker = Linker.nativeLinker();
      // Critical: short, never block, never call back; heap arrays may be passed in place.
      Linker.Option critical = Linker.Option.critical(true);
      aes128Gcm = bind(linker, lookup, "EVP_aes_128_gcm", FunctionDescriptor.of(ADDRESS));
      aes192Gcm = bind(linker, lookup, "EVP_aes_192_gcm", FunctionDescriptor.of(ADDRESS));
      aes256Gcm = bind(linker, lookup, "EVP_aes_256_gcm", FunctionDescriptor.of(ADDRESS));
      chaCha20Poly1305 = bind(linker, lookup, "EVP_chacha20_poly1305",
          FunctionDescriptor.of(ADDRESS));
      contextNew = bind(linker, lookup, "EVP_CIPHER_CTX_new", FunctionDescriptor.of(ADDRESS));
      contextFree = bind(linker, lookup, "EVP_CIPHER_CTX_free",
          FunctionDescriptor.ofVoid(ADDRESS));
      cipherInit = bind(linker, lookup, "EVP_CipherInit_ex", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
      cipherUpdate = bind(linker, lookup, "EVP_CipherUpdate", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
      cipherFinal = bind(linker, lookup, "EVP_CipherFinal_ex", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, ADDRESS, ADDRESS), critical);
      control = bind(linker, lookup, "EVP_CIPHER_CTX_ctrl", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), critical);
      setParams = bindIfPresent(linker, lookup, "EVP_CIPHER_CTX_set_params",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), critical);
      bnCtxNew = bind(linker, lookup, "BN_CTX_new", FunctionDescriptor.of(ADDRESS));
      bnCtxFree = bind(linker, lookup, "BN_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
      bnBin2Bn = bind(linker, lookup, "BN_bin2bn",
          FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS), critical);
      bnClearFree = bind(linker, lookup, "BN_clear_free", FunctionDescriptor.ofVoid(ADDRESS));
      groupByCurveName = bind(linker, lookup, "EC_GROUP_new_by_curve_name",
          FunctionDescriptor.of(ADDRESS, JAVA_INT));
      pointNew = bind(linker, lookup, "EC_POINT_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
      pointClearFree = bind(linker, lookup, "EC_POINT_clear_free",
          FunctionDescriptor.ofVoid(ADDRESS));
      // Not critical: a multiplication takes tens of microseconds, too long to hold off a GC.
      pointMul = bind(linker, lookup, "EC_POINT_mul", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
      pointOct2Point = bind(linker, lookup, "EC_POINT_oct2point", FunctionDescriptor.of(JAVA_INT,
          ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), critical);
      pointPoint2Oct = bind(linker, lookup, "EC_POINT_point2oct", FunctionDescriptor.of(JAVA_LONG,
          ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), critical);
      pointIsOnCurve = bind(linker, lookup, "EC_POINT_is_on_curve",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
      pointIsAtInfinity = bind(linker, lookup, "EC_POINT_is_at_infinity",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
      // Not critical either: making a raw private key computes its public value (a fixed-base
      // multiplication), and derive is a full Montgomery ladder.
      pkeyNewRawPrivate = bind(linker, lookup, "EVP_PKEY_new_raw_private_key",
          FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
      pkeyNewRawPublic = bind(linker, lookup, "EVP_PKEY_new_raw_public_key",
          FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
      pkeyContextNewFromName = bindIfPresent(linker, lookup, "EVP_PKEY_CTX_new_from_name",
          FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
      fromDataInit = bindIfPresent(linker, lookup, "EVP_PKEY_fromdata_init",
          FunctionDescriptor.of(JAVA_INT, ADDRESS));
      fromData = bindIfPresent(linker, lookup, "EVP_PKEY_fromdata",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
      pkeyFree = bind(linker, lookup, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
      pkeyContextNew = bind(linker, lookup, "EVP_PKEY_CTX_new",
          FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
      pkeyContextFree = bind(linker, lookup, "EVP_PKEY_CTX_free",
          FunctionDescriptor.ofVoid(ADDRESS));
      deriveInit = bind(linker, lookup, "EVP_PKEY_derive_init",
          FunctionDescriptor.of(JAVA_INT, ADDRESS));
      deriveSetPeer = bind(linker, lookup, "EVP_PKEY_derive_set_peer",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
      derive = bind(linker, lookup, "EVP_PKEY_derive",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
      errorClear = bind(linker, lookup, "ERR_clear_error", FunctionDescriptor.ofVoid());
      MethodHandle versionText = bind(linker, lookup, "OpenSSL_version",
          FunctionDescriptor.of(ADDRESS, JAVA_INT));
      MemorySegment text = (MemorySegment) versionText.invokeExact(0); // OPENSSL_VERSION
      version = text.reinterpret(256).getString(0);
    }

    static Binding load() throws Throwable {
      Throwable first = null;
      for (String library : new String[] {"libcrypto.so.3", "libcrypto.so.1.1"}) {
        try {
          // Arena.global(): the library stays loaded for the JVM's life, as the handles do.
          return new Binding(library, SymbolLookup.libraryLookup(library, Arena.global()));
        } catch (IllegalArgumentException e) { // no such library on this system
          if (first == null) {
            first = e;
          }
        }
      }
      throw first;
    }

    private static MethodHandle bindIfPresent(Linker linker, SymbolLookup lookup, String name,
        FunctionDescriptor signature, Linker.Option... options) {
      return lookup.find(name).map(symbol -> linker.downcallHandle(symbol, signature, options))
          .orElse(null);
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lookup, String name,
        FunctionDescriptor signature, Linker.Option... options) {
      MemorySegment symbol = lookup.find(name)
          .orElseThrow(() -> new IllegalArgumentException("libcrypto lacks " + name));
      return linker.downcallHandle(symbol, signature, options);
    }
  }
}
