package dev.ferry.vpn.core.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * One keyed OpenSSL AEAD (see {@link OpenSsl}): an {@code EVP_CIPHER_CTX} for sealing and one
 * for opening, each keyed once at creation, so a packet only sets its nonce, feeds the AAD and the
 * data, and gets or checks the tag. Like every {@link Aead}, for one thread at a time.
 *
 * <p>AES-GCM on OpenSSL 3 does not even re-initialise the context per packet: {@code
 * EVP_CipherInit_ex} with a new IV asks the provider for the IV length through an {@code
 * OSSL_PARAM} lookup (string comparisons) every time, about 4 % of the CPU of a receiving
 * gateway under iperf3 in {@code perf}. Instead one {@code EVP_CIPHER_CTX_set_params} call hands
 * over the whole 12-octet IV as the "TLS fixed IV" with length -1 (OpenSSL's "restore the whole
 * IV", what {@code EVP_CTRL_GCM_SET_IV_FIXED} with -1 does; OpenSSH drives GCM that way), and,
 * opening, the expected tag in the same call. The provider applies the IV before the next
 * update, and refuses an update after a final without a new IV, so an IV is never reused by
 * accident. ChaCha20-Poly1305, and OpenSSL 1.1.1 (no {@code EVP_CIPHER_CTX_set_params}), take
 * the classic path.
 *
 * <p>The key reaches OpenSSL once, from a native buffer that is zeroed right after keying; the
 * contexts hold the expanded key until they are freed, which a {@link Cleaner} does when this
 * object becomes unreachable ({@code EVP_CIPHER_CTX_free} cleanses the key schedule).
 */
final class OpenSslAead implements Aead {
  private static final Cleaner CLEANER = Cleaner.create();
  /** EVP_CTRL_AEAD_GET_TAG and EVP_CTRL_AEAD_SET_TAG from openssl/evp.h (same for GCM). */
  private static final int GET_TAG = 0x10;
  private static final int SET_TAG = 0x11;
  private static final int NONCE_LENGTH = 12;
  // The per-packet handles as static finals: only a constant MethodHandle is inlined by the JIT;
  // through an instance field every invokeExact goes through a generic invoker (JMH's stack
  // profiler showed a quarter of an ESP open there). This class is initialised only once
  // OpenSsl has a binding.
  private static final MethodHandle CIPHER_INIT = OpenSsl.binding().cipherInit;
  private static final MethodHandle CIPHER_UPDATE = OpenSsl.binding().cipherUpdate;
  private static final MethodHandle CIPHER_FINAL = OpenSsl.binding().cipherFinal;
  private static final MethodHandle CONTROL = OpenSsl.binding().control;
  private static final MethodHandle SET_PARAMS = OpenSsl.binding().setParams;

  /** {@code OSSL_PARAM} on LP64: key, data_type (padded to 8), data, data_size, return_size. */
  private static final long PARAM_SIZE = 40;
  /** OSSL_PARAM_OCTET_STRING from openssl/core.h. */
  private static final int OCTET_STRING = 5;
  /** OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED and OSSL_CIPHER_PARAM_AEAD_TAG (core_names.h). */
  private static final MemorySegment IV_FIXED_NAME = Arena.global().allocateFrom("tlsivfixed");
  private static final MemorySegment TAG_NAME = Arena.global().allocateFrom("tag");

  private final OpenSsl.Binding b;
  private final MemorySegment sealContext;
  private final MemorySegment openContext;
  private final int keyLength;
  private final int tagLength;
  /** {@code int *outl} for every call; a heap segment, legal in critical calls. */
  private final MemorySegment outLength = MemorySegment.ofArray(new int[1]);
  // The last packet buffer, nonce and AAD arrays and their segments: a caller reuses its arrays
  // (AeadEspCipher has one nonce and one AAD array, a worker a few packet buffers), so this saves
  // the heap-segment wrappers per call that a JFR profile showed (MemorySessionImpl.createHeap).
  private final LastSegment buffers = new LastSegment();
  private final LastSegment nonces = new LastSegment();
  private final LastSegment aads = new LastSegment();
  /** Whether nonce and tag go in with EVP_CIPHER_CTX_set_params (AES-GCM on OpenSSL 3). */
  private final boolean byParams;
  // For byParams only (null otherwise): native nonce and tag buffers and the parameter arrays
  // that point to them.
  private final MemorySegment sealNonce;
  private final MemorySegment sealParams;
  private final MemorySegment openNonce;
  private final MemorySegment openTag;
  private final MemorySegment openParams;

  /**
   * {@code k} is the cipher key; the caller zeroes its array, this class its native copy.
   *
   * @param gcm whether {@code cipher} is AES-GCM, whose IV may be set through parameters
   */
  OpenSslAead(OpenSsl.Binding b, MemorySegment cipher, byte[] k, int tagLength, boolean gcm) {
    this.b = b;
    this.keyLength = k.length;
    this.tagLength = tagLength;
    this.byParams = gcm && b.setParams != null
        && !"off".equals(System.getProperty(BY_PARAMS_PROPERTY));
    if (byParams) {
      // Freed with this object; none holds a secret (nonces and tags travel in the clear).
      Arena buffers = Arena.ofAuto();
      this.sealNonce = buffers.allocate(NONCE_LENGTH);
      this.openNonce = buffers.allocate(NONCE_LENGTH);
      this.openTag = buffers.allocate(tagLength);
      this.sealParams = buffers.allocate(2 * PARAM_SIZE, 8);
      this.openParams = buffers.allocate(3 * PARAM_SIZE, 8);
      putParam(sealParams, 0, IV_FIXED_NAME, sealNonce, -1L); // -1: the whole IV, not a prefix
      putParam(openParams, 0, TAG_NAME, openTag, tagLength);
      putParam(openParams, 1, IV_FIXED_NAME, openNonce, -1L);
      // The arrays end with OSSL_PARAM_END, an all-zero entry, as allocated.
    } else {
      this.sealNonce = null;
      this.openNonce = null;
      this.openTag = null;
      this.sealParams = null;
      this.openParams = null;
    }
    MemorySegment seal = newContext();
    MemorySegment open = MemorySegment.NULL;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment nativeKey = arena.allocate(k.length);
      MemorySegment.copy(k, 0, nativeKey, JAVA_BYTE, 0, k.length);
      try {
        open = newContext();
        check((int) b.cipherInit.invokeExact(seal, cipher, MemorySegment.NULL, nativeKey,
            MemorySegment.NULL, 1), "EVP_CipherInit_ex(encrypt)");
        check((int) b.cipherInit.invokeExact(open, cipher, MemorySegment.NULL, nativeKey,
            MemorySegment.NULL, 0), "EVP_CipherInit_ex(decrypt)");
      } catch (Throwable e) {
        free(b, seal);
        free(b, open);
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      } finally {
        nativeKey.fill((byte) 0);
      }
    }
    this.sealContext = seal;
    this.openContext = open;
    MemorySegment s = seal;
    MemorySegment o = open;
    CLEANER.register(this, () -> {
      free(b, s);
      free(b, o);
    });
  }

  private MemorySegment newContext() {
    try {
      MemorySegment context = (MemorySegment) b.contextNew.invokeExact();
      if (context.equals(MemorySegment.NULL)) {
        throw new IllegalStateException("EVP_CIPHER_CTX_new returned NULL (out of memory)");
      }
      return context;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static void free(OpenSsl.Binding b, MemorySegment context) {
    if (context.equals(MemorySegment.NULL)) {
      return;
    }
    try {
      b.contextFree.invokeExact(context);
    } catch (Throwable e) {
      throw new IllegalStateException("EVP_CIPHER_CTX_free failed", e);
    }
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException(call + " failed in OpenSSL");
    }
  }

  @Override
  public int keyLength() {
    return keyLength;
  }

  @Override
  public int nonceLength() {
    return NONCE_LENGTH;
  }

  @Override
  public int tagLength() {
    return tagLength;
  }

  /** Property that, set to {@code off}, keeps AES-GCM on the re-initialising path (A/B runs). */
  static final String BY_PARAMS_PROPERTY = "dev.ferry.vpn.crypto.openssl.gcm-params";

  /** Writes {@code OSSL_PARAM_octet_string(name, data, size)} as entry {@code index}. */
  private static void putParam(MemorySegment params, int index, MemorySegment name,
      MemorySegment data, long size) {
    long at = index * PARAM_SIZE;
    params.set(ADDRESS, at, name);
    params.set(JAVA_INT, at + 8, OCTET_STRING);
    params.set(ADDRESS, at + 16, data);
    params.set(JAVA_LONG, at + 24, size);
    params.set(JAVA_LONG, at + 32, -1L); // OSSL_PARAM_UNMODIFIED
  }

  /** The heap segment of the array passed last, made again only when the array changes. */
  private static final class LastSegment {
    private byte[] array;
    private MemorySegment segment;

    MemorySegment of(byte[] a) {
      if (a != array) {
        segment = MemorySegment.ofArray(a);
        array = a;
      }
      return segment;
    }
  }

  @Override
  public int seal(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    if (nonce == null || nonce.length != NONCE_LENGTH || aad == null || off < 0 || len < 0
        || buf.length - off - len < tagLength) {
      throw new IllegalArgumentException("seal needs a " + NONCE_LENGTH + "-octet nonce and "
          + tagLength + " octets of room after the plaintext");
    }
    MemorySegment data = buffers.of(buf);
    try {
      if (byParams) {
        MemorySegment.copy(nonce, 0, sealNonce, JAVA_BYTE, 0, NONCE_LENGTH);
        check((int) SET_PARAMS.invokeExact(sealContext, sealParams),
            "EVP_CIPHER_CTX_set_params(nonce)");
      } else {
        check((int) CIPHER_INIT.invokeExact(sealContext, MemorySegment.NULL, MemorySegment.NULL,
            MemorySegment.NULL, nonces.of(nonce), 1), "EVP_CipherInit_ex(nonce)");
      }
      check((int) CIPHER_UPDATE.invokeExact(sealContext, MemorySegment.NULL, outLength,
          aads.of(aad), aad.length), "EVP_CipherUpdate(aad)");
      MemorySegment text = data.asSlice(off, len);
      check((int) CIPHER_UPDATE.invokeExact(sealContext, text, outLength, text, len),
          "EVP_CipherUpdate");
      MemorySegment tag = data.asSlice(off + len, tagLength);
      check((int) CIPHER_FINAL.invokeExact(sealContext, tag, outLength), "EVP_CipherFinal_ex");
      check((int) CONTROL.invokeExact(sealContext, GET_TAG, tagLength, tag),
          "EVP_CIPHER_CTX_ctrl(get tag)");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    return len + tagLength;
  }

  @Override
  public int open(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    if (nonce == null || nonce.length != NONCE_LENGTH || aad == null || buf == null || off < 0
        || len < tagLength || off > buf.length - len) {
      return -1;
    }
    int textLength = len - tagLength;
    MemorySegment data = buffers.of(buf);
    boolean authentic;
    try {
      MemorySegment text = data.asSlice(off, textLength);
      boolean ready;
      if (byParams) {
        MemorySegment.copy(nonce, 0, openNonce, JAVA_BYTE, 0, NONCE_LENGTH);
        MemorySegment.copy(buf, off + textLength, openTag, JAVA_BYTE, 0, tagLength);
        // The tag is in the context before the data is decrypted over it in place.
        ready = (int) SET_PARAMS.invokeExact(openContext, openParams) == 1
            && (int) CIPHER_UPDATE.invokeExact(openContext, MemorySegment.NULL, outLength,
                aads.of(aad), aad.length) == 1;
      } else {
        ready = (int) CIPHER_INIT.invokeExact(openContext, MemorySegment.NULL,
                MemorySegment.NULL, MemorySegment.NULL, nonces.of(nonce), 0) == 1
            && (int) CIPHER_UPDATE.invokeExact(openContext, MemorySegment.NULL, outLength,
                aads.of(aad), aad.length) == 1
            && (int) CONTROL.invokeExact(openContext, SET_TAG, tagLength,
                data.asSlice(off + textLength, tagLength)) == 1;
      }
      authentic = ready
          && (int) CIPHER_UPDATE.invokeExact(openContext, text, outLength, text, textLength) == 1
          // RFC 5116 section 2.2: nothing is released unless the tag verifies (constant-time
          // comparison inside OpenSSL).
          && (int) CIPHER_FINAL.invokeExact(openContext, text, outLength) == 1;
    } catch (Throwable e) {
      authentic = false;
    }
    if (!authentic) {
      // OpenSSL decrypted in place before the tag check: wipe the unauthenticated plaintext.
      Arrays.fill(buf, off, off + len, (byte) 0);
      return -1;
    }
    return textLength;
  }

  @Override
  public String toString() {
    return "OpenSslAead[" + keyLength * 8 + "-bit key, " + tagLength + "-octet tag"
        + (byParams ? ", IV by params" : "") + "]";
  }
}
