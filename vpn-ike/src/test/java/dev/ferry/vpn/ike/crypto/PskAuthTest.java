package dev.ferry.vpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** AUTH for pre-shared keys (RFC 7296 section 2.15), checked against a plain-JCA computation. */
class PskAuthTest {
  private static final PskAuth AUTH = new PskAuth(
      new CryptoProvider(new SecureRandom()).prf(Transform.of(PrfAlgorithm.HMAC_SHA2_256)));

  private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    for (byte[] p : parts) {
      mac.update(p);
    }
    return mac.doFinal();
  }

  @Property(tries = 100)
  void authMatchesTheRfcFormulaAndVerifiesOnlyTheRightValue(
      @ForAll @Size(min = 1, max = 40) byte[] psk, @ForAll @Size(min = 1, max = 300) byte[] message,
      @ForAll @Size(min = 16, max = 64) byte[] nonce, @ForAll @Size(min = 32, max = 32) byte[] skP,
      @ForAll @Size(min = 4, max = 40) byte[] idBody) throws Exception {
    byte[] padKey = hmac(psk, "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII));
    byte[] expected = hmac(padKey, message, nonce, hmac(skP, idBody));
    byte[] auth = AUTH.compute(Secret.of(psk), message, nonce, Secret.of(skP), idBody);
    assertArrayEquals(expected, auth);
    assertTrue(AUTH.verify(expected, Secret.of(psk), message, nonce, Secret.of(skP), idBody));
    byte[] wrong = expected.clone();
    wrong[0] ^= 1;
    assertFalse(AUTH.verify(wrong, Secret.of(psk), message, nonce, Secret.of(skP), idBody));
    byte[] otherPsk = psk.clone();
    otherPsk[0] ^= 1;
    assertFalse(AUTH.verify(expected, Secret.of(otherPsk), message, nonce, Secret.of(skP), idBody));
  }
}
