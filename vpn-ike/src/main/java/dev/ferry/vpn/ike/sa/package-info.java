/**
 * IKE SA state (RFC 7296 sections 1, 2.6, 2.8, 2.18): the IKE SA itself with its SPIs, keys,
 * IKE_SA_INIT messages, NAT detection results, CHILD SAs and lifecycle ({@link
 * dev.ferry.vpn.ike.IkeSaState}, whose transition table every change goes through). Each IKE SA
 * is confined to one serial executor, so nothing here locks. Internal: not exported.
 */
package dev.ferry.vpn.ike.sa;
