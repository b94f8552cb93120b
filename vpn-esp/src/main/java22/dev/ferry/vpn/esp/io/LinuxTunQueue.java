package dev.ferry.vpn.esp.io;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.TunIo;
import dev.ferry.vpn.esp.io.offload.TcpCoalescer;
import dev.ferry.vpn.esp.io.offload.TsoSegmenter;
import dev.ferry.vpn.esp.io.offload.VirtioNetHeader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * One queue (one file descriptor) of a Linux TUN device.
 *
 * <p>With offloads ({@code IFF_VNET_HDR} and TSO/CSUM, see {@link LinuxTun}) every packet on the
 * descriptor carries a virtio_net_hdr, and the kernel hands out TCP super-packets of up to 64 KiB.
 * {@link #read} then reads one super-packet per {@code read(2)} into a reused 64 KiB buffer and
 * splits it into MTU-sized packets in the batch ({@link TsoSegmenter}); segments that do not fit
 * stay for the next read. {@link #write} groups the batch ({@link TcpCoalescer}) and writes each
 * group, consecutive segments of one TCP flow merged into one super-packet, with one {@code
 * write(2)} from a reused staging buffer. So a bulk TCP flow costs one system call per ~45 packets
 * each way instead of one per packet, and the receiving kernel stack handles one buffer per group.
 *
 * <p>The descriptor is non-blocking. {@link #read} drains it with one critical {@code read(2)} per
 * packet straight into the batch's heap arrays until {@code EAGAIN} or the batch is full, and
 * calls {@code poll(2)} only when nothing was ready, so a busy queue costs one system call per
 * packet plus at most one per batch. The poll set also holds an eventfd that {@link #close}
 * signals, which is how a blocked reader wakes. Views of a batch's buffers are made once per batch
 * object and reused, so reads allocate nothing; a write makes one slice per packet because its
 * offset varies.
 */
final class LinuxTunQueue implements TunIo {

  private final String device;
  private final int fd;
  private final int wakeFd;
  private final int mtu;
  private final int batchSize;
  private final boolean offload;
  private final CloseGate gate = new CloseGate();
  // Every downcall acquires and releases the session of the native segments it passes (the
  // errno capture state, the poll sets). With one shared session the reader and the writer
  // contended on its counter (SharedSession.release0 in 40 % of a JFR profile under iperf3); with
  // one shared session per role the atomic counter update per call was still 5-8 % of the
  // receiving thread. The per-call state of both roles therefore lives in automatic arenas, whose
  // acquire and release do nothing; the GC frees these few hundred bytes with the queue.
  private final Arena arena = Arena.ofShared();
  private final Arena readArena = Arena.ofAuto();
  private final Arena writeArena = Arena.ofAuto();
  private final MemorySegment closeState = arena.allocate(Libc.CALL_STATE);
  private final MemorySegment wakeValue = Libc.allocate(arena, 8);
  private boolean released;

  // Reader-side state: touched only by the one reading thread.
  private final MemorySegment readState = readArena.allocate(Libc.CALL_STATE);
  private final MemorySegment readPoll;
  private PacketBatch readBatch;
  private MemorySegment[] readViews;
  // With offloads: one super-packet as read (virtio header + up to 65,535 bytes) and its splitter.
  private final byte[] superPacket;
  private final MemorySegment superPacketView;
  private final TsoSegmenter segmenter;

  // Writer-side state: touched only by the one writing thread.
  private final MemorySegment writeState = writeArena.allocate(Libc.CALL_STATE);
  private final MemorySegment writePoll;
  private PacketBatch writeBatch;
  private MemorySegment[] writeViews;
  // With offloads: the coalescer and the buffer each group is assembled in before its write.
  private final TcpCoalescer coalescer;
  private final byte[] staging;
  private final MemorySegment stagingView;

  LinuxTunQueue(String device, int fd, int wakeFd, int mtu, int batchSize, boolean offload) {
    this.device = device;
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.mtu = mtu;
    this.batchSize = batchSize;
    this.offload = offload;
    this.superPacket = offload ? new byte[TcpCoalescer.MAX_OUTPUT] : null;
    this.superPacketView = offload ? MemorySegment.ofArray(superPacket) : null;
    this.segmenter = offload ? new TsoSegmenter(mtu) : null;
    this.coalescer = offload ? new TcpCoalescer() : null;
    this.staging = offload ? new byte[TcpCoalescer.MAX_OUTPUT] : null;
    this.stagingView = offload ? MemorySegment.ofArray(staging) : null;
    this.readPoll = Libc.pollSet(readArena, fd, Libc.POLLIN, wakeFd);
    this.writePoll = Libc.pollSet(writeArena, fd, Libc.POLLOUT, wakeFd);
    this.wakeValue.set(JAVA_LONG, 0, 1L);
  }

  @Override
  public int read(PacketBatch batch) throws IOException {
    if (batch.maxPacketLength() < mtu) {
      throw new IllegalArgumentException(
          "batch entries hold " + batch.maxPacketLength() + " bytes, fewer than the MTU " + mtu);
    }
    if (!gate.enter()) {
      return -1;
    }
    try {
      int max = Math.min(batch.capacity(), batchSize);
      if (offload) {
        return readSegmented(batch, max);
      }
      MemorySegment[] views = readViews(batch);
      long room = batch.maxPacketLength();
      int headroom = batch.headroom();
      while (true) {
        int n = 0;
        while (n < max) {
          int got = readReady(views[n], room);
          if (got == 0) {
            break;
          }
          batch.set(n++, headroom, got);
        }
        if (n > 0) {
          return n;
        }
        if (!awaitReady(readPoll, readState, "poll(POLLIN)")) {
          return -1;
        }
      }
    } finally {
      gate.exit();
    }
  }

  /** {@link #read} with offloads: super-packets split into the batch, leftovers first. */
  private int readSegmented(PacketBatch batch, int max) throws IOException {
    while (true) {
      int n = segmenter.drainInto(batch, 0, max);
      while (n < max) {
        int got = readReady(superPacketView, superPacket.length);
        if (got == 0) {
          break;
        }
        // A malformed one is dropped and counted by the segmenter.
        if (segmenter.load(superPacket, 0, got)) {
          n += segmenter.drainInto(batch, n, max);
        }
      }
      if (n > 0) {
        return n;
      }
      if (!awaitReady(readPoll, readState, "poll(POLLIN)")) {
        return -1;
      }
    }
  }

  /** One {@code read(2)} into {@code into}: the bytes read, or 0 if nothing is ready. */
  private int readReady(MemorySegment into, long room) throws TunException {
    while (true) {
      long got = Libc.read(readState, fd, into, room);
      if (got > 0) {
        return (int) got;
      }
      int errno = got < 0 ? Libc.errno(readState) : Libc.EAGAIN;
      if (errno == Libc.EAGAIN) {
        return 0;
      }
      if (errno != Libc.EINTR) {
        throw Libc.failure("read", device, errno);
      }
    }
  }

  @Override
  public int write(PacketBatch batch, int count) throws IOException {
    if (count < 0 || count > batch.capacity()) {
      throw new IllegalArgumentException(
          "count " + count + " is outside 0.." + batch.capacity() + " (the batch capacity)");
    }
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      if (offload) {
        return writeCoalesced(batch, count);
      }
      MemorySegment[] views = writeViews(batch);
      int accepted = 0;
      for (int i = 0; i < count; i++) {
        int length = batch.length(i);
        MemorySegment packet = views[i].asSlice(batch.offset(i), length);
        if (writeOne(packet, length)) {
          accepted++;
        }
      }
      return accepted;
    } finally {
      gate.exit();
    }
  }

  /** {@link #write} with offloads: one write per group of the coalescer's plan. */
  private int writeCoalesced(PacketBatch batch, int count) throws IOException {
    int groups = coalescer.plan(batch, count);
    int accepted = 0;
    for (int g = 0; g < groups; g++) {
      int length = coalescer.emit(g, staging, 0);
      if (length > VirtioNetHeader.LENGTH && writeOne(stagingView, length)) {
        accepted += coalescer.members(g);
      }
    }
    return accepted;
  }

  /** Writes one packet (or super-packet); false if the kernel refused it as a packet. */
  private boolean writeOne(MemorySegment packet, int length) throws IOException {
    while (true) {
      long put = Libc.write(writeState, fd, packet, length);
      if (put >= 0) {
        return true;
      }
      int errno = Libc.errno(writeState);
      if (errno == Libc.EINTR) {
        continue;
      }
      if (errno == Libc.EAGAIN) {
        if (!awaitReady(writePoll, writeState, "poll(POLLOUT)")) {
          throw new ClosedChannelException();
        }
        continue;
      }
      if (errno == Libc.EINVAL || errno == Libc.EMSGSIZE) {
        // tun_get_user() refuses this one packet (empty, oversized, not IPv4/IPv6, a virtio
        // header that does not fit it): drop it.
        return false;
      }
      throw Libc.failure("write", device, errno);
    }
  }

  /** Blocks in poll until the descriptor is ready; false if the queue was closed meanwhile. */
  private boolean awaitReady(MemorySegment set, MemorySegment state, String call)
      throws TunException {
    while (true) {
      set.set(JAVA_SHORT, 6, (short) 0);
      set.set(JAVA_SHORT, Libc.POLLFD_SIZE + 6, (short) 0);
      int ready = Libc.poll(state, set, 2, -1);
      if (gate.isClosed()) {
        return false;
      }
      if (ready < 0) {
        int errno = Libc.errno(state);
        if (errno == Libc.EINTR) {
          continue;
        }
        throw Libc.failure(call, device, errno);
      }
      short revents = set.get(JAVA_SHORT, 6);
      if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0) {
        // The kernel reports POLLERR once the device behind the descriptor is gone.
        throw new TunException(call, 0, call + " on TUN device " + device
            + " reported an error or hang-up (revents 0x" + Integer.toHexString(revents)
            + "): was the device deleted?");
      }
      if (ready > 0) {
        return true;
      }
    }
  }

  private MemorySegment[] readViews(PacketBatch batch) {
    if (batch != readBatch) {
      MemorySegment[] views = new MemorySegment[batch.capacity()];
      for (int i = 0; i < views.length; i++) {
        views[i] = MemorySegment.ofArray(batch.buffer(i))
            .asSlice(batch.headroom(), batch.maxPacketLength());
      }
      readViews = views;
      readBatch = batch;
    }
    return readViews;
  }

  private MemorySegment[] writeViews(PacketBatch batch) {
    if (batch != writeBatch) {
      MemorySegment[] views = new MemorySegment[batch.capacity()];
      for (int i = 0; i < views.length; i++) {
        views[i] = MemorySegment.ofArray(batch.buffer(i));
      }
      writeViews = views;
      writeBatch = batch;
    }
    return writeViews;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /** TCP super-packets read and split (0 without offloads); for tests, after the reader ends. */
  long superPacketsRead() {
    return offload ? segmenter.superPackets() : 0;
  }

  /** TCP super-packets coalesced and written (0 without offloads); for tests, after writes end. */
  long superPacketsWritten() {
    return offload ? coalescer.superPackets() : 0;
  }

  /** Super-packets read and dropped as malformed (0 without offloads); any thread. */
  long offloadDrops() {
    return offload ? segmenter.drops() : 0;
  }

  /** Refuses new reads and writes and wakes the ones in flight; the descriptors stay open. */
  void stop() {
    if (gate.close()) {
      // An eventfd with a non-zero counter stays readable, so every poll on it returns at once.
      // Its counter cannot overflow from a single increment, so this write cannot fail.
      Libc.write(closeState, wakeFd, wakeValue, 8);
    }
  }

  /** Stops this queue, waits for its reader and writer to leave, then closes the descriptors. */
  @Override
  public synchronized void close() throws TunException {
    stop();
    if (released) {
      return;
    }
    if (!gate.awaitIdle(TimeUnit.SECONDS.toNanos(10))) {
      // Closing the descriptors under a thread still using them could hand it another file.
      throw new TunException("close", 0, "a reader or writer of TUN device " + device
          + " did not leave within 10 s of close; its descriptors stay open");
    }
    released = true;
    int fdClosed = Libc.close(closeState, fd);
    int errno = fdClosed < 0 ? Libc.errno(closeState) : 0;
    Libc.close(closeState, wakeFd);
    arena.close();
    if (fdClosed < 0) {
      throw Libc.failure("close", device, errno);
    }
  }

  @Override
  public String toString() {
    return "LinuxTunQueue[" + device + ", fd=" + fd + ", mtu=" + mtu + ", offload=" + offload
        + "]";
  }
}
