package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.Algorithm;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Support;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The registry and the provider agree: every non-refused algorithm is implemented. */
class CryptoProviderTest {
  private final CryptoProvider provider = new CryptoProvider(new SecureRandom());

  private static List<Transform> transforms() {
    List<Transform> out = new ArrayList<>();
    Stream.of(EncryptionAlgorithm.values(), IntegrityAlgorithm.values(), PrfAlgorithm.values(),
        KeyExchangeMethod.values()).flatMap(Stream::of).forEach(a -> {
          if (a instanceof EncryptionAlgorithm e && e.needsKeyLength()) {
            e.keyLengths().forEach(bits -> out.add(Transform.of(e, bits)));
          } else {
            out.add(Transform.of((Algorithm) a));
          }
        });
    return out;
  }

  @Test
  void everySupportedOrLegacyTransformBuildsAndRefusedOnesDoNot() throws Exception {
    for (Transform t : transforms()) {
      boolean refused = t.algorithm().support() == Support.REFUSED;
      boolean none = t.algorithm() == IntegrityAlgorithm.NONE || t.algorithm() == KeyExchangeMethod.NONE;
      assertEquals(!refused && !none, provider.supports(t), t.toString());
      if (refused || none) {
        continue;
      }
      switch (t.algorithm()) {
        case EncryptionAlgorithm e when e.isAead() -> assertEquals(CryptoProvider.tagLength(t),
            provider.aead(t, Secret.of(new byte[CryptoProvider.keyLength(t)])).tagLength());
        case EncryptionAlgorithm e -> assertEquals(CryptoProvider.keyLength(t),
            provider.encryptor(t, Secret.of(new byte[CryptoProvider.keyLength(t)])).keyLength());
        case IntegrityAlgorithm i -> assertEquals(CryptoProvider.icvLength(t), provider
            .integrity(t, Secret.of(new byte[CryptoProvider.integrityKeyLength(t)])).icvLength());
        case PrfAlgorithm p -> assertTrue(provider.prf(t).outputLength() >= 16);
        case KeyExchangeMethod k -> {
          KeyExchange a = provider.keyExchange(t);
          KeyExchange b = provider.keyExchange(t);
          assertEquals(a.computeSharedSecret(b.publicValue()), b.computeSharedSecret(a.publicValue()));
        }
        default -> throw new AssertionError(t);
      }
    }
  }

  @Test
  void refusedTransformsAndWrongKeysGiveClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> provider.encryptor(Transform.of(EncryptionAlgorithm.DES), Secret.of(new byte[8])));
    assertTrue(e.getMessage().contains("MUST NOT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> provider.aead(
        Transform.of(EncryptionAlgorithm.AES_GCM_16, 256), Secret.of(new byte[16])));
    assertTrue(e.getMessage().contains("32-octet key"), e.getMessage());
    assertFalse(e.getMessage().contains("00"), "no key bytes in messages");
  }

  @Test
  void destroyedSecretsRefuseToReveal() {
    Secret s = Secret.of(new byte[] {1, 2, 3});
    s.destroy();
    assertTrue(s.isDestroyed());
    assertThrows(IllegalStateException.class, s::reveal);
  }

  @Test
  void openSslIsPreferredForTheAeadsEcpAndXdhAndEachFallsBackToItsMeasuredLibrary() {
    CryptoProvider.Choices with = CryptoProvider.Choices.measured(true);
    CryptoProvider.Choices without = CryptoProvider.Choices.measured(false);
    assertEquals(new CryptoProvider.Choices(Backend.OPENSSL, Backend.OPENSSL, Backend.JCE,
        Backend.OPENSSL, Backend.OPENSSL), with);
    assertEquals(new CryptoProvider.Choices(Backend.JCE, Backend.JCE, Backend.JCE,
        Backend.BOUNCY_CASTLE, Backend.BOUNCY_CASTLE), without);
    assertEquals(CryptoProvider.Choices.measured(OpenSsl.available()),
        CryptoProvider.Choices.MEASURED);
  }

  @Test
  void openSslIsRefusedWhereItIsNotBound() {
    assertThrows(IllegalArgumentException.class, () -> new CryptoProvider.Choices(Backend.JCE,
        Backend.JCE, Backend.OPENSSL, Backend.BOUNCY_CASTLE, Backend.BOUNCY_CASTLE));
    CryptoProvider.Choices openSsl = CryptoProvider.Choices.all(Backend.OPENSSL);
    if (OpenSsl.available()) {
      assertEquals(openSsl, new CryptoProvider(new SecureRandom(), openSsl).choices());
    } else {
      // Asking for OpenSSL where it is not bound fails at construction, saying why.
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new CryptoProvider(new SecureRandom(), openSsl));
      assertTrue(e.getMessage().contains(CryptoProvider.openSslStatus()), e.getMessage());
      CryptoProvider.Choices xdhOnly = new CryptoProvider.Choices(Backend.JCE, Backend.JCE,
          Backend.JCE, Backend.BOUNCY_CASTLE, Backend.OPENSSL);
      assertThrows(IllegalStateException.class,
          () -> new CryptoProvider(new SecureRandom(), xdhOnly));
    }
  }
}
