package dev.ferry.vpn.ike;

/**
 * Protection against IKE_SA_INIT floods (RFC 7296 section 2.6). Above {@code cookieThreshold}
 * half-open responder SAs, an IKE_SA_INIT request without a valid COOKIE is answered with a
 * stateless COOKIE notify; at {@code limit} half-open SAs new requests are dropped.
 */
public record HalfOpenPolicy(int cookieThreshold, int limit) {

  /** Cookies from 100 half-open SAs (strongSwan's {@code cookie_threshold} is 10), drop at 1000. */
  public static final HalfOpenPolicy DEFAULT = new HalfOpenPolicy(100, 1000);

  public HalfOpenPolicy {
    if (cookieThreshold < 0 || limit < 1 || cookieThreshold > limit) {
      throw new IllegalArgumentException("need 0 <= cookieThreshold (" + cookieThreshold
          + ") <= limit (" + limit + ") and limit >= 1");
    }
  }
}
