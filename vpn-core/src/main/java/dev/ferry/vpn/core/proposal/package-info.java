/**
 * IKEv2 and ESP proposals: the transform registry of RFC 7296 section 3.3.2 (with the IANA "IKEv2
 * Transform Attribute" identifiers the IKE codec puts on the wire), strongSwan's proposal keyword
 * syntax ({@code aes128gcm16-prfsha256-ecp256}, lists separated by commas, a trailing {@code !} for
 * strict), and the rules a proposal must satisfy before it is offered.
 *
 * <p>Which algorithms Ferry implements and which it knows but refuses is decided per RFC 8221 (ESP)
 * and RFC 8247 (IKEv2) and by what the JDK's providers offer; see {@link
 * dev.ferry.vpn.core.proposal.Support}.
 */
package dev.ferry.vpn.core.proposal;
