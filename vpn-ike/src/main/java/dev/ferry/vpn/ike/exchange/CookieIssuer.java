package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.NoncePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Stateless IKE_SA_INIT cookies (RFC 7296 section 2.6): {@code Cookie = VersionID |
 * SHA-256(Ni | IPi | SPIi | secret)}, so a responder under load keeps no state until the initiator
 * proves it receives at its address. The secret is fixed per endpoint (version 0); rotating it is
 * not done here.
 */
public final class CookieIssuer {
  private static final byte VERSION = 0;
  private final byte[] secret;

  public CookieIssuer(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("cookie secret of " + secret.length + " octets < 16");
    }
    this.secret = secret.clone();
  }

  /** True when the request's first payload is N(COOKIE) with the cookie we issue for it. */
  public boolean carriesValidCookie(IkeMessage request, UdpEndpoint from) {
    // RFC 7296 section 2.6: the returned COOKIE is the first payload of the retried request.
    if (request.payloads().isEmpty()
        || !(request.payloads().get(0) instanceof NotifyPayload n)
        || !n.notifyType().equals(NotifyType.COOKIE)) {
      return false;
    }
    return cookieFor(request, from)
        .map(expected -> MessageDigest.isEqual(expected.toByteArray(), n.data().toByteArray()))
        .orElse(false);
  }

  /** The stateless response asking the initiator to come back with a cookie. */
  public Optional<IkeMessage> cookieResponse(IkeMessage request, UdpEndpoint from) {
    return cookieFor(request, from).map(cookie -> new IkeMessage(request.initiatorSpi(), 0,
        request.exchangeType(), false, true, request.messageId(), false,
        java.util.List.of(NotifyPayload.of(NotifyType.COOKIE, cookie))));
  }

  private Optional<Bytes> cookieFor(IkeMessage request, UdpEndpoint from) {
    Optional<NoncePayload> nonce = request.first(NoncePayload.class);
    if (nonce.isEmpty()) {
      return Optional.empty();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(nonce.get().nonce().toByteArray());
      sha.update(from.address().toBytes());
      sha.update(ByteBuffer.allocate(8).putLong(request.initiatorSpi()).array());
      sha.update(secret);
      byte[] digest = sha.digest();
      byte[] cookie = new byte[1 + digest.length];
      cookie[0] = VERSION;
      System.arraycopy(digest, 0, cookie, 1, digest.length);
      return Optional.of(Bytes.of(cookie));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
