package dev.ferry.vpn.esp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ferry.vpn.core.crypto.Aead;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESP AEADs (AES-GCM with 8/12/16-octet ICVs, ChaCha20-Poly1305) from the platform's OpenSSL
 * libcrypto ({@code libcrypto.so.3}, else {@code .so.1.1}), called through FFM.
 *
 * <p>Why: ESP protect/unprotect is the data plane's CPU cost. OpenSSL's AES-GCM is one stitched
 * AES-NI + carry-less-multiply pass; SunJCE on a CPU without VAES/VPCLMULQDQ runs AES-CTR and GHASH
 * as two passes and re-creates its GCM engine on every {@code Cipher.init}, so a 1,400-octet seal
 * cost 1.0-1.25 µs of CPU on JCE against 0.75-0.78 µs through this class, measured side by side on
 * the 2-core machine of docs/performance.md; for ChaCha20-Poly1305 the gap is larger still
 * (SunJCE has no intrinsic). The keys and the nonce discipline stay ours: the nonce is passed per
 * call exactly as for the JCE AEADs, and OpenSSL only does the arithmetic.
 *
 * <p>When libcrypto cannot be loaded, a symbol is missing, or the system property {@value
 * #PROPERTY} is {@code provider}, {@link #aead} returns null and ESP uses the {@link
 * CryptoProvider}'s AEADs; {@link #describe()} says which backend is in use and why. The calls
 * that pass packet buffers are FFM "critical" calls: no thread-state transition, heap arrays
 * passed in place, which is what makes a per-packet native call cheap.
 */
final class OpenSslAeads {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSslAeads.class);

  /** {@code openssl} or unset: use OpenSSL when it loads; {@code provider}: never. */
  static final String PROPERTY = "dev.ferry.vpn.esp.aead";

  private static final Binding BINDING;
  private static final String DESCRIPTION;

  static {
    String setting = System.getProperty(PROPERTY, "openssl").trim().toLowerCase(Locale.ROOT);
    Binding binding = null;
    String description;
    if (setting.equals("provider")) {
      description = "JCE/Bouncy Castle (" + PROPERTY + "=provider)";
    } else {
      try {
        binding = Binding.load();
        description = "OpenSSL through FFM (" + binding.library + ", " + binding.version + ")";
      } catch (Throwable e) { // UnsatisfiedLinkError, IllegalCallerException, missing symbols ...
        description = "JCE/Bouncy Castle (OpenSSL libcrypto not usable: " + e + ")";
      }
    }
    BINDING = binding;
    DESCRIPTION = description;
    LOG.info("ESP AEAD backend: {}", DESCRIPTION);
  }

  private OpenSslAeads() {}

  /** Whether ESP AEADs come from OpenSSL in this JVM. */
  static boolean available() {
    return BINDING != null;
  }

  /** The binding; only for {@link OpenSslAead}, which exists only when {@link #available()}. */
  static Binding binding() {
    return Objects.requireNonNull(BINDING, "OpenSSL is not available");
  }

  /** Which backend ESP AEADs use here and, if not OpenSSL, why. */
  static String describe() {
    return DESCRIPTION;
  }

  /**
   * An OpenSSL AEAD for {@code encryption} keyed with {@code key}, or null when OpenSSL is not
   * available here or the transform is not an AEAD it runs for us.
   *
   * @throws IllegalArgumentException if the key length does not fit the transform
   */
  static Aead aead(Transform encryption, Secret key) {
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(key, "key");
    Binding b = BINDING;
    if (b == null || !(encryption.algorithm() instanceof EncryptionAlgorithm algorithm)) {
      return null;
    }
    MemorySegment cipher;
    try {
      cipher = switch (algorithm) {
        case AES_GCM_8, AES_GCM_12, AES_GCM_16 -> switch (encryption.keyLength()) {
          case 128 -> (MemorySegment) b.aes128Gcm.invokeExact();
          case 192 -> (MemorySegment) b.aes192Gcm.invokeExact();
          case 256 -> (MemorySegment) b.aes256Gcm.invokeExact();
          default -> null;
        };
        case CHACHA20_POLY1305 -> (MemorySegment) b.chaCha20Poly1305.invokeExact();
        default -> null;
      };
    } catch (Throwable e) {
      throw new IllegalStateException("OpenSSL cipher lookup failed for " + encryption, e);
    }
    if (cipher == null || cipher.equals(MemorySegment.NULL)) {
      return null;
    }
    int keyLength = algorithm == EncryptionAlgorithm.CHACHA20_POLY1305 ? 32
        : encryption.keyLength() / 8;
    if (key.length() != keyLength) {
      throw new IllegalArgumentException(encryption + " needs a " + keyLength + "-octet key, not "
          + key.length());
    }
    return new OpenSslAead(b, cipher, key, keyLength, CryptoProvider.tagLength(encryption));
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

    private static MethodHandle bind(Linker linker, SymbolLookup lookup, String name,
        FunctionDescriptor signature, Linker.Option... options) {
      MemorySegment symbol = lookup.find(name)
          .orElseThrow(() -> new IllegalArgumentException("libcrypto lacks " + name));
      return linker.downcallHandle(symbol, signature, options);
    }
  }
}
