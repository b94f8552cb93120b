package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Support;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.HMac;

/**
 * Makes the keyed primitives for negotiated {@link Transform}s; the one place that names JCA
 * algorithms or Bouncy Castle classes, and the one place that decides which library runs each
 * primitive. Protocol code (IKE, ESP) only sees {@link Aead}, {@link Encryptor}, {@link
 * Integrity}, {@link Prf} and {@link KeyExchange}.
 *
 * <p>Randomness comes from the injected {@link SecureRandom} (private values of key exchanges), so
 * tests can be deterministic. Keys arrive as {@link Secret}s; the primitives keep their own copies.
 *
 * <p>Where several libraries implement a primitive, {@link Choices#MEASURED} picks the fastest one
 * by the numbers recorded on it. OpenSSL (through FFM, JDK 22+) runs the AEADs, ECDH on the NIST
 * curves and X25519/X448 when libcrypto loads; the primitives only one library has are fixed: AES-GCM with an
 * 8-octet ICV runs on OpenSSL when the AES-GCM choice is OpenSSL, else on Bouncy Castle (SunJCE
 * refuses tags below 96 bits); AES-CMAC and AES-XCBC (absent from the JDK; XCBC is built here on
 * BC's AES engine) run on Bouncy Castle; 3DES, AES-CBC and MODP (BigInteger, as the JDK's DH does)
 * run on the JDK.
 */
