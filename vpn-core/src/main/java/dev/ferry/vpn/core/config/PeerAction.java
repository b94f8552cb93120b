package dev.ferry.vpn.core.config;

/**
 * {@code ipsec.dpdaction} (dead peer detection, RFC 3706 ideas carried out with empty IKEv2
 * INFORMATIONAL exchanges, RFC 7296 section 2.4), and also the resolved {@code ipsec.closeaction}.
 */
public enum PeerAction {
  /** No detection or no action. */
  NONE,
  /** Close the SAs and do nothing more. */
  CLEAR,
  /** Install a trap policy and renegotiate when traffic appears. */
  HOLD,
  /** Renegotiate at once. */
  RESTART
}
