/**
 * The Linux TUN offloads in pure Java (not exported; used by the TUN backend): the {@link
 * dev.ferry.vpn.esp.io.offload.VirtioNetHeader} codec, {@link
 * dev.ferry.vpn.esp.io.offload.TsoSegmenter} ("GSO in userspace": TCP super-packets read from the
 * device split into MTU-sized packets) and {@link dev.ferry.vpn.esp.io.offload.TcpCoalescer} ("GRO
 * in userspace": TCP segments of one flow in a write batch merged into one super-packet). Both
 * work on {@link dev.ferry.vpn.core.io.PacketBatch} entries and never throw or allocate for a
 * packet's content, so they are tested without root or a device.
 */
package dev.ferry.vpn.esp.io.offload;
