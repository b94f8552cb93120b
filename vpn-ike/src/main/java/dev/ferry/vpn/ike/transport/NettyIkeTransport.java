package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.esp.io.LinuxUdpSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IKE transport on real UDP sockets, built on Netty: for every configured address one socket on
 * the IKE port and one on the NAT-traversal port, all served by one small event loop group (epoll
 * where available, NIO otherwise). One transport serves every IKE SA of the endpoint; finding the
 * SA by SPI is the message handler's job.
 *
 * <p>Receiving: each datagram is copied from Netty's buffer into the socket's reused heap scratch
 * array and the buffer released at once, so no reference-counted object leaves this class; it is
 * then demultiplexed as RFC 3948 section 2 says (see {@link IkeUdpTransport}): ESP is handed to
 * the ESP handler in the scratch array (its contract: owned for the call only), IKE messages get
 * their own copy. When Netty's read loop ends ({@code channelReadComplete}) the ESP handler gets
 * {@link EspDatagramHandler#endOfBurst()}. On epoll with {@link
 * NettyTransportOptions#udpOffloads()}, the socket accepts coalesced datagrams ({@code UDP_GRO}):
 * one {@code recvmsg} returns a whole GSO send of the peer, which Netty (or this class, should
 * Netty not) splits at its segment size; without offloads, one {@code recvmmsg} reads up to
 * {@value #RECEIVE_SLOTS} datagrams ({@code MAX_DATAGRAM_PAYLOAD_SIZE}). The sender's address
 * is converted once per sender, not per datagram. Handlers run on the event loop thread and must
 * not block.
 *
 * <p>Sending: IKE messages and keepalives are written at once. ESP datagrams are queued per
 * NAT-traversal socket by {@link #sendEsp} and sent at {@link #flushEsp()} in one event-loop task
 * with one flush, as UDP GSO runs where the kernel supports them (see {@link EspSendQueue}).
 *
 * <p>Every socket asks for {@link NettyTransportOptions#socketBufferSize()} octets of receive and
 * send buffer. Bind the concrete addresses the peers use: a socket bound to a wildcard address
 * reports the wildcard as its local endpoint.
 */
public final class NettyIkeTransport extends AbstractUdpTransport<Channel> {
  private static final Logger LOG = LoggerFactory.getLogger(NettyIkeTransport.class);

  /** The largest UDP datagram, which a coalesced (GRO) read may reach. */
  private static final int MAX_GRO_DATAGRAM = 65535;
  /** Datagrams one recvmmsg call may return. */
  private static final int RECEIVE_SLOTS = 8;

  private final EventLoopGroup group;
  private final NettyTransportOptions options;
  private final boolean nativeTransport;
  private final ChannelFutureListener[] sendOutcome;
  /** The ESP send queue of every NAT-traversal socket. */
  private final Map<Channel, EspSendQueue> espQueues = new HashMap<>();
  /** The queue the last ESP datagram went to (usually the only one). */
  private EspSendQueue lastQueue;
  /** NAT-traversal sockets served around Netty ({@link NettyTransportOptions#directEsp()}). */
  private final Map<Channel, DirectEspSocket> directSockets;
  /** The direct socket the last ESP datagram went to (usually the only one), with its channel. */
  private DirectRoute lastDirect;

  private record DirectRoute(Channel channel, DirectEspSocket socket) {}

  private NettyIkeTransport(
      TransportCounters counters,
      List<Bound<Channel>> bound,
      EventLoopGroup group,
      NettyTransportOptions options,
      boolean nativeTransport,
      Map<Channel, DirectEspSocket> directSockets) {
    super(counters, bound);
    this.group = group;
    this.options = options;
    this.nativeTransport = nativeTransport;
    this.directSockets = directSockets;
    boolean segmentation = nativeTransport && options.udpOffloads()
        && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    for (Bound<Channel> b : bound) {
      if (b.local().role() == PortRole.NAT_TRAVERSAL && !directSockets.containsKey(b.socket())) {
        espQueues.put(b.socket(),
            new EspSendQueue(b.socket(), counters, segmentation, maxSegment(b.local())));
      }
    }
    // One listener per kind, made once: sending allocates no listener.
    this.sendOutcome = new ChannelFutureListener[DatagramKind.values().length];
    for (DatagramKind kind : DatagramKind.values()) {
      sendOutcome[kind.ordinal()] =
          future -> {
            if (future.isSuccess()) {
              counters.sent(kind);
            } else {
              counters.dropped(DropReason.SEND_FAILED);
            }
          };
    }
  }

  /**
   * The longest ESP datagram that may be a GSO segment: a segment must fit the route's MTU (the
   * kernel refuses it otherwise), so Ethernet's 1500 octets less the outer IP and UDP headers.
   */
  private static int maxSegment(LocalSocket local) {
    return local.endpoint().address().family() == IpFamily.IPV4 ? 1500 - 20 - 8 : 1500 - 40 - 8;
  }

  /**
   * Whether NAT-traversal sockets are served around Netty: epoll with GRO reads (the socket has
   * UDP_GRO set, so the direct reader gets what Netty would), JDK 22+ on Linux, and the option.
   */
  private static boolean directEsp(NettyTransportOptions options, boolean nativeTransport) {
    return nativeTransport && options.directEsp() && options.udpOffloads()
        && options.maxDatagramSize() == MAX_GRO_DATAGRAM && LinuxUdpSocket.available();
  }

  /**
   * Binds the sockets of {@code config} with default options.
   *
   * @param espHandler receives ESP-in-UDP; null to count and drop it
   * @throws IkeTransportException if any socket cannot be bound (nothing stays bound)
   */
  public static NettyIkeTransport open(
      IkeListenConfig config, IkeMessageHandler ikeHandler, EspDatagramHandler espHandler) {
    return open(config, NettyTransportOptions.defaults(), ikeHandler, espHandler);
  }

  /**
   * Binds the sockets of {@code config}.
   *
   * @param espHandler receives ESP-in-UDP; null to count and drop it
   * @throws IkeTransportException if any socket cannot be bound (nothing stays bound)
   */
  public static NettyIkeTransport open(
      IkeListenConfig config,
      NettyTransportOptions options,
      IkeMessageHandler ikeHandler,
      EspDatagramHandler espHandler) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    TransportCounters counters = new TransportCounters();
    DatagramDemultiplexer demux = new DatagramDemultiplexer(ikeHandler, espHandler, counters);
    boolean nativeTransport = options.preferNativeTransport() && Epoll.isAvailable();
    IoHandlerFactory ioFactory =
        nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            options.eventLoopThreads(), new DefaultThreadFactory("ferry-ike-udp", true), ioFactory);
    List<Bound<Channel>> bound = new ArrayList<>();
    boolean direct = directEsp(options, nativeTransport);
    Map<Channel, DirectEspSocket> directSockets = new HashMap<>();
    try {
      for (IpAddress address : config.addresses()) {
        for (PortRole role : PortRole.values()) {
          bound.add(bind(group, options, nativeTransport,
              direct && role == PortRole.NAT_TRAVERSAL, demux, address, config.port(role), role));
        }
      }
      boolean segmentation = EpollDatagramChannel.isSegmentedDatagramPacketSupported();
      for (Bound<Channel> b : bound) {
        if (direct && b.local().role() == PortRole.NAT_TRAVERSAL) {
          int fd = ((EpollDatagramChannel) b.socket()).fd().intValue();
          try {
            directSockets.put(b.socket(), DirectEspSocket.start(
                fd, b.local(), maxSegment(b.local()), segmentation, demux, counters));
          } catch (RuntimeException e) {
            // E.g. native access denied (--illegal-native-access=deny): Netty serves the socket
            // after all, which it does not read until told to.
            LOG.warn("direct ESP I/O on {} unavailable ({}); the socket stays on Netty",
                b.local().endpoint(), e.toString());
            b.socket().config().setAutoRead(true);
          }
        }
      }
    } catch (RuntimeException e) {
      for (DirectEspSocket socket : directSockets.values()) {
        socket.close(options.shutdownTimeout().toMillis());
      }
      for (Bound<Channel> b : bound) {
        b.socket().close().awaitUninterruptibly();
      }
      shutDown(group, options);
      throw e;
    }
    return new NettyIkeTransport(counters, bound, group, options, nativeTransport, directSockets);
  }

  /** Whether the sockets use native epoll rather than NIO. */
  public boolean usesNativeTransport() {
    return nativeTransport;
  }

  /** Whether runs of ESP datagrams go out as UDP GSO sends (epoll, kernel support, no refusal). */
  public boolean usesSegmentation() {
    for (EspSendQueue queue : espQueues.values()) {
      if (!queue.segmentation()) {
        return false;
      }
    }
    for (DirectEspSocket socket : directSockets.values()) {
      if (!socket.segmentation()) {
        return false;
      }
    }
    return !espQueues.isEmpty() || !directSockets.isEmpty();
  }

  /** Whether the NAT-traversal sockets are served around Netty ({@link DirectEspSocket}). */
  public boolean usesDirectEsp() {
    return !directSockets.isEmpty();
  }

  @Override
  void transmitEsp(Bound<Channel> from, UdpEndpoint to, byte[] buf, int off, int len) {
    if (!directSockets.isEmpty()) {
      DirectRoute route = lastDirect;
      if (route == null || route.channel() != from.socket()) {
        DirectEspSocket socket = directSockets.get(from.socket());
        route = socket == null ? null : new DirectRoute(from.socket(), socket);
        lastDirect = route; // a racy cache of an immutable pair: any value it holds is valid
      }
      if (route != null) {
        route.socket().queue(to, buf, off, len);
        return;
      }
    }
    EspSendQueue queue = lastQueue;
    if (queue == null || queue.channel() != from.socket()) {
      queue = espQueues.get(from.socket());
      lastQueue = queue; // a racy cache: any queue it holds is a valid one
    }
    queue.queue(to, buf, off, len);
  }

  @Override
  void transmitQueuedEsp() {
    for (DirectEspSocket socket : directSockets.values()) {
      socket.flush();
    }
    for (EspSendQueue queue : espQueues.values()) {
      queue.flush();
    }
  }

  @Override
  void transmit(
      Bound<Channel> from,
      UdpEndpoint to,
      DatagramKind kind,
      int prefix,
      byte[] buf,
      int off,
      int len) {
    Channel channel = from.socket();
    ByteBuf out = channel.alloc().directBuffer(prefix + len);
    // The prefix is the RFC 3948 section 2.2 non-ESP marker: zero octets.
    out.writeZero(prefix);
    out.writeBytes(buf, off, len);
    channel
        .writeAndFlush(new DatagramPacket(out, toSocketAddress(to)))
        .addListener(sendOutcome[kind.ordinal()]);
  }

  @Override
  void release() {
    transmitQueuedEsp(); // what is queued goes out (or is counted) before the sockets close
    // The direct readers and senders leave the descriptors before Netty closes them.
    for (DirectEspSocket socket : directSockets.values()) {
      socket.close(options.shutdownTimeout().toMillis());
    }
    List<ChannelFuture> closing = new ArrayList<>();
    for (Bound<Channel> b : bound()) {
      closing.add(b.socket().close());
    }
    if (!onOwnEventLoop(group)) {
      for (ChannelFuture future : closing) {
        future.awaitUninterruptibly(options.shutdownTimeout().toMillis());
      }
    }
    shutDown(group, options);
  }

  @Override
  public String toString() {
    return "NettyIkeTransport" + localSockets() + (nativeTransport ? " epoll" : " nio")
        + (directSockets.isEmpty() ? "" : " direct-esp");
  }

  private static Bound<Channel> bind(
      EventLoopGroup group,
      NettyTransportOptions options,
      boolean nativeTransport,
      boolean direct,
      DatagramDemultiplexer demux,
      IpAddress address,
      int port,
      PortRole role) {
    SocketProtocolFamily family =
        address.family() == IpFamily.IPV4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channelFactory(
                () ->
                    nativeTransport
                        ? new EpollDatagramChannel(family)
                        : new NioDatagramChannel(family))
            // Pooled: the receive and send staging buffers are hundreds of KiB each.
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.SO_RCVBUF, options.socketBufferSize())
            .option(ChannelOption.SO_SNDBUF, options.socketBufferSize())
            // The ESP send path bounds itself (EspSendQueue: batches in flight); the mark only
            // reports writability for other writers.
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(options.socketBufferSize() / 4, options.socketBufferSize()))
            .handler(new Receiver(demux, role));
    // A coalesced read can reach 64 KiB, so GRO only where datagrams that large are taken.
    boolean gro = nativeTransport && options.udpOffloads()
        && options.maxDatagramSize() == MAX_GRO_DATAGRAM;
    if (gro) {
      // UDP_GRO: one read may return up to 64 KiB of coalesced datagrams of one flow, which the
      // kernel describes by their segment size in a control message (udp(7)). Netty 4.2.18 passes
      // that size on only for recvmsg; a recvmmsg slot came back as one merged 5,508-octet
      // datagram in our test. So GRO reads one (possibly coalesced) datagram per recvmsg.
      bootstrap
          .option(EpollChannelOption.UDP_GRO, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
          .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_GRO_DATAGRAM));
      if (direct) {
        // Netty never reads this socket: DirectEspSocket's reader does.
        bootstrap.option(ChannelOption.AUTO_READ, false);
      }
    } else if (nativeTransport) {
      // recvmmsg: up to RECEIVE_SLOTS datagrams per system call, each in a slot of the largest
      // datagram we take.
      bootstrap
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, options.maxDatagramSize())
          .option(ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(options.maxDatagramSize() * RECEIVE_SLOTS));
    } else {
      bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR,
          new FixedRecvByteBufAllocator(options.maxDatagramSize()));
    }
    UdpEndpoint requested = new UdpEndpoint(address, port);
    ChannelFuture future = bootstrap.bind(toSocketAddress(requested)).awaitUninterruptibly();
    if (!future.isSuccess()) {
      throw new IkeTransportException(
          "cannot bind UDP "
              + requested
              + " ("
              + (role == PortRole.IKE ? "IKE" : "NAT-traversal")
              + " socket): "
              + future.cause().getMessage(),
          future.cause());
    }
    Channel channel = future.channel();
    UdpEndpoint actual = toEndpoint((InetSocketAddress) channel.localAddress());
    if (LOG.isDebugEnabled()) {
      DatagramChannelConfig config = (DatagramChannelConfig) channel.config();
      // Linux reports twice what was granted (half is bookkeeping) and caps the request at
      // net.core.rmem_max / wmem_max, which are global, not per network namespace.
      LOG.debug("UDP {} ({}): SO_RCVBUF {} SO_SNDBUF {} (asked {}), {}, GRO {}, direct {}", actual,
          role, config.getReceiveBufferSize(), config.getSendBufferSize(),
          options.socketBufferSize(), nativeTransport ? "epoll" : "nio", gro, direct);
    }
    return new Bound<>(new LocalSocket(actual, role), channel);
  }

  private static void shutDown(EventLoopGroup group, NettyTransportOptions options) {
    long timeoutMillis = options.shutdownTimeout().toMillis();
    var termination = group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS);
    // Waiting from an event loop thread (a handler closing the transport) would wait for itself.
    if (!onOwnEventLoop(group)) {
      termination.awaitUninterruptibly(timeoutMillis + 500);
    }
  }

  private static boolean onOwnEventLoop(EventLoopGroup group) {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  static InetSocketAddress toSocketAddress(UdpEndpoint endpoint) {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(endpoint.address().toBytes()), endpoint.port());
    } catch (UnknownHostException e) {
      // Only thrown for a byte array that is neither 4 nor 16 long, which IpAddress rules out.
      throw new IllegalStateException("IpAddress produced " + endpoint.address(), e);
    }
  }

  static UdpEndpoint toEndpoint(InetSocketAddress address) {
    return new UdpEndpoint(
        IpAddress.fromBytes(address.getAddress().getAddress()), address.getPort());
  }

  /**
   * Per-socket receive handler: copy into the scratch array, release, demultiplex; at the end of
   * each read loop, the burst end. Runs on the socket's event loop only, so plain fields suffice.
   * Never throws or logs.
   */
  private static final class Receiver extends ChannelInboundHandlerAdapter {

    private final DatagramDemultiplexer demux;
    private final PortRole role;
    /** Reused for every datagram: the demultiplexer copies IKE, ESP is the handler's per call. */
    private final byte[] scratch = new byte[MAX_GRO_DATAGRAM];
    private LocalSocket local;
    private InetSocketAddress lastSender;
    private UdpEndpoint lastRemote;

    Receiver(DatagramDemultiplexer demux, PortRole role) {
      this.demux = demux;
      this.role = role;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket packet)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      try {
        if (local == null) {
          // Known only after bind.
          local = new LocalSocket(
              toEndpoint((InetSocketAddress) ctx.channel().localAddress()), role);
        }
        UdpEndpoint remote = remoteOf(packet.sender());
        ByteBuf content = packet.content();
        // A coalesced (GRO) read is several datagrams of segmentSize octets, the last maybe
        // shorter (udp(7), UDP_GRO). Netty 4.2 splits them itself; this covers a version that
        // does not.
        int segment = packet instanceof SegmentedDatagramPacket s ? s.segmentSize() : 0;
        do {
          int length = segment > 0
              ? Math.min(segment, content.readableBytes()) : content.readableBytes();
          content.readBytes(scratch, 0, length);
          demux.dispatch(local, remote, scratch, 0, length);
        } while (content.isReadable());
      } finally {
        packet.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      demux.endOfBurst();
    }

    private UdpEndpoint remoteOf(InetSocketAddress sender) {
      if (!sender.equals(lastSender)) {
        lastRemote = toEndpoint(sender);
        lastSender = sender;
      }
      return lastRemote;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      demux.receiveFailed();
    }
  }
}
