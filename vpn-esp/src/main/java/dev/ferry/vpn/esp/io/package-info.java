/**
 * Inner-packet I/O backends for the {@link dev.ferry.vpn.core.io.TunIo} seam: {@link
 * dev.ferry.vpn.esp.io.LinuxTun} (Linux TUN through FFM, JDK 22+, multi-release) and {@link
 * dev.ferry.vpn.esp.io.InMemoryTun} (bounded in-memory queues for tests and embedding).
 */
package dev.ferry.vpn.esp.io;
