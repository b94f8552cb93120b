/**
 * IKEv2 exchanges (RFC 7296 sections 1.2-1.5, 2): strongSwan-style tasks, one per feature,
 * composed into exchanges, and one task manager per IKE SA that alone owns message IDs, the window,
 * retransmission and the response cache. Proposal selection and traffic selector narrowing are
 * pure functions here too. Internal: not exported.
 */
package dev.ferry.vpn.ike.exchange;
