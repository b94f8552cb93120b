package dev.ferry.vpn.ike.crypto;

import static dev.ferry.vpn.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.testing.Vectors;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SK payload bodies from the Android IKE library's tests, sealed and opened. */
class SkProtectorVectorTest {
  private static final CryptoProvider PROVIDER = new CryptoProvider(new SecureRandom());

  static Map<String, Object> vector(String name) {
    return Vectors.vectors("android-ike-keys-and-messages.json").stream()
        .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow();
  }

  /** Keys with only the direction-I fields set (the vectors give one direction). */
  static IkeKeys keys(byte[] encr, byte[] integ) {
    Secret none = Secret.of(new byte[0]);
    return new IkeKeys(none, Secret.of(integ), none, Secret.of(encr), none, none, none);
  }

  static IvSource fixed(byte[] iv) {
    return (out, off, len) -> System.arraycopy(iv, 0, out, off, len);
  }

  static SkProtector protector(String proposal, IkeKeys keys, byte[] iv) {
    return IkeCryptoSuite.of(Proposal.parse(proposal, Protocol.IKE))
        .protector(PROVIDER, keys, Direction.INITIATOR_TO_RESPONDER, fixed(iv));
  }

  static byte[] concat(byte[]... parts) {
    return IkeCryptoSuite.concat(parts);
  }

  @Test
  void aesCbcHmacSha1IkeAuthRequest() {
    Map<String, Object> v = vector("ike_auth_request_aes_cbc_hmac_sha1");
    SkProtector sk = protector("aes128-sha1-prfsha1-modp2048",
        keys(hex(v, "encr_key"), hex(v, "integ_key")), hex(v, "iv"));
    byte[] aad = concat(hex(v, "ike_header"), hex(v, "sk_payload_header"));
    byte[] plaintext = hex(v, "plaintext");
    byte[] body = concat(hex(v, "iv"), hex(v, "ciphertext"), hex(v, "icv"));
    assertEquals(body.length, sk.bodyLength(plaintext.length));
    assertArrayEquals(body, sk.seal(aad, plaintext));
    byte[] message = hex(v, "ike_message");
    assertArrayEquals(plaintext, sk.open(aad, message, aad.length, message.length - aad.length));
    message[message.length - 1] ^= 1;
    assertNull(sk.open(aad, message, aad.length, message.length - aad.length));
  }

  @Test
  void tripleDesHmacSha1Message() {
    Map<String, Object> v = vector("ike_message_3des_hmac_sha1");
    byte[] message = hex(v, "ike_message");
    byte[] body = concat(hex(v, "iv"), hex(v, "ciphertext"), hex(v, "icv"));
    int aadLength = message.length - body.length;
    SkProtector sk = protector("3des-sha1-prfsha1-modp2048",
        keys(hex(v, "encr_key"), hex(v, "integ_key")), hex(v, "iv"));
    assertArrayEquals(hex(v, "decrypted_body"),
        sk.open(Arrays.copyOf(message, aadLength), message, aadLength, body.length));
    assertEquals(body.length, sk.bodyLength(hex(v, "decrypted_body").length));
  }

  @Test
  void aesGcm16SealMatchesTheCipherTest() {
    Map<String, Object> v = vector("ike_sk_aes_gcm16_256_cipher_test");
    SkProtector sk = protector("aes256gcm16-prfsha256-modp2048", keys(hex(v, "keymat"), new byte[0]),
        hex(v, "iv"));
    byte[] padded = hex(v, "plaintext");
    // The vector's plaintext ends with Pad Length 0, which is what seal adds.
    byte[] payloads = Arrays.copyOf(padded, padded.length - 1);
    byte[] body = concat(hex(v, "iv"), hex(v, "ciphertext"), hex(v, "icv"));
    assertArrayEquals(body, sk.seal(hex(v, "aad"), payloads));
    assertArrayEquals(payloads, sk.open(hex(v, "aad"), body, 0, body.length));
  }

  @Test
  void aesGcm16MessageAndFragmentOpen() {
    for (String name : new String[] {"ike_message_aes_gcm16_256", "ike_fragment_aes_gcm16_256"}) {
      Map<String, Object> v = vector(name);
      byte[] aad = hex(v, "aad");
      byte[] message = hex(v, "ike_message");
      SkProtector sk = protector("aes256gcm16-prfsha256-modp2048", keys(hex(v, "keymat"), new byte[0]),
          new byte[8]);
      assertArrayEquals(hex(v, "decrypted_body"),
          sk.open(aad, message, aad.length, message.length - aad.length), name);
      byte[] otherAad = aad.clone();
      otherAad[0] ^= 1;
      assertNull(sk.open(otherAad, message, aad.length, message.length - aad.length), name);
    }
  }
}
