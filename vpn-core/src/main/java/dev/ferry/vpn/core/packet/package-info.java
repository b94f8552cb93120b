/**
 * Allocation-free views over IP packets held in heap {@code byte[]} ranges: IPv4 and IPv6 headers
 * (including the IPv6 extension header chain and fragments), TCP/UDP ports, ICMP and ICMPv6 type,
 * code and echo identifier, and the packet embedded in ICMP error messages. The views rewrite
 * addresses, ports and identifiers in place and keep every affected checksum valid by the
 * incremental update of RFC 1624. Malformed or truncated input is reported as a {@link
 * dev.ferry.vpn.core.packet.PacketDefect}, never by reading past the end of the given range.
 */
package dev.ferry.vpn.core.packet;
