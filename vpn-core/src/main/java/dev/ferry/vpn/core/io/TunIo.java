package dev.ferry.vpn.core.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Inner-packet I/O: one queue of a TUN-like device that carries whole IPv4 and IPv6 packets
 * (no link-layer header, no packet-information prefix). Shaped like wireguard-go's
 * {@code tun.Device}: batches in, batches out, buffers owned by the caller.
 *
 * <h2>Threading</h2>
 * At most one thread calls {@link #read} and at most one thread calls {@link #write} at a time;
 * one reader and one writer may run concurrently (one worker per direction). A device with several
 * queues hands out one {@code TunIo} per queue, so each worker owns its own. {@link #close} may be
 * called from any thread at any time.
 *
 * <h2>Ownership</h2>
 * The caller owns the {@link PacketBatch}; an implementation touches it only during the call and
 * keeps no reference to packet contents afterwards (it may cache views of the batch's buffers,
 * whose identity never changes).
 *
 * <h2>Closing</h2>
 * {@link #close} is idempotent and wakes a blocked reader. After close, {@link #read} returns
 * {@code -1} (end of stream, so a worker loop ends without an exception) and {@link #write} throws
 * {@link java.nio.channels.ClosedChannelException}. Packets queued but not yet read are discarded.
 */
public interface TunIo extends Closeable {

  /**
   * Blocks until at least one packet is available, then fills entries from index 0 with up to
   * {@code min(batch.capacity(), batchSize())} packets that are ready without waiting again, each
   * placed at {@code batch.headroom()}.
   *
   * @return the number of packets read (at least 1), or {@code -1} once the device is closed
   * @throws IllegalArgumentException if the batch's entries are shorter than {@link #mtu()}
   * @throws IOException if the device fails (not for any packet's content)
   */
  int read(PacketBatch batch) throws IOException;

  /**
   * Writes entries {@code [0, count)} as packets, in order. A packet the device refuses on its own
   * (empty, longer than the device accepts, not IPv4 or IPv6) is dropped, not thrown: the hot path
   * never throws for a packet's content, and the caller counts the difference.
   *
   * @return how many of the {@code count} packets the device accepted
   * @throws java.nio.channels.ClosedChannelException if the device is closed
   * @throws IOException if the device itself fails
   */
  int write(PacketBatch batch, int count) throws IOException;

  /** The largest number of packets one {@link #read} returns; fixed for this object's lifetime. */
  int batchSize();

  /** The device MTU: the longest packet {@link #read} can return. */
  int mtu();
}
