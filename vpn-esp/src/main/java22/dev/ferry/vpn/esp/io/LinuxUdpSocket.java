package dev.ferry.vpn.esp.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ESP-in-UDP datagrams read and written straight on a bound UDP socket's descriptor through FFM:
 * the JDK 22+ class of vpn-esp's multi-release jar. The descriptor stays owned by whoever bound
 * the socket (Netty, in the IKE transport), which may go on sending its own datagrams on it (the
 * kernel serialises sends) but must stop reading it, and must close it only after {@link #close}.
 *
 * <p>Why: a bulk ESP flow is about 220,000 datagrams a second in each direction. Through a
 * general socket library each one is a message object, a buffer slice with a reference count, a
 * pipeline pass and, for sends, a hand-off to the library's I/O thread. Here a receive is one
 * {@code recvmsg} per coalesced read and one copy, and a send is one {@code sendmsg} per run of
 * datagrams, on the caller's thread.
 *
 * <p>Receiving ({@link #receive}, one reader thread): with {@code UDP_GRO} set on the socket (the
 * owner's job), one {@code recvmsg} returns up to 64 KiB of datagrams of one sender, all of the
 * segment size named in the {@code UDP_GRO} control message but the last, which may be shorter
 * (udp(7)). They are copied into one reused heap array at once and handed to the receiver one
 * datagram at a time. The sender's address is decoded only when it changes.
 *
 * <p>Sending ({@link #queue}, {@link #flush}; any thread, serialised): a datagram is copied into a
 * native staging buffer, where it joins the current run if it goes to the same recipient, is no
 * longer than the run's first datagram and the run has not ended with a shorter one; a run is
 * sent as one {@code sendmsg} with a {@code UDP_SEGMENT} control message (UDP GSO, Linux 4.18+),
 * which the kernel cuts into datagrams of the first one's length (udp(7)). A run holds at most
 * {@value #MAX_SEGMENTS} datagrams ({@code UDP_MAX_SEGMENTS}) and {@value #MAX_SEGMENTED_BYTES}
 * octets, and only datagrams of at most {@code maxSegment} octets, since the kernel refuses a
 * segment above the route's MTU. If the kernel refuses a segmented send anyway ({@code EIO}
 * without checksum offload, {@code EINVAL}/{@code EMSGSIZE} for a smaller MTU) the run is resent
 * datagram by datagram and the socket stops segmenting for good (logged once).
 *
 * <p>Backpressure: when the send buffer is full ({@code EAGAIN}) the sender waits up to {@value
 * #SEND_WAIT_MILLIS} ms for room ({@code poll(POLLOUT)}), so a producer that outruns the network
 * slows down instead of losing datagrams; only then are they dropped, as {@link
 * UdpSendListener.Failure#BUFFER_FULL}.
 */
public final class LinuxUdpSocket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxUdpSocket.class);

  /** Linux {@code UDP_MAX_SEGMENTS} (include/linux/udp.h): segments per GSO send, at most. */
  static final int MAX_SEGMENTS = 64;
  /** Largest UDP payload of one IPv4 datagram (65535 - 20 - 8): the most one GSO send holds. */
  static final int MAX_SEGMENTED_BYTES = 65_507;
  /** How long a send waits for room in a full send buffer before it drops. */
  static final int SEND_WAIT_MILLIS = 50;
  /** A coalesced read holds at most one IP packet's worth of UDP payload. */
  private static final int RECEIVE_BUFFER = 65_535;
  private static final long CONTROL_BUFFER = 64;
  /** CMSG_LEN and CMSG_SPACE of a 16-bit value: header plus data, and that rounded up to 8. */
  private static final long SEGMENT_CMSG_LEN = Libc.CMSG_HEADER + 2;
  private static final long SEGMENT_CMSG_SPACE = Libc.CMSG_HEADER + 8;
  /** {@code recvmsg} calls per {@link #receive}: a burst ends at least this often. */
  private static final int READS_PER_RECEIVE = 16;

  private static final ValueLayout.OfInt INT_BE =
      JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  private static final ValueLayout.OfLong LONG_BE =
      JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
  private static final ValueLayout.OfShort SHORT_BE =
      JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

  private final int fd;
  private final int wakeFd;
  private final IpFamily family;
  private final int maxSegment;
  private final UdpSendListener listener;
  private volatile boolean segmentation;
  private final CloseGate gate = new CloseGate();
  private final Arena arena = Arena.ofShared();
  private final MemorySegment closeState = arena.allocate(Libc.CALL_STATE);
  private final MemorySegment wakeValue = Libc.allocate(arena, 8);
  private boolean released;

  // Reader state: one thread. Automatic arenas, as in LinuxTunQueue: no session counter per call.
  private final Arena receiveArena = Arena.ofAuto();
  private final MemorySegment rxState = receiveArena.allocate(Libc.CALL_STATE);
  private final MemorySegment rxMessage = Libc.allocate(receiveArena, Libc.MSGHDR_SIZE);
  private final MemorySegment rxName = Libc.allocate(receiveArena, Libc.SOCKADDR_IN6_SIZE);
  private final MemorySegment rxControl = Libc.allocate(receiveArena, CONTROL_BUFFER);
  private final MemorySegment rxBuffer = Libc.allocate(receiveArena, RECEIVE_BUFFER);
  private final MemorySegment rxPoll;
  private final byte[] rxScratch = new byte[RECEIVE_BUFFER];
  private UdpEndpoint lastSender;
  private short lastSenderFamily;
  private long lastSenderHigh;
  private long lastSenderLow;
  private int lastSenderPort = -1;

  // Sender state: guarded by this.
  private final Arena sendArena = Arena.ofAuto();
  private final MemorySegment txState = sendArena.allocate(Libc.CALL_STATE);
  private final MemorySegment txMessage = Libc.allocate(sendArena, Libc.MSGHDR_SIZE);
  private final MemorySegment txIovec = Libc.allocate(sendArena, Libc.IOVEC_SIZE);
  private final MemorySegment txName = Libc.allocate(sendArena, Libc.SOCKADDR_IN6_SIZE);
  private final MemorySegment txControl = Libc.allocate(sendArena, SEGMENT_CMSG_SPACE);
  private final MemorySegment txBuffer = Libc.allocate(sendArena, MAX_SEGMENTED_BYTES);
  private final MemorySegment txPoll;
  private boolean closed;
  private UdpEndpoint encodedRecipient;
  private int encodedLength;
  private UdpEndpoint runTo;
  private int runSegment;
  private int runCount;
  private int runBytes;
  private boolean runEnded;

  private LinuxUdpSocket(int fd, int wakeFd, IpFamily family, int maxSegment,
      boolean segmentation, UdpSendListener listener) {
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.family = family;
    this.maxSegment = maxSegment;
    this.segmentation = segmentation;
    this.listener = listener;
    wakeValue.set(JAVA_LONG, 0, 1L);
    rxPoll = Libc.pollSet(receiveArena, fd, Libc.POLLIN, wakeFd);
    txPoll = Libc.pollSet(sendArena, fd, Libc.POLLOUT, wakeFd);

    MemorySegment rxIovec = Libc.allocate(receiveArena, Libc.IOVEC_SIZE);
    rxIovec.set(ADDRESS, 0, rxBuffer);
    rxIovec.set(JAVA_LONG, 8, RECEIVE_BUFFER);
    rxMessage.set(ADDRESS, Libc.MSG_NAME, rxName);
    rxMessage.set(ADDRESS, Libc.MSG_IOV, rxIovec);
    rxMessage.set(JAVA_LONG, Libc.MSG_IOVLEN, 1);
    rxMessage.set(ADDRESS, Libc.MSG_CONTROL, rxControl);

    txIovec.set(ADDRESS, 0, txBuffer);
    txMessage.set(ADDRESS, Libc.MSG_NAME, txName);
    txMessage.set(ADDRESS, Libc.MSG_IOV, txIovec);
    txMessage.set(JAVA_LONG, Libc.MSG_IOVLEN, 1);
    txMessage.set(ADDRESS, Libc.MSG_CONTROL, txControl);
    // The one control message a send carries: UDP_SEGMENT with the run's segment size.
    txControl.set(JAVA_LONG, 0, SEGMENT_CMSG_LEN);
    txControl.set(JAVA_INT, 8, Libc.SOL_UDP);
    txControl.set(JAVA_INT, 12, Libc.UDP_SEGMENT);
  }

  /** Whether this JVM can attach to sockets: FFM is there on JDK 22+, and so is Linux here. */
  public static boolean available() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
  }

  /**
   * Attaches to a bound, non-blocking UDP socket of {@code family}. The caller keeps ownership of
   * {@code fd}: it must not read from it while attached and must close it only after {@link
   * #close}.
   *
   * @param maxSegment the longest datagram that may be a GSO segment (the path MTU less the outer
   *     IP and UDP headers)
   * @param segmentation whether runs may go out as UDP GSO sends at all
   * @param listener hears every send's outcome, on the sending thread
   * @throws UnsupportedOperationException if this is not Linux
   * @throws IllegalStateException if the wake-up eventfd cannot be created
   */
  public static LinuxUdpSocket attach(int fd, IpFamily family, int maxSegment,
      boolean segmentation, UdpSendListener listener) {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(listener, "listener");
    if (!available()) {
      throw new UnsupportedOperationException("direct UDP socket I/O needs Linux; this is "
          + System.getProperty("os.name"));
    }
    if (fd < 0) {
      throw new IllegalArgumentException("file descriptor " + fd + " is negative");
    }
    if (maxSegment < 1 || maxSegment > MAX_SEGMENTED_BYTES) {
      throw new IllegalArgumentException(
          "maxSegment " + maxSegment + " is outside 1.." + MAX_SEGMENTED_BYTES);
    }
    try (Arena temporary = Arena.ofConfined()) {
      MemorySegment state = temporary.allocate(Libc.CALL_STATE);
      int wakeFd = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      if (wakeFd < 0) {
        int errno = Libc.errno(state);
        throw new IllegalStateException("eventfd for the UDP socket's wake-up failed: "
            + Libc.strerror(errno) + " (errno " + errno + ")");
      }
      return new LinuxUdpSocket(fd, wakeFd, family, maxSegment, segmentation, listener);
    }
  }

  /** Whether runs still go out as UDP GSO sends (false once the kernel refused one). */
  public boolean segmentation() {
    return segmentation;
  }

  /**
   * Hands every datagram that is ready to {@code receiver}, waiting up to {@code timeoutMillis}
   * (negative: no limit) when none is: at most {@value #READS_PER_RECEIVE} reads, so the caller
   * gets control back regularly to end the burst. One thread at a time.
   *
   * @return the datagrams handed over (0 when the time passed without any), or -1 once closed
   * @throws IOException if the socket fails in a way that waiting will not cure (e.g. {@code
   *     EBADF}); the socket stays usable if the caller wants to try again
   */
  public int receive(UdpDatagramReceiver receiver, int timeoutMillis) throws IOException {
    if (!gate.enter()) {
      return -1;
    }
    try {
      int delivered = drain(receiver);
      if (delivered > 0) {
        return delivered;
      }
      rxPoll.set(JAVA_SHORT, 6, (short) 0);
      rxPoll.set(JAVA_SHORT, Libc.POLLFD_SIZE + 6, (short) 0);
      int ready = Libc.poll(rxState, rxPoll, 2, timeoutMillis);
      if (gate.isClosed()) {
        return -1;
      }
      if (ready < 0) {
        int errno = Libc.errno(rxState);
        if (errno == Libc.EINTR) {
          return 0;
        }
        throw failure("poll(POLLIN)", errno);
      }
      return ready == 0 ? 0 : drain(receiver);
    } finally {
      gate.exit();
    }
  }

  private int drain(UdpDatagramReceiver receiver) throws IOException {
    int delivered = 0;
    for (int reads = 0; reads < READS_PER_RECEIVE; reads++) {
      // The kernel overwrites the lengths with what it filled in.
      rxMessage.set(JAVA_INT, Libc.MSG_NAMELEN, (int) Libc.SOCKADDR_IN6_SIZE);
      rxMessage.set(JAVA_LONG, Libc.MSG_CONTROLLEN, CONTROL_BUFFER);
      rxMessage.set(JAVA_INT, Libc.MSG_FLAGS, 0);
      long got = Libc.recvmsg(rxState, fd, rxMessage, Libc.MSG_DONTWAIT);
      if (got < 0) {
        int errno = Libc.errno(rxState);
        if (errno == Libc.EAGAIN) {
          break;
        }
        if (errno == Libc.EINTR) {
          continue;
        }
        throw failure("recvmsg", errno);
      }
      if ((rxMessage.get(JAVA_INT, Libc.MSG_FLAGS) & Libc.MSG_TRUNC) != 0) {
        receiver.truncated();
        continue;
      }
      UdpEndpoint from = sender();
      if (from == null) {
        continue; // not an IP sender: cannot happen on a UDP socket of ours
      }
      int length = (int) got;
      MemorySegment.copy(rxBuffer, JAVA_BYTE, 0, rxScratch, 0, length);
      int segment = groSegmentSize();
      if (segment <= 0 || segment >= length) {
        receiver.datagram(from, rxScratch, 0, length);
        delivered++;
        continue;
      }
      for (int at = 0; at < length; at += segment) {
        receiver.datagram(from, rxScratch, at, Math.min(segment, length - at));
        delivered++;
      }
    }
    return delivered;
  }

  /** The segment size of a coalesced read (udp(7), UDP_GRO control message), or 0. */
  private int groSegmentSize() {
    long length = rxMessage.get(JAVA_LONG, Libc.MSG_CONTROLLEN);
    long at = 0;
    while (at + Libc.CMSG_HEADER <= length) {
      long cmsgLength = rxControl.get(JAVA_LONG, at);
      if (cmsgLength < Libc.CMSG_HEADER || at + cmsgLength > length) {
        return 0;
      }
      if (rxControl.get(JAVA_INT, at + 8) == Libc.SOL_UDP
          && rxControl.get(JAVA_INT, at + 12) == Libc.UDP_GRO
          && cmsgLength >= Libc.CMSG_HEADER + 4) {
        return rxControl.get(JAVA_INT, at + Libc.CMSG_HEADER);
      }
      at += (cmsgLength + 7) & ~7L; // CMSG_NXTHDR: aligned to the size of a long
    }
    return 0;
  }

  /** The sender of the last read, decoded only when it differs from the one before. */
  private UdpEndpoint sender() {
    short senderFamily = rxName.get(JAVA_SHORT, 0);
    int port = Short.toUnsignedInt(rxName.get(SHORT_BE, 2));
    long high;
    long low;
    if (senderFamily == Libc.AF_INET) {
      high = 0;
      low = Integer.toUnsignedLong(rxName.get(INT_BE, 4));
    } else if (senderFamily == Libc.AF_INET6) {
      high = rxName.get(LONG_BE, 8);
      low = rxName.get(LONG_BE, 16);
    } else {
      return null;
    }
    if (senderFamily != lastSenderFamily || port != lastSenderPort || high != lastSenderHigh
        || low != lastSenderLow) {
      IpAddress address = senderFamily == Libc.AF_INET ? Ipv4Address.of((int) low)
          : Ipv6Address.of(high, low);
      if (address instanceof Ipv6Address v6 && v6.isIpv4Mapped()) {
        address = Ipv4Address.of((int) low); // as the JDK reports such a sender
      }
      lastSender = new UdpEndpoint(address, port);
      lastSenderFamily = senderFamily;
      lastSenderPort = port;
      lastSenderHigh = high;
      lastSenderLow = low;
    }
    return lastSender;
  }

  /**
   * Copies one datagram into the staging buffer; it goes out with its run, at the latest at the
   * next {@link #flush}. Never throws for network trouble: outcomes go to the listener.
   *
   * @throws IndexOutOfBoundsException if {@code [off, off+len)} is outside {@code buf}
   */
  public synchronized void queue(UdpEndpoint to, byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (closed) {
      listener.dropped(1, UdpSendListener.Failure.CLOSED);
      return;
    }
    if (len > MAX_SEGMENTED_BYTES) {
      listener.dropped(1, UdpSendListener.Failure.REFUSED); // no IPv4 UDP datagram is larger
      return;
    }
    if (runCount > 0 && !joinsRun(to, len)) {
      sendRun();
    }
    if (runCount == 0) {
      runTo = to;
      runSegment = len;
      runEnded = false;
    } else if (len < runSegment) {
      runEnded = true; // udp(7): only the last segment may be shorter
    }
    MemorySegment.copy(buf, off, txBuffer, JAVA_BYTE, runBytes, len);
    runBytes += len;
    runCount++;
    if (!segmentation || runSegment > maxSegment || runEnded || runCount == MAX_SEGMENTS) {
      sendRun(); // the run cannot grow: no reason to hold it
    }
  }

  /** Sends the run being staged, if any. */
  public synchronized void flush() {
    if (runCount > 0) {
      sendRun();
    }
  }

  /** Guarded by this. Whether a datagram of {@code len} to {@code to} extends the current run. */
  private boolean joinsRun(UdpEndpoint to, int len) {
    return len <= runSegment
        && runBytes + len <= MAX_SEGMENTED_BYTES
        && (to == runTo || to.equals(runTo));
  }

  /** Guarded by this. */
  private void sendRun() {
    int count = runCount;
    int bytes = runBytes;
    runCount = 0;
    runBytes = 0;
    if (!encodeRecipient(runTo)) {
      listener.dropped(count, UdpSendListener.Failure.REFUSED);
      return;
    }
    if (count == 1) {
      sendOne(0, bytes, 1);
      return;
    }
    txIovec.set(JAVA_LONG, 8, bytes);
    txControl.set(JAVA_SHORT, Libc.CMSG_HEADER, (short) runSegment);
    txMessage.set(JAVA_LONG, Libc.MSG_CONTROLLEN, SEGMENT_CMSG_SPACE);
    int errno = send();
    if (errno == 0) {
      listener.sent(count, true);
      return;
    }
    if (errno == Libc.EIO || errno == Libc.EINVAL || errno == Libc.EMSGSIZE) {
      if (segmentation) {
        segmentation = false;
        LOG.warn("UDP GSO send of {} datagrams of {} octets on fd {} refused ({}); sending"
            + " ESP datagrams one by one from now on", count, runSegment, fd,
            Libc.strerror(errno));
      }
      // The run is still staged: send its datagrams one by one.
      for (int i = 0, at = 0; i < count; i++) {
        int length = Math.min(runSegment, bytes - at);
        sendOne(at, length, 1);
        at += length;
      }
      return;
    }
    listener.dropped(count, failureOf(errno));
  }

  /** Guarded by this. Sends {@code txBuffer[at, at+length)} as one plain datagram. */
  private void sendOne(int at, int length, int datagrams) {
    txIovec.set(ADDRESS, 0, at == 0 ? txBuffer : txBuffer.asSlice(at));
    txIovec.set(JAVA_LONG, 8, length);
    txMessage.set(JAVA_LONG, Libc.MSG_CONTROLLEN, 0);
    int errno = send();
    if (at != 0) {
      txIovec.set(ADDRESS, 0, txBuffer);
    }
    if (errno == 0) {
      listener.sent(datagrams, false);
    } else {
      listener.dropped(datagrams, failureOf(errno));
    }
  }

  private static UdpSendListener.Failure failureOf(int errno) {
    return errno == Libc.EAGAIN ? UdpSendListener.Failure.BUFFER_FULL
        : errno == Libc.EBADF ? UdpSendListener.Failure.CLOSED
        : UdpSendListener.Failure.REFUSED;
  }

  /**
   * Guarded by this. One {@code sendmsg} of the prepared message, waiting for room at most
   * {@link #SEND_WAIT_MILLIS} in all; 0 when sent, else the errno.
   */
  private int send() {
    long deadline = 0;
    while (true) {
      long sent = Libc.sendmsg(txState, fd, txMessage, Libc.MSG_DONTWAIT);
      if (sent >= 0) {
        return 0;
      }
      int errno = Libc.errno(txState);
      if (errno == Libc.EINTR) {
        continue;
      }
      if (errno != Libc.EAGAIN) {
        return errno;
      }
      long now = System.nanoTime();
      if (deadline == 0) {
        deadline = now + TimeUnit.MILLISECONDS.toNanos(SEND_WAIT_MILLIS);
      }
      long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - now);
      if (waitMillis <= 0 || !awaitWritable((int) waitMillis)) {
        return Libc.EAGAIN;
      }
    }
  }

  /** Guarded by this. Waits until the socket takes more or the wait ends; false if closed. */
  private boolean awaitWritable(int timeoutMillis) {
    txPoll.set(JAVA_SHORT, 6, (short) 0);
    txPoll.set(JAVA_SHORT, Libc.POLLFD_SIZE + 6, (short) 0);
    Libc.poll(txState, txPoll, 2, timeoutMillis); // EINTR or a timeout: the caller retries
    return !gate.isClosed();
  }

  /** Guarded by this. Writes {@code to} into the message's socket address; false if impossible. */
  private boolean encodeRecipient(UdpEndpoint to) {
    if (to == encodedRecipient || to.equals(encodedRecipient)) {
      txMessage.set(JAVA_INT, Libc.MSG_NAMELEN, encodedLength);
      return true;
    }
    txName.fill((byte) 0);
    if (family == IpFamily.IPV4) {
      if (!(to.address() instanceof Ipv4Address v4)) {
        return false; // an IPv4 socket cannot reach an IPv6 peer
      }
      txName.set(JAVA_SHORT, 0, Libc.AF_INET);
      txName.set(SHORT_BE, 2, (short) to.port());
      txName.set(INT_BE, 4, v4.bits());
      encodedLength = (int) Libc.SOCKADDR_IN_SIZE;
    } else {
      long high;
      long low;
      if (to.address() instanceof Ipv4Address v4) {
        high = 0;
        low = 0xffff_0000_0000L | Integer.toUnsignedLong(v4.bits()); // ::ffff:a.b.c.d
      } else {
        Ipv6Address v6 = (Ipv6Address) to.address();
        high = v6.high();
        low = v6.low();
      }
      txName.set(JAVA_SHORT, 0, Libc.AF_INET6);
      txName.set(SHORT_BE, 2, (short) to.port());
      txName.set(LONG_BE, 8, high);
      txName.set(LONG_BE, 16, low);
      encodedLength = (int) Libc.SOCKADDR_IN6_SIZE;
    }
    encodedRecipient = to;
    txMessage.set(JAVA_INT, Libc.MSG_NAMELEN, encodedLength);
    return true;
  }

  private IOException failure(String call, int errno) {
    return new IOException(call + " on UDP socket fd " + fd + " failed: " + Libc.strerror(errno)
        + " (errno " + errno + ")");
  }

  /**
   * Stops this socket: wakes a reader blocked in {@link #receive} (which returns -1), drops what
   * is still staged (counted as {@link UdpSendListener.Failure#CLOSED}) and refuses later sends.
   * Returns once no call uses the descriptor any more, so the owner may close it then. The
   * descriptor itself is not closed. Idempotent.
   */
  @Override
  public void close() {
    if (gate.close()) {
      Libc.write(closeState, wakeFd, wakeValue, 8);
    }
    synchronized (this) {
      if (released) {
        return;
      }
      closed = true;
      if (runCount > 0) {
        listener.dropped(runCount, UdpSendListener.Failure.CLOSED);
        runCount = 0;
        runBytes = 0;
      }
      if (!gate.awaitIdle(TimeUnit.SECONDS.toNanos(10))) {
        // Closing the eventfd under a reader still polling it could hand it another file.
        LOG.warn("a reader of UDP socket fd {} did not leave within 10 s of close; its wake-up"
            + " eventfd stays open", fd);
        return;
      }
      released = true;
      Libc.close(closeState, wakeFd);
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "LinuxUdpSocket[fd=" + fd + ", " + family + ", GSO " + segmentation + "]";
  }
}
