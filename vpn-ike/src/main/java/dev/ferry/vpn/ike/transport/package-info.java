/** UDP transport for IKE on ports 500 and 4500 (RFC 7296 section 2, RFC 3948). */
package dev.ferry.vpn.ike.transport;
