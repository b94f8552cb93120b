package dev.ferry.vpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.vpn.core.crypto.Aead;
import dev.ferry.vpn.core.crypto.Backend;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link EspVectorTest} (RFC 4106 with 8/12/16-octet ICVs, the RFC 7634 ESP packet,
 * Wycheproof AES-GCM and ChaCha20-Poly1305 including the invalid cases) against OpenSSL's AEADs,
 * forced through a crypto provider whose AEAD choices are {@link Backend#OPENSSL}, plus a
 * cross-check with the JCE/Bouncy Castle AEADs on random inputs. An IT because the OpenSSL binding
 * lives in vpn-core's {@code META-INF/versions/22}, which only the packaged jar shows.
 *
 * <p>In CI (environment variable {@code CI} set) OpenSSL must be usable: the data plane's speed
 * depends on it, so silently falling back would hide a regression. Elsewhere a machine without
 * libcrypto skips with the reason.
 */
class OpenSslAeadIT extends EspVectorTest {
  private static final CryptoProvider PROVIDER = new CryptoProvider(new java.security.SecureRandom(),
      CryptoProvider.Choices.all(Backend.JCE));
  private static final List<Transform> SUITES = List.of(
      Transform.of(EncryptionAlgorithm.AES_GCM_16, 128),
      Transform.of(EncryptionAlgorithm.AES_GCM_16, 256),
      Transform.of(EncryptionAlgorithm.AES_GCM_12, 192),
      Transform.of(EncryptionAlgorithm.AES_GCM_8, 128),
      Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305));

  private static CryptoProvider openSsl;

  @BeforeAll
  static void openSslIsUsable() {
    boolean bound = CryptoProvider.openSslStatus().startsWith("OpenSSL");
    if (System.getenv("CI") == null) {
      assumeTrue(bound, CryptoProvider::openSslStatus);
    }
    assertTrue(bound, CryptoProvider::openSslStatus);
    openSsl = new CryptoProvider(new java.security.SecureRandom(),
        CryptoProvider.Choices.all(Backend.OPENSSL));
  }

  @Override
  Aead aead(Transform encryption, byte[] key) {
    Aead aead = openSsl.aead(encryption, Secret.of(key));
    assertTrue(aead.toString().startsWith("OpenSslAead"), aead::toString);
    return aead;
  }

  @Test
  void theMeasuredChoiceIsOpenSsl() {
    assertEquals(Backend.OPENSSL, CryptoProvider.Choices.MEASURED.aesGcm());
    assertEquals(Backend.OPENSSL, CryptoProvider.Choices.MEASURED.chaCha20Poly1305());
  }

  @Test
  void sealsExactlyAsTheProviderAndOpensOnlyTheIntactOutput() {
    Random random = new Random(7);
    for (Transform suite : SUITES) {
      for (int round = 0; round < 200; round++) {
        byte[] key = new byte[CryptoProvider.keyLength(suite)];
        random.nextBytes(key);
        Aead ours = aead(suite, key);
        Aead reference = PROVIDER.aead(suite, Secret.of(key));
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] aad = new byte[random.nextBoolean() ? 8 : 12];
        random.nextBytes(aad);
        int length = random.nextInt(1600);
        int offset = random.nextInt(40);
        byte[] buf = new byte[offset + length + ours.tagLength() + random.nextInt(8)];
        random.nextBytes(buf);
        byte[] expected = buf.clone();
        assertEquals(length + ours.tagLength(), ours.seal(nonce, aad, buf, offset, length));
        reference.seal(nonce, aad, expected, offset, length);
        assertArrayEquals(expected, buf, () -> suite + " length " + length);

        byte[] tampered = buf.clone();
        int flip = offset + random.nextInt(length + ours.tagLength());
        tampered[flip] ^= (byte) (1 << random.nextInt(8));
        assertEquals(-1, ours.open(nonce, aad, tampered, offset, length + ours.tagLength()));
        // RFC 5116 section 2.2: a failed open releases nothing of the unauthenticated plaintext.
        byte[] zeros = new byte[length + ours.tagLength()];
        assertArrayEquals(zeros,
            Arrays.copyOfRange(tampered, offset, offset + length + ours.tagLength()));

        byte[] wrongAad = aad.clone();
        wrongAad[0] ^= 1;
        byte[] copy = buf.clone();
        assertEquals(-1, ours.open(nonce, wrongAad, copy, offset, length + ours.tagLength()));

        assertEquals(length, ours.open(nonce, aad, buf, offset, length + ours.tagLength()));
        assertEquals(length, reference.open(nonce, aad, expected, offset,
            length + ours.tagLength()));
        assertArrayEquals(expected, buf);
      }
    }
  }

  @Test
  void refusesMalformedCallsLikeTheProvider() {
    Aead gcm = aead(Transform.of(EncryptionAlgorithm.AES_GCM_16, 128), new byte[16]);
    byte[] buf = new byte[64];
    assertThrows(IllegalArgumentException.class,
        () -> gcm.seal(new byte[12], new byte[8], buf, 0, 60)); // no room for the tag
    assertThrows(IllegalArgumentException.class,
        () -> gcm.seal(new byte[8], new byte[8], buf, 0, 16)); // ESP nonces are 12 octets
    assertEquals(-1, gcm.open(new byte[12], new byte[8], buf, 0, 15)); // shorter than a tag
    assertEquals(-1, gcm.open(new byte[12], new byte[8], buf, 60, 16)); // beyond the buffer
    assertEquals(-1, gcm.open(null, new byte[8], buf, 0, 32));
    assertThrows(IllegalArgumentException.class, () -> openSsl.aead(
        Transform.of(EncryptionAlgorithm.AES_GCM_16, 128), Secret.of(new byte[32])));
  }

  @Test
  void theSaPathUsesOpenSsl() {
    EspCipherFactory factory = new EspCipherFactory(EspFixtures.crypto(11),
        dev.ferry.vpn.core.proposal.Proposal.parse("aes128gcm16",
            dev.ferry.vpn.core.proposal.Protocol.ESP),
        new dev.ferry.vpn.core.sa.ChildSaKeys(Secret.of(new byte[16]), Secret.of(new byte[4]),
            Secret.of(new byte[0])), false);
    assertTrue(factory.create().toString().contains("OpenSslAead"), () -> factory.create()
        .toString());
  }

  /**
   * One instance carries packet after packet, as an SA does: AES-GCM on OpenSSL 3 sets each
   * packet's IV (and, opening, its tag) through EVP_CIPHER_CTX_set_params, the other instance
   * (made with the property off) re-initialises per packet; both must agree with the provider
   * for every packet, and a failed open in between must not disturb the next packets.
   */
  @Test
  void longLivedInstancesAgreePacketAfterPacketOnBothOpenSslPaths() {
    Random random = new Random(13);
    String property = "dev.ferry.vpn.crypto.openssl.gcm-params";
    for (Transform suite : SUITES) {
      byte[] key = new byte[CryptoProvider.keyLength(suite)];
      random.nextBytes(key);
      Aead byParams = aead(suite, key);
      System.setProperty(property, "off");
      Aead byInit;
      try {
        byInit = aead(suite, key);
      } finally {
        System.clearProperty(property);
      }
      boolean gcm = suite.algorithm() != EncryptionAlgorithm.CHACHA20_POLY1305;
      assertEquals(gcm, byParams.toString().contains("IV by params"), byParams::toString);
      assertTrue(!byInit.toString().contains("IV by params"), byInit::toString);
      Aead reference = PROVIDER.aead(suite, Secret.of(key));
      for (int packet = 0; packet < 300; packet++) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] aad = new byte[packet % 2 == 0 ? 8 : 12];
        random.nextBytes(aad);
        int length = random.nextInt(1500);
        byte[] plain = new byte[length + byParams.tagLength()];
        random.nextBytes(plain);
        byte[] expected = plain.clone();
        reference.seal(nonce, aad, expected, 0, length);
        byte[] viaParams = plain.clone();
        byte[] viaInit = plain.clone();
        byParams.seal(nonce, aad, viaParams, 0, length);
        byInit.seal(nonce, aad, viaInit, 0, length);
        int n = packet;
        assertArrayEquals(expected, viaParams, () -> suite + " packet " + n + " by params");
        assertArrayEquals(expected, viaInit, () -> suite + " packet " + n + " by init");
        if (packet % 7 == 3) { // a forged packet between good ones
          byte[] forged = expected.clone();
          forged[random.nextInt(forged.length)] ^= 1;
          assertEquals(-1, byParams.open(nonce, aad, forged.clone(), 0, forged.length));
          assertEquals(-1, byInit.open(nonce, aad, forged, 0, forged.length));
        }
        byte[] openedByParams = expected.clone();
        byte[] openedByInit = expected.clone();
        assertEquals(length, byParams.open(nonce, aad, openedByParams, 0, expected.length));
        assertEquals(length, byInit.open(nonce, aad, openedByInit, 0, expected.length));
        assertArrayEquals(Arrays.copyOf(plain, length), Arrays.copyOf(openedByParams, length));
        assertArrayEquals(Arrays.copyOf(plain, length), Arrays.copyOf(openedByInit, length));
      }
    }
  }
}
