package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.TunIo;
import java.io.Closeable;
import java.io.IOException;

/**
 * A configured TUN device that exists while this object is open: it has the addresses and routes
 * of its {@link TunConfig} and one {@link TunIo} per queue, so each worker thread gets its own
 * file descriptor and no lock is shared between workers.
 */
public interface TunDevice extends Closeable {

  /** The interface name the kernel gave the device (a {@code %d} pattern resolved). */
  String name();

  /** The configuration the device was created with. */
  TunConfig config();

  /**
   * Whether the device runs with the kernel's TCP offloads (super-packets split on read, segments
   * coalesced on write); false when they were not asked for or the kernel refused them.
   */
  default boolean offloadActive() {
    return false;
  }

  /**
   * Packets read with offloads that were dropped as malformed (a virtio_net_hdr or super-packet
   * that does not add up, or one longer than the MTU), over all queues since the device opened.
   */
  default long offloadDrops() {
    return 0;
  }

  /** The I/O of queue {@code index}, 0 &le; index &lt; {@code config().queues()}. */
  TunIo queue(int index);

  /**
   * Stops I/O on every queue (blocked readers return -1), removes the routes and addresses this
   * device added, and deletes the device. Idempotent. Throws only after everything that could be
   * undone was undone, naming what could not.
   */
  @Override
  void close() throws IOException;
}
