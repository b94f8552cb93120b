package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.esp.io.LinuxUdpSocket;
import dev.ferry.vpn.esp.io.UdpDatagramReceiver;
import dev.ferry.vpn.esp.io.UdpSendListener;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NAT-traversal socket served around Netty ({@link NettyTransportOptions#directEsp()}): a
 * dedicated reader thread ({@code ferry-esp-rx-PORT}) receives every datagram of the socket
 * through {@link LinuxUdpSocket#receive} and demultiplexes it (RFC 3948 section 2: ESP, IKE
 * behind the non-ESP marker, keepalives), calling {@link DatagramDemultiplexer#endOfBurst()} after
 * each burst; ESP is sent from the caller's thread through {@link LinuxUdpSocket#queue}. So inbound
 * decryption runs on the reader thread, outbound sends on the data plane's worker, and Netty's
 * event loop only sends IKE messages. Outcomes land in the transport's counters as Netty's would.
 */
final class DirectEspSocket {
  private static final Logger LOG = LoggerFactory.getLogger(DirectEspSocket.class);

  /**
   * How long one receive call waits for a datagram; closing wakes it at once (an eventfd), so this
   * only bounds how long the reader sits in one poll.
   */
  private static final int RECEIVE_TIMEOUT_MILLIS = 1000;
  /** Pause after a failed receive, so a socket stuck in an error state does not spin a core. */
  private static final long FAILURE_PAUSE_NANOS = 10_000_000L;

  private final LinuxUdpSocket socket;
  private final LocalSocket local;
  private final DatagramDemultiplexer demux;
  private final TransportCounters counters;
  private final Thread reader;

  private DirectEspSocket(LinuxUdpSocket socket, LocalSocket local, DatagramDemultiplexer demux,
      TransportCounters counters) {
    this.socket = socket;
    this.local = local;
    this.demux = demux;
    this.counters = counters;
    this.reader = new Thread(this::readLoop, "ferry-esp-rx-" + local.endpoint().port());
    reader.setDaemon(true);
  }

  /**
   * Attaches to {@code fd} (a bound, non-blocking UDP socket with UDP_GRO set, which its owner no
   * longer reads) and starts the reader.
   */
  static DirectEspSocket start(int fd, LocalSocket local, int maxSegment, boolean segmentation,
      DatagramDemultiplexer demux, TransportCounters counters) {
    LinuxUdpSocket socket = LinuxUdpSocket.attach(fd, local.endpoint().address().family(),
        maxSegment, segmentation, new Outcomes(counters));
    DirectEspSocket direct = new DirectEspSocket(socket, local, demux, counters);
    direct.reader.start();
    return direct;
  }

  void queue(UdpEndpoint to, byte[] buf, int off, int len) {
    socket.queue(to, buf, off, len);
  }

  void flush() {
    socket.flush();
  }

  boolean segmentation() {
    return socket.segmentation();
  }

  /** Stops the reader and the socket; afterwards the owner may close the descriptor. */
  void close(long timeoutMillis) {
    socket.close(); // wakes the reader, which then sees -1
    if (reader != Thread.currentThread()) {
      try {
        reader.join(timeoutMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void readLoop() {
    UdpDatagramReceiver receiver = new UdpDatagramReceiver() {
      @Override
      public void datagram(UdpEndpoint from, byte[] buf, int off, int len) {
        demux.dispatch(local, from, buf, off, len);
      }

      @Override
      public void truncated() {
        counters.dropped(DropReason.TRUNCATED);
      }
    };
    boolean failureLogged = false;
    while (true) {
      int received;
      try {
        received = socket.receive(receiver, RECEIVE_TIMEOUT_MILLIS);
      } catch (IOException | RuntimeException e) {
        // A RuntimeException would be a bug below the handlers (the demultiplexer contains
        // theirs); the socket must not go deaf because of one datagram.
        demux.receiveFailed();
        if (!failureLogged) {
          failureLogged = true; // once per socket: later failures are only counted
          LOG.warn("receiving on {} failed; the reader keeps trying and counts further failures",
              local.endpoint(), e);
        }
        LockSupport.parkNanos(FAILURE_PAUSE_NANOS);
        continue;
      }
      if (received < 0) {
        return;
      }
      if (received > 0) {
        demux.endOfBurst();
      }
    }
  }

  /** Send outcomes as Netty's listeners count them. */
  private record Outcomes(TransportCounters counters) implements UdpSendListener {
    @Override
    public void sent(int datagrams, boolean segmented) {
      counters.sent(DatagramKind.ESP, datagrams);
      if (segmented) {
        counters.sentSegmented(datagrams);
      }
    }

    @Override
    public void dropped(int datagrams, Failure failure) {
      counters.dropped(switch (failure) {
        case BUFFER_FULL -> DropReason.SEND_QUEUE_FULL;
        case REFUSED -> DropReason.SEND_FAILED;
        case CLOSED -> DropReason.SEND_AFTER_CLOSE;
      }, datagrams);
    }
  }
}
