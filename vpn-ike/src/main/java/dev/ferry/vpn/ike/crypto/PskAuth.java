package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * AUTH payload data for pre-shared keys (RFC 7296 section 2.15):
 *
 * <pre>AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), &lt;SignedOctets&gt;)
 * SignedOctets = RealMessage | Nonce(peer) | prf(SK_p, RestOfIDPayload)</pre>
 *
 * For the initiator's AUTH: its IKE_SA_INIT request, Nr and SK_pi over its ID payload; for the
 * responder's: its IKE_SA_INIT response, Ni and SK_pr. RestOfIDPayload is the ID payload body
 * after the generic payload header (ID Type, the three reserved octets, identification data).
 */
public final class PskAuth {
  private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

  private final Prf prf;

  /** AUTH computations with the IKE SA's negotiated PRF. */
  public PskAuth(Prf prf) {
    this.prf = prf;
  }

  /** The AUTH data to send (or to expect). */
  public byte[] compute(Secret sharedSecret, byte[] realMessage, byte[] peerNonce, Secret skP,
      byte[] restOfIdPayload) {
    byte[] psk = sharedSecret.reveal();
    byte[] sk = skP.reveal();
    byte[] padKey = prf.compute(psk, KEY_PAD);
    try {
      byte[] macedId = prf.compute(sk, restOfIdPayload);
      return prf.compute(padKey, realMessage, peerNonce, macedId);
    } finally {
      Arrays.fill(psk, (byte) 0);
      Arrays.fill(sk, (byte) 0);
      Arrays.fill(padKey, (byte) 0);
    }
  }

  /** True when {@code receivedAuth} is the expected AUTH data; compared in constant time. */
  public boolean verify(byte[] receivedAuth, Secret sharedSecret, byte[] realMessage,
      byte[] peerNonce, Secret skP, byte[] restOfIdPayload) {
    byte[] expected = compute(sharedSecret, realMessage, peerNonce, skP, restOfIdPayload);
    return MessageDigest.isEqual(expected, receivedAuth);
  }

  @Override
  public String toString() {
    return "PskAuth";
  }
}
