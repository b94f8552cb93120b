/**
 * IKE SA state: the lifecycle enum with its transition table, the IKE SA itself (keys, SPIs,
 * CHILD SAs, timers) and the table that finds an SA by SPI (RFC 7296 sections 1, 2.6, 2.8, 2.18).
 * Each IKE SA is confined to one serial executor; nothing here is shared between SAs except the
 * table.
 */
package dev.ferry.vpn.ike.sa;
