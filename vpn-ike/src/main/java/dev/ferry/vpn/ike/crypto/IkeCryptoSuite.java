package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.proposal.TransformType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The negotiated IKE SA transforms and the key derivations built on them: SKEYSEED and SK_*
 * (RFC 7296 section 2.14), the rekeyed SKEYSEED (section 2.18), CHILD SA KEYMAT (section 2.17)
 * and the SK payload protectors. All primitives come from a {@link CryptoProvider}.
 *
 * @param encryption the ENCR transform
 * @param integrity the INTEG transform; {@link IntegrityAlgorithm#NONE} exactly for AEAD ciphers
 * @param prf the PRF transform
 * @param keyExchange the KE transform of the IKE SA
 */
public record IkeCryptoSuite(
    Transform encryption, Transform integrity, Transform prf, Transform keyExchange) {

  private static final Transform NO_INTEGRITY = Transform.of(IntegrityAlgorithm.NONE);

  public IkeCryptoSuite {
    checkType(encryption, TransformType.ENCR, "encryption");
    checkType(integrity, TransformType.INTEG, "integrity");
    checkType(prf, TransformType.PRF, "prf");
    checkType(keyExchange, TransformType.KE, "keyExchange");
    // RFC 5282 section 8: AEAD ciphers take no INTEG transform; the others need one.
    if (encryption.isAead() != (integrity.algorithm() == IntegrityAlgorithm.NONE)) {
      throw new IllegalArgumentException(encryption.isAead()
          ? "the AEAD cipher " + encryption + " takes no integrity algorithm, not " + integrity
          : "the cipher " + encryption + " needs an integrity algorithm");
    }
  }

  private static void checkType(Transform t, TransformType type, String field) {
    Objects.requireNonNull(t, field);
    if (t.type() != type) {
      throw new IllegalArgumentException(field + " must be a " + type + " transform, not " + t);
    }
  }

  /**
   * The suite of a negotiated IKE proposal, which holds exactly one transform of each type (the
   * PRF may be implied by the integrity algorithm, see {@link Proposal#effectivePrfs()}).
   */
  public static IkeCryptoSuite of(Proposal negotiated) {
    if (negotiated.protocol() != Protocol.IKE) {
      throw new IllegalArgumentException("an IKE SA suite needs an IKE proposal, not " + negotiated);
    }
    return new IkeCryptoSuite(
        single(negotiated.encryption(), "ENCR", negotiated),
        negotiated.integrity().isEmpty() ? NO_INTEGRITY : single(negotiated.integrity(), "INTEG", negotiated),
        single(negotiated.effectivePrfs(), "PRF", negotiated),
        single(negotiated.keyExchange(), "KE", negotiated));
  }

  private static Transform single(List<Transform> list, String type, Proposal p) {
    if (list.size() != 1) {
      throw new IllegalArgumentException(
          "a negotiated proposal has exactly one " + type + " transform; " + p + " has " + list.size());
    }
    return list.get(0);
  }

  /** True for AEAD ciphers (no SK_ai/SK_ar). */
  public boolean isAead() {
    return encryption.isAead();
  }

  /** SK_ei/SK_er length in octets: cipher key plus, for AEAD, the 4-octet salt (RFC 5282 7.1). */
  public int encryptionKeyLength() {
    return CryptoProvider.keyLength(encryption) + CryptoProvider.saltLength(encryption);
  }

  /** SK_ai/SK_ar length in octets; 0 for AEAD. */
  public int integrityKeyLength() {
    return isAead() ? 0 : CryptoProvider.integrityKeyLength(integrity);
  }

  /** The PRF of this suite. */
  public Prf prf(CryptoProvider provider) {
    return provider.prf(prf);
  }

  /** SK_d/SK_pi/SK_pr length: the PRF's preferred key length (RFC 7296 section 2.14). */
  public int prfKeyLength(CryptoProvider provider) {
    return prf(provider).preferredKeyLength();
  }

  /**
   * SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 section 2.14). For AES-XCBC-PRF-128 and
   * AES-CMAC-PRF-128 only the first 64 bits of each nonce form the key (same section, for
   * backward compatibility: their key is 128 bits).
   */
  public Secret skeyseed(CryptoProvider provider, byte[] ni, byte[] nr, Secret sharedSecret) {
    PrfAlgorithm algorithm = (PrfAlgorithm) prf.algorithm();
    boolean aesPrf = algorithm == PrfAlgorithm.AES128_XCBC || algorithm == PrfAlgorithm.AES128_CMAC;
    byte[] key = aesPrf
        ? concat(Arrays.copyOf(ni, Math.min(8, ni.length)), Arrays.copyOf(nr, Math.min(8, nr.length)))
        : concat(ni, nr);
    byte[] gir = sharedSecret.reveal();
    try {
      return secret(prf(provider).compute(key, gir));
    } finally {
      Arrays.fill(gir, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * SKEYSEED for the IKE SA that rekeys this one: prf(SK_d (old), g^ir (new) | Ni | Nr) with this
   * (the old) SA's PRF (RFC 7296 section 2.18). The new SA's keys then come from the new suite's
   * {@link #keys}.
   */
  public Secret rekeySkeyseed(
      CryptoProvider provider, Secret oldSkD, Secret newSharedSecret, byte[] ni, byte[] nr) {
    byte[] key = oldSkD.reveal();
    byte[] gir = newSharedSecret.reveal();
    try {
      return secret(prf(provider).compute(key, gir, ni, nr));
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(gir, (byte) 0);
    }
  }

  /**
   * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi |
   * SPIr) (RFC 7296 section 2.14).
   */
  public IkeKeys keys(
      CryptoProvider provider, Secret skeyseed, byte[] ni, byte[] nr, long spiI, long spiR) {
    Prf function = prf(provider);
    int prfKey = function.preferredKeyLength();
    int integ = integrityKeyLength();
    int encr = encryptionKeyLength();
    byte[] seed = concat(ni, nr, ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array());
    PrfPlus stream = PrfPlus.of(function, skeyseed, seed, 3 * prfKey + 2 * integ + 2 * encr);
    return new IkeKeys(stream.next(prfKey), stream.next(integ), stream.next(integ),
        stream.next(encr), stream.next(encr), stream.next(prfKey), stream.next(prfKey));
  }

  /** {@link #skeyseed} then {@link #keys}: the keys of a new IKE SA from IKE_SA_INIT. */
  public IkeKeys deriveKeys(CryptoProvider provider, byte[] ni, byte[] nr, Secret sharedSecret,
      long spiI, long spiR) {
    return keys(provider, skeyseed(provider, ni, nr, sharedSecret), ni, nr, spiI, spiR);
  }

  /**
   * CHILD SA keys (RFC 7296 section 2.17): KEYMAT = prf+(SK_d, Ni | Nr), or with PFS prf+(SK_d,
   * g^ir (new) | Ni | Nr), split for the negotiated ESP (or AH) proposal's ENCR and INTEG.
   *
   * @param pfsSharedSecret the CREATE_CHILD_SA key exchange's g^ir, empty without PFS
   */
  public ChildKeyMaterial childSaKeys(CryptoProvider provider, Secret skD,
      Optional<Secret> pfsSharedSecret, byte[] ni, byte[] nr, Proposal child) {
    Transform encr = single(child.encryption(), "ENCR", child);
    Optional<Transform> integ = child.integrity().isEmpty()
        ? Optional.empty() : Optional.of(single(child.integrity(), "INTEG", child));
    int key = CryptoProvider.keyLength(encr);
    int salt = CryptoProvider.saltLength(encr);
    int integKey = integ.map(CryptoProvider::integrityKeyLength).orElse(0);
    byte[] gir = pfsSharedSecret.map(Secret::reveal).orElse(new byte[0]);
    byte[] seed = concat(gir, ni, nr);
    Arrays.fill(gir, (byte) 0);
    PrfPlus keymat = PrfPlus.of(prf(provider), skD, seed, 2 * (key + salt + integKey));
    Arrays.fill(seed, (byte) 0);
    ChildKeyMaterial.SaKeys out =
        new ChildKeyMaterial.SaKeys(keymat.next(key), keymat.next(salt), keymat.next(integKey));
    ChildKeyMaterial.SaKeys in =
        new ChildKeyMaterial.SaKeys(keymat.next(key), keymat.next(salt), keymat.next(integKey));
    return new ChildKeyMaterial(out, in);
  }

  /**
   * The protector for SK payloads sent in {@code direction}, with the IV source the cipher needs:
   * a counter for AEAD (IVs must not repeat), the provider's randomness for CBC (IVs must be
   * unpredictable).
   */
  public SkProtector protector(CryptoProvider provider, IkeKeys keys, Direction direction) {
    IvSource ivs = isAead()
        ? IvSource.counter(provider.random().nextLong())
        : IvSource.random(provider.random());
    return protector(provider, keys, direction, ivs);
  }

  /** As {@link #protector(CryptoProvider, IkeKeys, Direction)} with an explicit IV source. */
  public SkProtector protector(
      CryptoProvider provider, IkeKeys keys, Direction direction, IvSource ivs) {
    byte[] keymat = keys.encryptionKey(direction).reveal();
    try {
      if (keymat.length != encryptionKeyLength()) {
        throw new IllegalArgumentException("SK_e of " + keymat.length + " octets does not fit "
            + encryption + " (" + encryptionKeyLength() + " octets)");
      }
      int key = CryptoProvider.keyLength(encryption);
      Secret cipherKey = secret(Arrays.copyOf(keymat, key));
      if (isAead()) {
        // RFC 5282 section 7.1: the salt is the last 4 octets of SK_e.
        return new AeadSkProtector(provider.aead(encryption, cipherKey),
            Arrays.copyOfRange(keymat, key, keymat.length), ivs);
      }
      return new CbcSkProtector(provider.encryptor(encryption, cipherKey),
          provider.integrity(integrity, keys.integrityKey(direction)), ivs);
    } finally {
      Arrays.fill(keymat, (byte) 0);
    }
  }

  private static Secret secret(byte[] bytes) {
    Secret s = Secret.of(bytes);
    Arrays.fill(bytes, (byte) 0);
    return s;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The encryption algorithm, for callers that log the suite. */
  public EncryptionAlgorithm encryptionAlgorithm() {
    return (EncryptionAlgorithm) encryption.algorithm();
  }

  @Override
  public String toString() {
    return isAead()
        ? encryption + "-" + prf + "-" + keyExchange
        : encryption + "-" + integrity + "-" + prf + "-" + keyExchange;
  }
}
