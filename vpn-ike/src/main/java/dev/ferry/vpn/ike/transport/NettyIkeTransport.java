package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The IKE transport on real UDP sockets, built on Netty: for every configured address one socket on
 * the IKE port and one on the NAT-traversal port, all served by one small event loop group (epoll
 * where available, NIO otherwise). One transport serves every IKE SA of the endpoint; finding the
 * SA by SPI is the message handler's job.
 *
 * <p>Received datagrams are copied into heap arrays and their buffers released at once, so no
 * reference-counted object leaves this class; they are then demultiplexed as RFC 3948 section 2
 * says (see {@link IkeUdpTransport}). Handlers run on the event loop thread and must not block.
 * Bind the concrete addresses the peers use: a socket bound to a wildcard address reports the
 * wildcard as its local endpoint.
 */
public final class NettyIkeTransport extends AbstractUdpTransport<Channel> {

  private final EventLoopGroup group;
  private final NettyTransportOptions options;
  private final boolean nativeTransport;
  private final ChannelFutureListener[] sendOutcome;

  private NettyIkeTransport(
      TransportCounters counters,
      List<Bound<Channel>> bound,
      EventLoopGroup group,
      NettyTransportOptions options,
      boolean nativeTransport) {
    super(counters, bound);
    this.group = group;
    this.options = options;
    this.nativeTransport = nativeTransport;
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
    try {
      for (IpAddress address : config.addresses()) {
        for (PortRole role : PortRole.values()) {
          bound.add(bind(group, options, nativeTransport, demux, address, config.port(role), role));
        }
      }
    } catch (RuntimeException e) {
      for (Bound<Channel> b : bound) {
        b.socket().close().awaitUninterruptibly();
      }
      shutDown(group, options);
      throw e;
    }
    return new NettyIkeTransport(counters, bound, group, options, nativeTransport);
  }

  /** Whether the sockets use native epoll rather than NIO. */
  public boolean usesNativeTransport() {
    return nativeTransport;
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
    return "NettyIkeTransport" + localSockets() + (nativeTransport ? " epoll" : " nio");
  }

  private static Bound<Channel> bind(
      EventLoopGroup group,
      NettyTransportOptions options,
      boolean nativeTransport,
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
            .option(
                ChannelOption.RECVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(options.maxDatagramSize()))
            .handler(new Receiver(demux, role));
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

  /** Per-socket receive handler: copy to heap, release, demultiplex. Never throws or logs. */
  private static final class Receiver extends ChannelInboundHandlerAdapter {

    private final DatagramDemultiplexer demux;
    private final PortRole role;
    private LocalSocket local;

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
      byte[] copy;
      UdpEndpoint remote;
      try {
        ByteBuf content = packet.content();
        copy = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), copy);
        remote = toEndpoint(packet.sender());
      } finally {
        packet.release();
      }
      if (local == null) {
        // Known only after bind; the handler runs on one thread, so a plain field is enough.
        local = new LocalSocket(toEndpoint((InetSocketAddress) ctx.channel().localAddress()), role);
      }
      demux.dispatch(local, remote, copy, 0, copy.length);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      demux.receiveFailed();
    }
  }
}
