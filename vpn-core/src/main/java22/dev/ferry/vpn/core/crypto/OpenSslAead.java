package dev.ferry.vpn.core.crypto;

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

  /** {@code k} is the cipher key; the caller zeroes its array, this class its native copy. */
  OpenSslAead(OpenSsl.Binding b, MemorySegment cipher, byte[] k, int tagLength) {
    this.b = b;
    this.keyLength = k.length;
    this.tagLength = tagLength;
    MemorySegment seal = newContext();
    MemorySegment open = MemorySegment.NULL;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment nativeKey = arena.allocate(k.length);
      MemorySegment.copy(k, 0, nativeKey, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, k.length);
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
      check((int) CIPHER_INIT.invokeExact(sealContext, MemorySegment.NULL, MemorySegment.NULL,
          MemorySegment.NULL, nonces.of(nonce), 1), "EVP_CipherInit_ex(nonce)");
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
      authentic = (int) CIPHER_INIT.invokeExact(openContext, MemorySegment.NULL,
              MemorySegment.NULL, MemorySegment.NULL, nonces.of(nonce), 0) == 1
          && (int) CIPHER_UPDATE.invokeExact(openContext, MemorySegment.NULL, outLength,
              aads.of(aad), aad.length) == 1
          // The tag is copied into the context before the data is decrypted over it in place.
          && (int) CONTROL.invokeExact(openContext, SET_TAG, tagLength,
              data.asSlice(off + textLength, tagLength)) == 1
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
    return "OpenSslAead[" + keyLength * 8 + "-bit key, " + tagLength + "-octet tag]";
  }
}
