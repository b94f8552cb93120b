/**
 * Values and small interfaces at the I/O seams: outer UDP endpoints, and inner-packet I/O
 * ({@link dev.ferry.vpn.core.io.TunIo}) over batches of preallocated buffers ({@link
 * dev.ferry.vpn.core.io.PacketBatch}).
 */
package dev.ferry.vpn.core.io;
