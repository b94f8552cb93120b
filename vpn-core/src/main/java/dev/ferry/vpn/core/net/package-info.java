/**
 * IP addresses, prefixes and prefix collections as immutable values: parsing and RFC 5952
 * formatting, containment and overlap, set algebra over prefixes (split, aggregate, subtract), and
 * a longest-prefix-match map. Nothing here performs DNS or touches the network.
 */
package dev.ferry.vpn.core.net;
