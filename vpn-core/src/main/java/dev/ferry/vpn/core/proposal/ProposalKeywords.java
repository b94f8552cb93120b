package dev.ferry.vpn.core.proposal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * strongSwan's proposal keywords ({@code proposal_keywords_static.txt} and the curve25519/448 and
 * ML-KEM additions of later releases), mapped to {@link Transform}s, and the one canonical keyword
 * of each transform used when formatting.
 *
 * <p>Aliases: {@code aes} is {@code aes128}; the ICV length of GCM/CCM may be given in octets or
 * bits ({@code aes128gcm16} = {@code aes128gcm128}); {@code sha} is {@code sha1}; {@code sha2_256}
 * is {@code sha256}; {@code curve25519} is {@code x25519}. Keywords are matched without regard to
 * case and formatted in lower case.
 */
public final class ProposalKeywords {

  private static final Map<String, Transform> BY_KEYWORD = new HashMap<>();
  private static final Map<Transform, String> CANONICAL = new HashMap<>();

  /** strongSwan keywords for algorithms outside the IKEv2 registry, with why they are refused. */
  private static final Map<String, String> FOREIGN = new HashMap<>();

  private static final List<Integer> AES_SIZES = List.of(128, 192, 256);

  static {
    EncryptionAlgorithm[][] aeadIcv = {
      {EncryptionAlgorithm.AES_GCM_8, EncryptionAlgorithm.AES_GCM_12, EncryptionAlgorithm.AES_GCM_16},
      {EncryptionAlgorithm.AES_CCM_8, EncryptionAlgorithm.AES_CCM_12, EncryptionAlgorithm.AES_CCM_16},
      {EncryptionAlgorithm.CAMELLIA_CCM_8, EncryptionAlgorithm.CAMELLIA_CCM_12,
        EncryptionAlgorithm.CAMELLIA_CCM_16},
    };
    String[] aeadNames = {"aes%dgcm", "aes%dccm", "camellia%dccm"};
    int[] icvOctets = {8, 12, 16};
    for (int size : AES_SIZES) {
      add("aes" + size, Transform.of(EncryptionAlgorithm.AES_CBC, size));
      add("aes" + size + "ctr", Transform.of(EncryptionAlgorithm.AES_CTR, size));
      add("aes" + size + "gmac", Transform.of(EncryptionAlgorithm.NULL_AUTH_AES_GMAC, size));
      add("camellia" + size, Transform.of(EncryptionAlgorithm.CAMELLIA_CBC, size));
      add("camellia" + size + "ctr", Transform.of(EncryptionAlgorithm.CAMELLIA_CTR, size));
      for (int family = 0; family < aeadNames.length; family++) {
        for (int i = 0; i < icvOctets.length; i++) {
          Transform t = Transform.of(aeadIcv[family][i], size);
          String base = String.format(Locale.ROOT, aeadNames[family], size);
          add(base + icvOctets[i], t); // canonical: ICV length in octets
          alias(base + icvOctets[i] * 8, t); // strongSwan also accepts it in bits
        }
      }
    }
    alias("aes", Transform.of(EncryptionAlgorithm.AES_CBC, 128));
    alias("camellia", Transform.of(EncryptionAlgorithm.CAMELLIA_CBC, 128));
    add("3des", Transform.of(EncryptionAlgorithm.TRIPLE_DES));
    add("des", Transform.of(EncryptionAlgorithm.DES));
    add("null", Transform.of(EncryptionAlgorithm.NULL));
    add("cast128", Transform.of(EncryptionAlgorithm.CAST));
    add("blowfish", Transform.of(EncryptionAlgorithm.BLOWFISH));
    for (int size : AES_SIZES) {
      alias("blowfish" + size, Transform.of(EncryptionAlgorithm.BLOWFISH));
    }
    add("chacha20poly1305", Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305));

    add("md5", Transform.of(IntegrityAlgorithm.HMAC_MD5_96));
    add("md5_128", Transform.of(IntegrityAlgorithm.HMAC_MD5_128));
    add("sha1", Transform.of(IntegrityAlgorithm.HMAC_SHA1_96));
    alias("sha", Transform.of(IntegrityAlgorithm.HMAC_SHA1_96));
    add("sha1_160", Transform.of(IntegrityAlgorithm.HMAC_SHA1_160));
    add("aesxcbc", Transform.of(IntegrityAlgorithm.AES_XCBC_96));
    add("aescmac", Transform.of(IntegrityAlgorithm.AES_CMAC_96));
    add("sha256", Transform.of(IntegrityAlgorithm.HMAC_SHA2_256_128));
    alias("sha2_256", Transform.of(IntegrityAlgorithm.HMAC_SHA2_256_128));
    add("sha384", Transform.of(IntegrityAlgorithm.HMAC_SHA2_384_192));
    alias("sha2_384", Transform.of(IntegrityAlgorithm.HMAC_SHA2_384_192));
    add("sha512", Transform.of(IntegrityAlgorithm.HMAC_SHA2_512_256));
    alias("sha2_512", Transform.of(IntegrityAlgorithm.HMAC_SHA2_512_256));