public final class CryptoProvider {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CryptoProvider.class);

  /**
   * The library per primitive where both have it.
   *
   * @param aesGcm AES-GCM with 12- and 16-octet ICVs
   * @param chaCha20Poly1305 ChaCha20-Poly1305 (RFC 7634)
   * @param hmac HMAC-SHA1/SHA2 as PRF and integrity algorithm
   * @param ecp ECDH on the NIST curves (groups 19-21)
   * @param xdh Curve25519 and Curve448
   * @throws IllegalArgumentException if HMAC is to run on OpenSSL, which is not bound for it
   */
  public record Choices(
      Backend aesGcm, Backend chaCha20Poly1305, Backend hmac, Backend ecp, Backend xdh) {

    /**
     * The faster library for each primitive, measured with {@code java -jar
     * benchmarks/target/benchmarks.jar CryptoBench -f 1 -wi 2 -w 1s -i 3 -r 1s} on Temurin 25 (2
     * cores shared with other jobs, so the error bars are wide; the ratios are what count), in
     * microseconds per operation, JCE vs Bouncy Castle:
     *
     * <ul>
     *   <li>AES-GCM-128 seal of 1400 octets: 2.9 vs 32.9 (SunJCE uses AES-NI and CLMUL
     *       intrinsics): JCE;
     *   <li>ChaCha20-Poly1305 seal of 1400 octets: 32.6 vs 64.8 (SunJCE has vector intrinsics):
     *       JCE;
     *   <li>HMAC-SHA-256-128 over 1400 octets: 15.6 vs 23.5 (SHA intrinsics): JCE. prf+ for an
     *       IKE SA's keys measured 25.9 vs 18.6, within the noise, so one choice serves both;
     *   <li>ECDH P-256 agreement: 8679 vs 2463: Bouncy Castle. Re-measured on Temurin 25.0 (AVX-512
     *       host, load 10-12) as thread CPU time with {@code EcdhP256Bench}'s main (min / median
     *       microseconds): key generation BC fixed-point comb on {@code CustomNamedCurves} 120 /
     *       134, SunEC with a kept generator 244 / 260, the comb on BC's generic curve 676 / 730;
     *       agreement BC {@code ECDHBasicAgreement} (constant-time) on the custom curve 284 / 310,
     *       SunEC with kept factory and agreement 1231 / 1291 (it also multiplies the peer point by
     *       the group order to validate it, which a cofactor-1 curve does not need: RFC 6989
     *       section 2.3; our on-curve check runs first either way), BC on the generic curve 1871 /
     *       2026. BC's variable-time wNAF multiplier (216 / 399) is not used: its timing depends
     *       on the secret scalar;
     *   <li>X25519 agreement: 1429 vs 205 (SunEC's XDH goes through KeyFactory/KeyAgreement per
     *       call; BC's RFC 7748 code works on the raw octets): Bouncy Castle. Re-measured as thread
     *       CPU time (load 5-6, min / median microseconds): BC agreement 114 / 132 and fixed-base
     *       key generation 41 / 41; SunEC even with prebuilt key objects 228 / 325 and 250 / 369.
     * </ul>
     *
     * <p>OpenSSL (libcrypto 3.0 through FFM, {@code ecp_nistz256} assembly for P-256, stitched
     * AES-NI/CLMUL GCM) is preferred for the AEADs and ECP whenever it is bound, falling back per
     * primitive to the choice above (JDK 21, no libcrypto, or {@code
     * -Ddev.ferry.vpn.crypto.openssl=off}). Measured as thread CPU time on the same 2-core
     * machine: a 1,400-octet AES-GCM-128 seal 0.75-0.78 µs through OpenSSL against 1.0-1.25 µs on
     * SunJCE; an ESP ChaCha20-Poly1305 protect 1.6-2.5 µs against 6.9 µs on SunJCE ({@code
     * EspBench}'s main); P-256 through this provider with {@code EcdhP256Bench}'s main (load 1.3,
     * min / median µs): key generation 18 / 22 against BC's 104 / 115, agreement with our RFC 6989
     * checks 62 / 63 against BC's 290 / 457. An ecp256 IKE handshake fell from 0.49-0.65 to
     * 0.16-0.18 ms of CPU per side ({@code IkeHandshakeBench}).
     *
     * <p>XDH on OpenSSL runs the agreement only ({@code EVP_PKEY_derive} on our key pair imported
     * with {@code EVP_PKEY_fromdata}); the public value stays on BC's fixed-base comb, which is
     * faster than OpenSSL's. Thread CPU through this provider (OpenSSL 3.0.19, load 5.2-5.5, min /
     * median µs): X25519 agreement 61 / 64 against BC's 109 / 110, X448 275 / 276 against 453 /
     * 454; key generation 41 (X25519) and 173 (X448) on BC either way, where OpenSSL's raw
     * private key costs 56 and 274. An x25519 IKE handshake fell from 0.54-0.60 to 0.43-0.44 ms of
     * CPU for both peers at the best of three runs (load 4.5-5.5, {@code IkeHandshakeBench}).
     */
    public static final Choices MEASURED = measured(OpenSsl.available());

    static {
      LOG.info("crypto backends: {} (libcrypto: {})", MEASURED, OpenSsl.describe());
    }

    /** {@link #MEASURED} as it is with and without OpenSSL bound. */
    static Choices measured(boolean openSsl) {
      return new Choices(openSsl ? Backend.OPENSSL : Backend.JCE,
          openSsl ? Backend.OPENSSL : Backend.JCE, Backend.JCE,
          openSsl ? Backend.OPENSSL : Backend.BOUNCY_CASTLE,
          openSsl ? Backend.OPENSSL : Backend.BOUNCY_CASTLE);
    }

    public Choices {
      Objects.requireNonNull(aesGcm, "aesGcm");
      Objects.requireNonNull(chaCha20Poly1305, "chaCha20Poly1305");
      Objects.requireNonNull(hmac, "hmac");
      Objects.requireNonNull(ecp, "ecp");
      Objects.requireNonNull(xdh, "xdh");
      if (hmac == Backend.OPENSSL) {
        throw new IllegalArgumentException(
            "OpenSSL is bound for the AEADs, ECP and XDH only, not HMAC");
      }
    }

    /**
     * The same library for every primitive (for tests that check each against the vectors); for
     * {@link Backend#OPENSSL}, OpenSSL where it is bound (AEADs, ECP, XDH) and JCE for HMAC.
     */
    public static Choices all(Backend backend) {
      if (backend == Backend.OPENSSL) {
        return new Choices(backend, backend, Backend.JCE, backend, backend);
      }
      return new Choices(backend, backend, backend, backend, backend);
    }

    private boolean usesOpenSsl() {
      return aesGcm == Backend.OPENSSL || chaCha20Poly1305 == Backend.OPENSSL
          || ecp == Backend.OPENSSL || xdh == Backend.OPENSSL;
    }
  }

  private final SecureRandom random;
  private final Choices choices;

  /** A provider with the {@link Choices#MEASURED} libraries. */
  public CryptoProvider(SecureRandom random) {
    this(random, Choices.MEASURED);
  }

  /**
   * A provider with the given libraries.
   *
   * @throws IllegalStateException if {@code choices} names OpenSSL and it is not bound in this JVM
   *     ({@link #openSslStatus()} says why)
   */
  public CryptoProvider(SecureRandom random, Choices choices) {
    this.random = Objects.requireNonNull(random, "random");
    this.choices = Objects.requireNonNull(choices, "choices");
    if (choices.usesOpenSsl() && !OpenSsl.available()) {
      throw new IllegalStateException("OpenSSL chosen but " + OpenSsl.describe());
    }
  }

  /**
   * Which OpenSSL is bound (library, version) or why none is; for logs and operators. {@link
   * Choices#MEASURED} uses OpenSSL exactly when this starts with "OpenSSL".
   */
  public static String openSslStatus() {
    return OpenSsl.describe();
  }

  /** The injected randomness, also for IVs, nonces and SPIs chosen by protocol code. */
  public SecureRandom random() {
    return random;
  }

  public Choices choices() {
    return choices;
  }

  /** True when this provider implements {@code transform} (every non-REFUSED algorithm). */
  public boolean supports(Transform transform) {
    if (transform.algorithm().support() == Support.REFUSED) {
      return false;
    }
    return switch (transform.algorithm()) {
      case EncryptionAlgorithm e -> e == EncryptionAlgorithm.TRIPLE_DES
          || e == EncryptionAlgorithm.AES_CBC || e.isAead();
      case IntegrityAlgorithm i -> i != IntegrityAlgorithm.NONE;
      case PrfAlgorithm p -> true;
      case KeyExchangeMethod k -> k != KeyExchangeMethod.NONE;
      default -> false;
    };
  }

  /** Cipher key length in octets for an ENCR transform (without any salt). */
  public static int keyLength(Transform encryption) {
    EncryptionAlgorithm e = encryptionAlgorithm(encryption);
    return switch (e) {
      case TRIPLE_DES -> 24;
      case CHACHA20_POLY1305 -> 32;
      default -> encryption.keyLength() / 8;
    };
  }

  /**
   * Salt octets drawn from the key material after the cipher key: 4 for AES-GCM (RFC 4106 section
   * 8.1, RFC 5282 section 7.1) and ChaCha20-Poly1305 (RFC 7634 section 2), 0 otherwise.
   */
  public static int saltLength(Transform encryption) {
    return encryptionAlgorithm(encryption).isAead() ? 4 : 0;
  }

  /** ICV length in octets of an AEAD transform (8, 12 or 16; RFC 4106 section 8). */
  public static int tagLength(Transform encryption) {
    return switch (encryptionAlgorithm(encryption)) {
      case AES_GCM_8 -> 8;
      case AES_GCM_12 -> 12;
      case AES_GCM_16, CHACHA20_POLY1305 -> 16;
      default -> throw new IllegalArgumentException(encryption + " is not an AEAD cipher");
    };
  }

  /** Key length in octets of an INTEG transform (RFC 2404, RFC 4868, RFC 3566, RFC 4494). */
  public static int integrityKeyLength(Transform integrity) {
    return switch (integrityAlgorithm(integrity)) {
      case HMAC_SHA1_96 -> 20;
      case HMAC_SHA2_256_128 -> 32;
      case HMAC_SHA2_384_192 -> 48;
      case HMAC_SHA2_512_256 -> 64;
      case AES_XCBC_96, AES_CMAC_96 -> 16;
      default -> throw unsupported(integrity);
    };
  }

  /** ICV length in octets of an INTEG transform. */
  public static int icvLength(Transform integrity) {
    return switch (integrityAlgorithm(integrity)) {
      case HMAC_SHA1_96, AES_XCBC_96, AES_CMAC_96 -> 12;
      case HMAC_SHA2_256_128 -> 16;
      case HMAC_SHA2_384_192 -> 24;
      case HMAC_SHA2_512_256 -> 32;
      default -> throw unsupported(integrity);
    };
  }

  /** A keyed AEAD cipher; {@code key} is the cipher key without the salt. */
  public Aead aead(Transform encryption, Secret key) {
    EncryptionAlgorithm e = encryptionAlgorithm(encryption);
    byte[] k = checkedKey(encryption, key, keyLength(encryption));
    try {
      return switch (e) {
        // SunJCE refuses GCM tags below 96 bits, so without OpenSSL the 8-octet ICV runs on BC.
        case AES_GCM_8 -> choices.aesGcm() == Backend.OPENSSL
            ? OpenSsl.aead(e, k, 8)
            : BcAead.aesGcm(k, 8);
        case AES_GCM_12, AES_GCM_16 -> switch (choices.aesGcm()) {
          case OPENSSL -> OpenSsl.aead(e, k, tagLength(encryption));
          case JCE -> JceAead.aesGcm(k, tagLength(encryption));
          case BOUNCY_CASTLE -> BcAead.aesGcm(k, tagLength(encryption));
        };
        case CHACHA20_POLY1305 -> switch (choices.chaCha20Poly1305()) {
          case OPENSSL -> OpenSsl.aead(e, k, 16);
          case JCE -> JceAead.chaCha20Poly1305(k);
          case BOUNCY_CASTLE -> BcAead.chaCha20Poly1305(k);
        };
        default -> throw new IllegalArgumentException(encryption + " is not an AEAD cipher");
      };
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** A keyed CBC cipher for AES-CBC or 3DES-CBC (the latter logged as legacy). */
  public Encryptor encryptor(Transform encryption, Secret key) {
    EncryptionAlgorithm e = encryptionAlgorithm(encryption);
    warnIfLegacy(encryption);
    byte[] k = checkedKey(encryption, key, keyLength(encryption));
    try {
      return switch (e) {
        case AES_CBC -> JceCbc.aes(k);
        case TRIPLE_DES -> JceCbc.tripleDes(k);
        default -> throw new IllegalArgumentException(encryption + " is not a CBC cipher");
      };
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** A keyed integrity algorithm. */
  public Integrity integrity(Transform integrity, Secret key) {
    byte[] k = checkedKey(integrity, key, integrityKeyLength(integrity));
    try {
      MacEngine engine = switch (integrityAlgorithm(integrity)) {
        case HMAC_SHA1_96 -> hmac(PrfAlgorithm.HMAC_SHA1);
        case HMAC_SHA2_256_128 -> hmac(PrfAlgorithm.HMAC_SHA2_256);
        case HMAC_SHA2_384_192 -> hmac(PrfAlgorithm.HMAC_SHA2_384);
        case HMAC_SHA2_512_256 -> hmac(PrfAlgorithm.HMAC_SHA2_512);
        case AES_XCBC_96 -> new BcMacEngine(new AesXcbcMac());
        case AES_CMAC_96 -> new BcMacEngine(new CMac(AESEngine.newInstance()));
        default -> throw unsupported(integrity);
      };
      return new MacIntegrity(engine, k, icvLength(integrity));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** A PRF (keyed per call). */
  public Prf prf(Transform prf) {
    if (!(prf.algorithm() instanceof PrfAlgorithm p) || p.support() == Support.REFUSED) {
      throw unsupported(prf);
    }
    MacEngine engine = switch (p) {
      case AES128_XCBC -> new BcMacEngine(new AesXcbcMac());
      case AES128_CMAC -> new BcMacEngine(new CMac(AESEngine.newInstance()));
      default -> hmac(p);
    };
    return new MacPrf(p, engine);
  }

  private MacEngine hmac(PrfAlgorithm hash) {
    if (choices.hmac() == Backend.JCE) {
      return new JceHmacEngine(switch (hash) {
        case HMAC_SHA1 -> "HmacSHA1";
        case HMAC_SHA2_256 -> "HmacSHA256";
        case HMAC_SHA2_384 -> "HmacSHA384";
        case HMAC_SHA2_512 -> "HmacSHA512";
        default -> throw new IllegalArgumentException(hash + " is not an HMAC");
      });
    }
    return new BcMacEngine(new HMac(switch (hash) {
      case HMAC_SHA1 -> new SHA1Digest();
      case HMAC_SHA2_256 -> new SHA256Digest();
      case HMAC_SHA2_384 -> new SHA384Digest();
      case HMAC_SHA2_512 -> new SHA512Digest();
      default -> throw new IllegalArgumentException(hash + " is not an HMAC");
    }));
  }

  /** A fresh key exchange (new private value from {@link #random()}). */
  public KeyExchange keyExchange(Transform keyExchange) {
    if (!(keyExchange.algorithm() instanceof KeyExchangeMethod m) || m.support() == Support.REFUSED) {
      throw unsupported(keyExchange);
    }
    warnIfLegacy(keyExchange);
    return switch (m) {
      case ECP_256, ECP_384, ECP_521 -> EcpKeyExchange.generate(m, choices.ecp(), random);
      case CURVE_25519, CURVE_448 -> {
        byte[] scalar = new byte[XdhKeyExchange.length(m)];
        random.nextBytes(scalar);
        XdhKeyExchange exchange = new XdhKeyExchange(m, choices.xdh(), scalar);
        Arrays.fill(scalar, (byte) 0);
        yield exchange;
      }
      default -> ModpKeyExchange.generate(
          ModpGroup.of(m).orElseThrow(() -> unsupported(keyExchange)), random);
    };
  }

  /** RFC 8221/8247 "SHOULD NOT" algorithms run only with a warning each time an SA uses one. */
  private static void warnIfLegacy(Transform t) {
    if (t.algorithm().support() == Support.LEGACY) {
      LOG.warn("using legacy algorithm {}: {}", t, t.algorithm().supportNote());
    }
  }

  private static EncryptionAlgorithm encryptionAlgorithm(Transform t) {
    if (t.algorithm() instanceof EncryptionAlgorithm e && e.support() != Support.REFUSED) {
      return e;
    }
    throw unsupported(t);
  }

  private static IntegrityAlgorithm integrityAlgorithm(Transform t) {
    if (t.algorithm() instanceof IntegrityAlgorithm i && i.support() != Support.REFUSED) {
      return i;
    }
    throw unsupported(t);
  }

  private static byte[] checkedKey(Transform t, Secret key, int expected) {
    if (key.length() != expected) {
      throw new IllegalArgumentException(
          t + " needs a " + expected + "-octet key, got " + key.length() + " octets");
    }
    return key.reveal();
  }

  private static IllegalArgumentException unsupported(Transform t) {
    String note = t.algorithm().supportNote();
    return new IllegalArgumentException(
        t + " is not implemented by this provider" + (note.isEmpty() ? "" : ": " + note));
  }
}
