package dev.ferry.vpn.ike.crypto;

/**
 * Which way a message or an SA's traffic flows, relative to the original initiator of the IKE SA
 * (RFC 7296 section 2.14: SK_ai/SK_ei protect the initiator's messages).
 */
public enum Direction {
  INITIATOR_TO_RESPONDER,
  RESPONDER_TO_INITIATOR
}