    add("prfmd5", Transform.of(PrfAlgorithm.HMAC_MD5));
    add("prfsha1", Transform.of(PrfAlgorithm.HMAC_SHA1));
    add("prfaesxcbc", Transform.of(PrfAlgorithm.AES128_XCBC));
    add("prfsha256", Transform.of(PrfAlgorithm.HMAC_SHA2_256));
    add("prfsha384", Transform.of(PrfAlgorithm.HMAC_SHA2_384));
    add("prfsha512", Transform.of(PrfAlgorithm.HMAC_SHA2_512));
    add("prfaescmac", Transform.of(PrfAlgorithm.AES128_CMAC));

    add("modpnone", Transform.of(KeyExchangeMethod.NONE));
    String[][] groups = {
      {"modp768", "MODP_768"}, {"modp1024", "MODP_1024"}, {"modp1536", "MODP_1536"},
      {"modp2048", "MODP_2048"}, {"modp3072", "MODP_3072"}, {"modp4096", "MODP_4096"},
      {"modp6144", "MODP_6144"}, {"modp8192", "MODP_8192"}, {"ecp256", "ECP_256"},
      {"ecp384", "ECP_384"}, {"ecp521", "ECP_521"}, {"modp1024s160", "MODP_1024_160"},
      {"modp2048s224", "MODP_2048_224"}, {"modp2048s256", "MODP_2048_256"},
      {"ecp192", "ECP_192"}, {"ecp224", "ECP_224"}, {"ecp224bp", "ECP_224_BP"},
      {"ecp256bp", "ECP_256_BP"}, {"ecp384bp", "ECP_384_BP"}, {"ecp512bp", "ECP_512_BP"},
      {"x25519", "CURVE_25519"}, {"x448", "CURVE_448"}, {"mlkem512", "ML_KEM_512"},
      {"mlkem768", "ML_KEM_768"}, {"mlkem1024", "ML_KEM_1024"},
    };
    for (String[] g : groups) {
      add(g[0], Transform.of(KeyExchangeMethod.valueOf(g[1])));
    }
    alias("curve25519", Transform.of(KeyExchangeMethod.CURVE_25519));
    alias("curve448", Transform.of(KeyExchangeMethod.CURVE_448));

    add("noesn", Transform.of(EsnMode.NO_ESN));
    add("esn", Transform.of(EsnMode.ESN));

    String outside = "a strongSwan algorithm outside the IKEv2 registry; not supported";
    for (String k : List.of("serpent", "twofish")) {
      FOREIGN.put(k, outside);
      for (int size : AES_SIZES) {
        FOREIGN.put(k + size, outside);
      }
    }
    for (String k : List.of("sha256_96", "sha2_256_96", "camelliaxcbc", "prfcamelliaxcbc",
        "ntru112", "ntru128", "ntru192", "ntru256", "newhope128", "modpnull")) {
      FOREIGN.put(k, outside);
    }
  }

  private ProposalKeywords() {}

  private static void add(String keyword, Transform transform) {
    alias(keyword, transform);
    CANONICAL.put(transform, keyword);
  }

  private static void alias(String keyword, Transform transform) {
    BY_KEYWORD.put(keyword, transform);
  }

  /** The transform a keyword stands for, ignoring case; empty when strongSwan has no such name. */
  public static Optional<Transform> lookup(String keyword) {
    return Optional.ofNullable(BY_KEYWORD.get(keyword.toLowerCase(Locale.ROOT)));
  }

  /** Why a known strongSwan keyword that has no IKEv2 registry entry is refused, if it is one. */
  static Optional<String> foreignKeyword(String keyword) {
    return Optional.ofNullable(FOREIGN.get(keyword.toLowerCase(Locale.ROOT)));
  }

  /** The canonical keyword of a transform; empty for IDs strongSwan has no keyword for. */
  public static Optional<String> keywordOf(Transform transform) {
    return Optional.ofNullable(CANONICAL.get(transform));
  }

  /** Every canonical keyword, for tests and documentation. */
  public static Map<Transform, String> canonicalKeywords() {
    return Map.copyOf(CANONICAL);
  }
}
