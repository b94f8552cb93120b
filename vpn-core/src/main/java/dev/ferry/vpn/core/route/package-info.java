/**
 * The route planner: per-node {@code ip route} operations that make replies to remote (on-prem)
 * subnets leave through the private network instead of the default route, where the kernel's
 * reverse-path filter would drop them; diagnostics for overlaps, conflicts and missing gateways;
 * a model of a node's routing tables with the kernel's lookup and an {@code ip route} simulator;
 * and readers for {@code ip -j route} output. See {@code docs/routes.md}.
 */
package dev.ferry.vpn.core.route;
