package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESP send path of one Netty NAT-traversal socket: {@link #queue} copies datagrams into a
 * staging batch (one pooled direct buffer plus their lengths and recipients) on the caller's
 * thread, and {@link #flush} hands the whole batch to the channel's event loop as ONE task (or
 * writes it at once when already on that loop), which writes every datagram and flushes once. So
 * a batch of the data plane costs one cross-thread hand-off and one event-loop wakeup, and Netty
 * sends its datagrams with {@code sendmmsg}.
 *
 * <p>UDP GSO: where {@code segmentation} is on (epoll with {@code UDP_SEGMENT}, Linux 4.18+), a run
 * of consecutive datagrams to the same recipient whose lengths are equal, except that the last may
 * be shorter, goes out as one {@link SegmentedDatagramPacket}: one buffer, one {@code sendmsg}, cut
 * into datagrams of the first one's length by the kernel or the NIC (udp(7), {@code UDP_SEGMENT}).
 * A run holds at most {@link #MAX_SEGMENTS} datagrams and {@link #MAX_SEGMENTED_BYTES} octets, and
 * only datagrams whose IP packet fits a 1500-octet link, since the kernel refuses a segment size
 * above the route's MTU. If the kernel still refuses a segmented send (a smaller MTU, a device
 * without checksum offload), the socket falls back to single datagrams for good, logged once.
 *
 * <p>Backpressure, not loss: at most {@link #BATCHES} batches are in flight, and a batch returns
 * to the producer only once the socket took its last datagram. When all are in flight the
 * producer (the data plane's outbound worker) waits up to {@link #PRODUCER_WAIT_MILLIS} ms for
 * one, so it reads the TUN device more slowly and the sending TCP stack sees a slower link
 * instead of losses (a first version dropped here: 8,360 drops in a 10 s bench run, each one a
 * TCP retransmission and a halved window). Only when the socket stays stuck longer than that, or
 * the producer is the event loop itself (which must never wait for itself), are datagrams dropped
 * and counted as {@link DropReason#SEND_QUEUE_FULL}. Recipient addresses are cached per endpoint,
 * so steady state allocates one message object per run and nothing per datagram on the producer.
 *
 * <p>Thread-safe: {@code queue} and {@code flush} synchronise on this object (uncontended with one
 * data plane worker); a batch belongs to the producer until handed over, then to the event loop.
 */
final class EspSendQueue {
  private static final Logger LOG = LoggerFactory.getLogger(EspSendQueue.class);

  /** Linux {@code UDP_MAX_SEGMENTS} (include/linux/udp.h): segments per GSO send, at most. */
  static final int MAX_SEGMENTS = 64;
  /** Largest UDP payload of one IPv4 datagram (65535 - 20 - 8): the most one GSO buffer holds. */
  static final int MAX_SEGMENTED_BYTES = 65_507;
  /** Octets one batch stages; a fuller batch is handed over before the next flush. */
  static final int BATCH_BYTES = 256 * 1024;
  /** Datagrams one batch stages. */
  static final int BATCH_DATAGRAMS = 256;
  /** Batches in flight at once (staged, queued or being sent): the bound on queued work. */
  static final int BATCHES = 8;
  /** How long the producer waits for a batch before it drops: far above one batch's send time. */
  static final long PRODUCER_WAIT_MILLIS = 50;
  /** Largest cached recipient set before the cache starts over (peers are few). */
  private static final int MAX_CACHED_RECIPIENTS = 1024;

  // errno values (asm-generic/errno-base.h, errno.h) with which the kernel refuses a UDP GSO send
  // it cannot do: EIO without checksum offload, EINVAL/EMSGSIZE for a segment above the MTU.
  private static final int EIO = 5;
  private static final int EINVAL = 22;
  private static final int EMSGSIZE = 90;

  private final Channel channel;
  private final TransportCounters counters;
  private final int maxSegment;
  private volatile boolean segmentation;
  private final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final ChannelFutureListener single;
  /** Index n: the outcome of a GSO send of n datagrams. */
  private final ChannelFutureListener[] segmented = new ChannelFutureListener[MAX_SEGMENTS + 1];

  // Producer state: guarded by this.
  private Batch filling;
  private UdpEndpoint lastRecipient;
  private InetSocketAddress lastAddress;
  private final Map<UdpEndpoint, InetSocketAddress> addresses = new HashMap<>();

  /**
   * @param segmentation whether runs may go out as UDP GSO sends (the channel must support them)
   * @param maxSegment the longest datagram that may be a GSO segment (1500 minus outer headers)
   */
  EspSendQueue(Channel channel, TransportCounters counters, boolean segmentation, int maxSegment) {
    this.channel = channel;
    this.counters = counters;
    this.segmentation = segmentation;
    this.maxSegment = maxSegment;
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
    this.single = future -> {
      if (future.isSuccess()) {
        counters.sent(DatagramKind.ESP);
      } else {
        counters.dropped(DropReason.SEND_FAILED);
      }
    };
    for (int n = 2; n <= MAX_SEGMENTS; n++) {
      int datagrams = n;
      segmented[n] = future -> {
        if (future.isSuccess()) {
          counters.sent(DatagramKind.ESP, datagrams);
          counters.sentSegmented(datagrams);
        } else {
          counters.dropped(DropReason.SEND_FAILED, datagrams);
          segmentationFailed(future.cause());
        }
      };
    }
  }

  Channel channel() {
    return channel;
  }

  /** Whether runs still go out as UDP GSO sends (false once the kernel refused one). */
  boolean segmentation() {
    return segmentation;
  }

  /** Copies one ESP datagram into the staging batch; it is sent at the next {@link #flush}. */
  synchronized void queue(UdpEndpoint to, byte[] buf, int off, int len) {
    if (filling != null && !filling.fits(len)) {
      handOver();
    }
    if (filling == null) {
      Batch next = takeFreeBatch();
      if (next == null) {
        counters.dropped(DropReason.SEND_QUEUE_FULL);
        return;
      }
      next.buffer = channel.alloc().directBuffer(BATCH_BYTES, BATCH_BYTES);
      filling = next;
    }
    filling.add(addressOf(to), buf, off, len);
  }

  /** A free batch, waiting for one if all are in flight (see the class comment); null if none came. */
  private Batch takeFreeBatch() {
    Batch next = free.poll();
    if (next != null || channel.eventLoop().inEventLoop()) {
      return next;
    }
    try {
      return free.poll(PRODUCER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the worker is being stopped: drop, never block on
      return null;
    }
  }

  /** Hands what is queued to the event loop; returns at once. */
  synchronized void flush() {
    if (filling != null) {
      handOver();
    }
  }

  /** Guarded by this. */
  private void handOver() {
    Batch batch = filling;
    filling = null;
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      batch.run();
      return;
    }
    try {
      loop.execute(batch);
    } catch (RejectedExecutionException e) {
      batch.discard(DropReason.SEND_AFTER_CLOSE); // the loop is shutting down with the transport
    }
  }

  /** Guarded by this. */
  private InetSocketAddress addressOf(UdpEndpoint to) {
    if (to.equals(lastRecipient)) {
      return lastAddress;
    }
    InetSocketAddress address = addresses.get(to);
    if (address == null) {
      if (addresses.size() >= MAX_CACHED_RECIPIENTS) {
        addresses.clear();
      }
      address = NettyIkeTransport.toSocketAddress(to);
      addresses.put(to, address);
    }
    lastRecipient = to;
    lastAddress = address;
    return address;
  }

  private void segmentationFailed(Throwable cause) {
    boolean unsupported = cause instanceof UnsupportedOperationException
        || cause instanceof Errors.NativeIoException e
            && (e.expectedErr() == -EIO || e.expectedErr() == -EINVAL
                || e.expectedErr() == -EMSGSIZE);
    if (unsupported && segmentation) {
      segmentation = false;
      LOG.warn("UDP GSO send on {} refused ({}); sending ESP datagrams one by one from now on",
          channel.localAddress(), cause.toString());
    }
  }

  /** Staged datagrams: contiguous in one direct buffer, with their lengths and recipients. */
  private final class Batch implements Runnable {
    private ByteBuf buffer;
    private final int[] lengths = new int[BATCH_DATAGRAMS];
    private final InetSocketAddress[] recipients =
        new InetSocketAddress[BATCH_DATAGRAMS];
    private int count;

    boolean fits(int len) {
      return count < BATCH_DATAGRAMS && buffer.writableBytes() >= len;
    }

    void add(InetSocketAddress to, byte[] buf, int off, int len) {
      buffer.writeBytes(buf, off, len);
      lengths[count] = len;
      recipients[count++] = to;
    }

    /** On the event loop: writes every datagram (runs as GSO sends), flushes once, recycles. */
    @Override
    public void run() {
      if (!channel.isActive()) {
        discard(DropReason.SEND_AFTER_CLOSE);
        return;
      }
      boolean gso = segmentation;
      ChannelFuture last = null;
      int offset = 0;
      for (int i = 0; i < count; ) {
        int n = gso ? runLength(i) : 1;
        int bytes = 0;
        for (int k = i; k < i + n; k++) {
          bytes += lengths[k];
        }
        ByteBuf slice = buffer.retainedSlice(offset, bytes);
        if (n > 1) {
          last = channel.write(new SegmentedDatagramPacket(slice, lengths[i], recipients[i]))
              .addListener(segmented[n]);
        } else {
          last = channel.write(new DatagramPacket(slice, recipients[i])).addListener(single);
        }
        offset += bytes;
        i += n;
      }
      channel.flush();
      // Writes complete in order: once the last one did (sent, or failed with the channel), the
      // whole batch left, and only then may the producer fill it again (the backpressure bound).
      if (last == null) {
        recycle();
      } else {
        last.addListener(recycleWhenSent);
      }
    }

    private final ChannelFutureListener recycleWhenSent = future -> recycle();

    /**
     * How many datagrams from {@code first} on form one GSO send: same recipient, all of the first
     * one's length but the last, which may be shorter (udp(7): every segment but the last is
     * exactly the segment size), within the segment and byte limits.
     */
    private int runLength(int first) {
      int size = lengths[first];
      if (size > maxSegment) {
        return 1;
      }
      InetSocketAddress to = recipients[first];
      int bytes = size;
      int next = first + 1;
      while (next < count && next - first < MAX_SEGMENTS && recipients[next] == to) {
        int len = lengths[next];
        if (len > size || bytes + len > MAX_SEGMENTED_BYTES) {
          break;
        }
        bytes += len;
        next++;
        if (len < size) {
          break;
        }
      }
      return next - first;
    }

    /** Drops every staged datagram, counted under {@code reason}, and recycles the batch. */
    void discard(DropReason reason) {
      counters.dropped(reason, count);
      recycle();
    }

    private void recycle() {
      buffer.release(); // written slices keep their own references until sent
      buffer = null;
      Arrays.fill(recipients, 0, count, null);
      count = 0;
      free.add(this);
    }
  }
}
