/**
 * Inbound anti-replay protection for ESP (RFC 4303 section 3.4.3 and Appendix A2 for extended
 * sequence numbers), kept as an RFC 6479 ring of bit blocks so the window can be thousands of
 * packets wide at constant cost per packet.
 */
package dev.ferry.vpn.esp.replay;
