package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.TunIo;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A TUN device made of two bounded in-memory queues, for tests and for embedding the data plane
 * in an application that produces and consumes IP packets itself (the twin of wireguard-go's
 * {@code tuntest.ChannelTUN}).
 *
 * <p>The data plane side is the {@link TunIo} contract. The other side, where the operating
 * system's IP stack would be, is {@link #inject} (a packet the stack routes into the device, which
 * {@link #read} returns) and {@link #takeWritten} (a packet the data plane wrote, which the stack
 * would receive). Like a real device it refuses packets that are empty, longer than the MTU or
 * neither IPv4 nor IPv6, and it drops packets when a queue is full rather than blocking the
 * writer. {@link #pair} connects two devices back to back: what one writes, the other reads.
 *
 * <p>Thread-safe beyond the {@code TunIo} contract: any number of threads may inject and take.
 * Each queue costs one lock acquisition per batch and copies each packet once in and once out;
 * nothing allocates after construction except {@link #takeWritten}. Closing either device of a
 * pair closes both directions of the link, so both ends' readers return -1.
 */
public final class InMemoryTun implements TunIo {

  /** Two devices connected back to back. */
  public record Pair(InMemoryTun left, InMemoryTun right) {
    public Pair {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  private final PacketQueue toRead;
  private final PacketQueue written;
  private final int batchSize;

  private InMemoryTun(PacketQueue toRead, PacketQueue written, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size " + batchSize + " is below 1");
    }
    this.toRead = toRead;
    this.written = written;
    this.batchSize = batchSize;
  }

  /** A device whose two queues each hold up to {@code queueCapacity} packets of {@code mtu}. */
  public InMemoryTun(int mtu, int batchSize, int queueCapacity) {
    this(queue(queueCapacity, mtu), queue(queueCapacity, mtu), batchSize);
  }

  /** Two devices where each one's writes are the other's reads. */
  public static Pair pair(int mtu, int batchSize, int queueCapacity) {
    PacketQueue leftToRight = queue(queueCapacity, mtu);
    PacketQueue rightToLeft = queue(queueCapacity, mtu);
    return new Pair(
        new InMemoryTun(rightToLeft, leftToRight, batchSize),
        new InMemoryTun(leftToRight, rightToLeft, batchSize));
  }

  private static PacketQueue queue(int capacity, int mtu) {
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " is outside 68..65535");
    }
    return new PacketQueue(capacity, mtu);
  }

  @Override
  public int read(PacketBatch batch) throws InterruptedIOException {
    requireRoomForMtu(batch);
    return toRead.take(batch, Math.min(batch.capacity(), batchSize));
  }

  @Override
  public int write(PacketBatch batch, int count) throws ClosedChannelException {
    if (count < 0 || count > batch.capacity()) {
      throw new IllegalArgumentException(
          "count " + count + " is outside 0.." + batch.capacity() + " (the batch capacity)");
    }
    return written.offer(batch, count);
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int mtu() {
    return toRead.maxPacketLength();
  }

  /**
   * Routes {@code packet} into the device as the IP stack would, for {@link #read} to return.
   *
   * @return false if the device refused or dropped it: not IPv4/IPv6, empty, longer than the MTU,
   *     the queue is full, or the device is closed
   */
  public boolean inject(byte[] packet) {
    return toRead.offer(packet, 0, packet.length);
  }

  /** The oldest packet the data plane wrote, waiting up to {@code timeout}; null if none came. */
  public byte[] takeWritten(Duration timeout) throws InterruptedException {
    return written.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Packets injected but not yet read. */
  public int pendingReads() {
    return toRead.size();
  }

  /** Packets written but not yet taken (or read by the other device of a pair). */
  public int pendingWrites() {
    return written.size();
  }

  /** Closes both queues: readers here (and on a paired device) return -1, writers throw. */
  @Override
  public void close() {
    toRead.close();
    written.close();
  }

  private void requireRoomForMtu(PacketBatch batch) {
    if (batch.maxPacketLength() < mtu()) {
      throw new IllegalArgumentException(
          "batch entries hold " + batch.maxPacketLength() + " bytes, fewer than the MTU " + mtu());
    }
  }

  @Override
  public String toString() {
    return "InMemoryTun[mtu=" + mtu() + ", batchSize=" + batchSize + "]";
  }
}
