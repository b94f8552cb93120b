/**
 * The IKEv2 wire format (RFC 7296 section 3): the header, one immutable record per payload, open
 * registries for the IANA numbers, the SK payload (section 3.14) and SKF fragments (RFC 7383), and
 * a decoder that never throws: every input, however malformed, yields a {@link
 * dev.ferry.vpn.ike.message.DecodeResult}. Payload semantics (which payloads an exchange needs,
 * what a proposal means) belong to the exchange layer; this package only frames and parses.
 */
package dev.ferry.vpn.ike.message;
