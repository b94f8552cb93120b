/**
 * Subnet NAT maps: 1:1 subnet maps (the chart's {@code localSubnetNAT} / {@code remoteSubnetNAT},
 * like iptables NETMAP), many-to-one source NAT with connection tracking, and their validation.
 */
package dev.ferry.vpn.core.nat;
