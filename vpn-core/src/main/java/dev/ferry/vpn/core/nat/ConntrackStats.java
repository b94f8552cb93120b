package dev.ferry.vpn.core.nat;

/**
 * A snapshot of a {@link SourceNatTable}'s counters: flows held now, flows ever created, flows
 * reclaimed after their idle timeout, and new flows refused because the table was full or the
 * external address had no free port or identifier left.
 */
public record ConntrackStats(
    long liveFlows,
    long created,
    long expired,
    long refusedTableFull,
    long refusedPortsExhausted) {}
