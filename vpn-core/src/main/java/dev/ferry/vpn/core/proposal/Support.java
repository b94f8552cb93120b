package dev.ferry.vpn.core.proposal;

/**
 * Whether Ferry negotiates an algorithm it knows.
 *
 * <p>The policy, applied per algorithm in the transform enums:
 *
 * <ul>
 *   <li>{@link #SUPPORTED}: implemented (on the JDK or Bouncy Castle, see {@code
 *       dev.ferry.vpn.core.crypto.CryptoProvider}) and not discouraged by RFC 8221
 *       (ESP) or RFC 8247 (IKEv2).
 *   <li>{@link #LEGACY}: implemented but "SHOULD NOT" in those RFCs (3DES, MODP groups 2 and 5);
 *       accepted because the strongSwan chart's defaults name them, always with a warning.
 *   <li>{@link #REFUSED}: "MUST NOT" in those RFCs (DES, MD5, MODP-768, NULL encryption), or not
 *       implemented (CCM, Camellia, Brainpool, RFC 5114 groups, ML-KEM). A proposal
 *       naming one is an error that names the algorithm and the reason.
 * </ul>
 */
public enum Support {
  SUPPORTED,
  LEGACY,
  REFUSED
}
