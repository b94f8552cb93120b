package dev.ferry.vpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every IKE suite: SK bodies round-trip between the two peers' protectors; tampering fails. */
class SkProtectorProperties {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CryptoProvider PROVIDER = new CryptoProvider(RANDOM);

  @Provide
  Arbitrary<String> suites() {
    return Arbitraries.of(
        "aes128gcm8-prfsha256-ecp256", "aes192gcm12-prfsha384-ecp384",
        "aes256gcm16-prfsha512-x25519", "chacha20poly1305-prfsha256-x448",
        "aes128-sha1-modp2048", "aes192-sha256-modp3072", "aes256-sha384-ecp521",
        "aes256-sha512-ecp256", "aes128-aesxcbc-modp2048", "aes128-aescmac-prfaescmac-ecp256",
        "3des-sha1-modp2048");
  }

  private static IkeKeys randomKeys(IkeCryptoSuite suite) {
    byte[] skeyseed = new byte[32];
    byte[] ni = new byte[32];
    byte[] nr = new byte[32];
    RANDOM.nextBytes(skeyseed);
    RANDOM.nextBytes(ni);
    RANDOM.nextBytes(nr);
    return suite.keys(PROVIDER, Secret.of(skeyseed), ni, nr, RANDOM.nextLong(), RANDOM.nextLong());
  }

  @Property(tries = 200)
  void sealedBodiesOpenOnThePeerAndTamperedOnesDoNot(@ForAll("suites") String text,
      @ForAll Direction direction, @ForAll @Size(max = 200) byte[] payloads,
      @ForAll @Size(min = 32, max = 40) byte[] aad, @ForAll @IntRange(min = 0, max = 100_000) int flip) {
    IkeCryptoSuite suite = IkeCryptoSuite.of(Proposal.parse(text, Protocol.IKE));
    IkeKeys keys = randomKeys(suite);
    SkProtector sender = suite.protector(PROVIDER, keys, direction);
    SkProtector receiver = suite.protector(PROVIDER, keys, direction);
    byte[] body = sender.seal(aad, payloads);
    assertEquals(sender.bodyLength(payloads.length), body.length);
    byte[] framed = new byte[body.length + 7];
    System.arraycopy(body, 0, framed, 3, body.length);
    assertArrayEquals(payloads, receiver.open(aad, framed, 3, body.length));

    int bit = flip % (8 * (body.length + aad.length));
    byte[] b = body.clone();
    byte[] a = aad.clone();
    if (bit < 8 * b.length) {
      b[bit / 8] ^= (byte) (1 << (bit % 8));
    } else {
      a[bit / 8 - b.length] ^= (byte) (1 << (bit % 8));
    }
    assertNull(receiver.open(a, b, 0, b.length));
    // The other direction's keys never open it.
    Direction other = direction == Direction.INITIATOR_TO_RESPONDER
        ? Direction.RESPONDER_TO_INITIATOR : Direction.INITIATOR_TO_RESPONDER;
    assertNull(suite.protector(PROVIDER, keys, other).open(aad, body, 0, body.length));
  }

  @Property(tries = 200)
  void openNeverThrowsOnArbitraryBodies(@ForAll("suites") String text,
      @ForAll @Size(max = 120) byte[] body, @ForAll @IntRange(min = -1, max = 130) int length) {
    IkeCryptoSuite suite = IkeCryptoSuite.of(Proposal.parse(text, Protocol.IKE));
    SkProtector sk = suite.protector(PROVIDER, randomKeys(suite), Direction.INITIATOR_TO_RESPONDER);
    assertNull(sk.open(new byte[32], body, 0, length));
  }
}
