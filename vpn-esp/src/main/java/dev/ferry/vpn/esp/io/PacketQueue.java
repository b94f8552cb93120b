package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.PacketBatch;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of packets in preallocated slots: one lock acquisition per batch rather than per
 * packet, a copy in and a copy out, and no allocation after construction. A full queue drops, as
 * a device's transmit queue does; closing wakes every waiting reader.
 */
final class PacketQueue {

  private final byte[][] slots;
  private final int[] lengths;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private int head;
  private int size;
  private boolean closed;

  PacketQueue(int capacity, int maxPacketLength) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity " + capacity + " is below 1");
    }
    this.slots = new byte[capacity][maxPacketLength];
    this.lengths = new int[capacity];
  }

  int maxPacketLength() {
    return slots[0].length;
  }

  /**
   * Appends the entries {@code [0, count)} of {@code batch} that a TUN device would accept, while
   * room remains; returns how many were appended.
   */
  int offer(PacketBatch batch, int count) throws ClosedChannelException {
    lock.lock();
    try {
      if (closed) {
        throw new ClosedChannelException();
      }
      int accepted = 0;
      for (int i = 0; i < count && size < slots.length; i++) {
        if (appendLocked(batch.buffer(i), batch.offset(i), batch.length(i))) {
          accepted++;
        }
      }
      if (accepted > 0) {
        notEmpty.signal();
      }
      return accepted;
    } finally {
      lock.unlock();
    }
  }

  /** Appends one packet; false if it is not an IP packet, too long, the queue is full or closed. */
  boolean offer(byte[] packet, int offset, int length) {
    lock.lock();
    try {
      if (closed || size == slots.length || !appendLocked(packet, offset, length)) {
        return false;
      }
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean appendLocked(byte[] packet, int offset, int length) {
    // Like the kernel's tun_get_user() with IFF_NO_PI: the version nibble picks the protocol, and
    // anything that is neither IPv4 nor IPv6 is refused.
    if (length < 1 || length > slots[0].length) {
      return false;
    }
    int version = (packet[offset] & 0xff) >>> 4;
    if (version != 4 && version != 6) {
      return false;
    }
    int tail = (head + size) % slots.length;
    System.arraycopy(packet, offset, slots[tail], 0, length);
    lengths[tail] = length;
    size++;
    return true;
  }

  /**
   * Waits for at least one packet and moves up to {@code max} into the batch from index 0, each
   * at its headroom; returns the count, or -1 once closed.
   */
  int take(PacketBatch batch, int max) throws InterruptedIOException {
    lock.lock();
    try {
      while (size == 0 && !closed) {
        notEmpty.await();
      }
      if (closed) {
        return -1;
      }
      int n = Math.min(max, size);
      for (int i = 0; i < n; i++) {
        batch.put(i, slots[head], 0, lengths[head]);
        head = (head + 1) % slots.length;
      }
      size -= n;
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a packet");
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns a copy of the oldest packet, waiting up to the timeout; null if none. */
  byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (size == 0 && !closed && nanos > 0) {
        nanos = notEmpty.awaitNanos(nanos);
      }
      if (size == 0 || closed) {
        return null;
      }
      byte[] packet = Arrays.copyOf(slots[head], lengths[head]);
      head = (head + 1) % slots.length;
      size--;
      return packet;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      size = 0;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
