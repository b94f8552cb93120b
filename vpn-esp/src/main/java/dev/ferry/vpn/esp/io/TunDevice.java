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
