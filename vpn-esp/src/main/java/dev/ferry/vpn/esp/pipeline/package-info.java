/**
 * The forwarding pipeline of the ESP data plane: {@link dev.ferry.vpn.esp.pipeline.DataPlane}
 * moves packets between a TUN device and the ESP-in-UDP socket through NAT, policy, path MTU
 * handling (ICMP errors, outer fragmentation), optional MSS clamping and ESP; {@link
 * dev.ferry.vpn.esp.pipeline.EspDatagramSink} and {@link
 * dev.ferry.vpn.esp.pipeline.EspDatagramReceiver} are the seams to the UDP transport, {@link
 * dev.ferry.vpn.esp.pipeline.TunnelMtu} the MTU arithmetic for the TUN device.
 */
package dev.ferry.vpn.esp.pipeline;
