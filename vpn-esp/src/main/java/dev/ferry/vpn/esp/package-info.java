/**
 * The ESP data plane (RFC 4303, tunnel mode): {@link dev.ferry.vpn.esp.SaStore} holds the installed
 * CHILD SAs and implements the control plane's installer SPI with make-before-break rekeying;
 * {@link dev.ferry.vpn.esp.OutboundSa} protects inner packets in place, {@link
 * dev.ferry.vpn.esp.InboundSa} checks, authenticates and decrypts them, and {@link
 * dev.ferry.vpn.esp.EspStats} counts every outcome by reason.
 *
 * <p>Suites: AES-GCM (RFC 4106), ChaCha20-Poly1305 (RFC 7634), AES-CBC (RFC 3602) and legacy
 * 3DES-CBC with HMAC-SHA1-96 (RFC 2404), HMAC-SHA2 (RFC 4868) or AES-XCBC/CMAC ICVs; extended
 * sequence numbers (RFC 4304); anti-replay in {@link dev.ferry.vpn.esp.replay}. UDP encapsulation
 * (RFC 3948) needs nothing here: the transport strips the UDP header and hands over the ESP packet.
 * The per-packet path neither throws nor logs nor allocates for malformed input.
 */
package dev.ferry.vpn.esp;
