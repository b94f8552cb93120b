package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.ExecutorScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.ike.DataPlaneLifetimeBridge;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.ike.HalfOpenPolicy;
import dev.ferry.vpn.ike.IkeEndpoint;
import dev.ferry.vpn.ike.IkeEnvironment;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.IkeSaInfo;
import dev.ferry.vpn.ike.IkeSaState;
import dev.ferry.vpn.ike.transport.EspDatagramHandler;
import dev.ferry.vpn.ike.transport.EspTransportLink;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import dev.ferry.vpn.ike.transport.IkeUdpTransport;
import dev.ferry.vpn.ike.transport.TransportStats;
import dev.ferry.vpn.ike.transport.NettyIkeTransport;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@link IkeEndpoint} for one configured peer, with the threads it needs: a single
 * thread for all IKE SA work and timers (the endpoint's serial executor), one for event logging,
 * and Netty's I/O thread. Queries ({@link #snapshot()}) run on the SA thread, because the endpoint's
 * state is confined to it.
 *
 * <p>Negotiated CHILD SAs go to vpn-esp's {@link SaStore}; ESP-in-UDP datagrams arriving on the
 * NAT-traversal sockets go to {@link #espLink()}, to which a {@link SidecarDataPlane} attaches
 * (until then they are counted and dropped). The store's lifetime events come back here: a soft
 * limit rekeys the CHILD SA, a hard limit deletes it (RFC 7296 section 2.8).
 */
final class SidecarEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("ferry.sidecar");
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final IkePeerConfig peer;
  private final ScheduledExecutorService saThread;
  private final ExecutorService eventThread;
  private final SaStore childSas;
  private final EspTransportLink espLink = new EspTransportLink();
  private final IkeEndpoint endpoint;
  private final IkeUdpTransport transport;
  private final List<UdpEndpoint> localEndpoints;
  private volatile SidecarDataPlane dataPlane;

  /** One IKE SA as {@code status} shows it, with our view of its state. */
  record IkeSaStatus(IkeSaInfo info, IkeSaState state) {
    long localSpi() {
      return info.initiator() ? info.initiatorSpi() : info.responderSpi();
    }
  }

  /**
   * The endpoint's IKE SAs and installed CHILD SAs at one moment, and the data plane's counters
   * ({@link SidecarDataPlane#describe()}, empty without a data plane).
   */
  record Snapshot(List<IkeSaStatus> ikeSas, List<ChildSaSpec> childSas, String dataPlane) {}

  /**
   * Opens the endpoint's IKE transport: Netty's UDP sockets in production. The seam lets the
   * interop tests wrap the transport to watch or reorder IKE messages on the wire.
   */
  @FunctionalInterface
  interface TransportOpener {
    /** Netty's UDP transport. */
    TransportOpener NETTY = NettyIkeTransport::open;

    IkeUdpTransport open(IkeListenConfig listen, IkeMessageHandler handler,
        EspDatagramHandler espHandler);
  }

  private SidecarEndpoint(IkePeerConfig peer, IkeListenConfig listen, TransportOpener opener) {
    this.peer = peer;
    this.saThread = Executors.newSingleThreadScheduledExecutor(daemon("ferry-ike-sa"));
    this.eventThread = Executors.newSingleThreadExecutor(daemon("ferry-ike-events"));
    CryptoProvider crypto = new CryptoProvider(new SecureRandom());
    // Byte, packet and sequence lifetimes of the data plane drive CHILD rekeys (soft) and deletes
    // (hard); time lifetimes are the endpoint's own timers.
    DataPlaneLifetimeBridge lifetimes = new DataPlaneLifetimeBridge();
    this.childSas = new SaStore(crypto, new ExecutorScheduler(saThread), InstantSource.system(),
        lifetimes, new EspStats());
    IkeEnvironment environment = new IkeEnvironment(crypto,
        new ExecutorScheduler(saThread), InstantSource.system(), childSas, new SaEventLog(),
        eventThread, saThread);
    IkeUdpTransport[] opened = new IkeUdpTransport[1];
    try {
      this.endpoint = new IkeEndpoint(List.of(peer), environment, HalfOpenPolicy.DEFAULT,
          handler -> opened[0] = opener.open(listen, handler, espLink));
    } catch (RuntimeException e) {
      saThread.shutdownNow();
      eventThread.shutdownNow();
      throw e;
    }
    lifetimes.bind(endpoint);
    this.transport = opened[0];
    this.localEndpoints = opened[0].localEndpoints();
  }

  /**
   * Binds the transport on {@code listen} and starts the endpoint for {@code peer}.
   *
   * @throws dev.ferry.vpn.ike.transport.IkeTransportException when a socket cannot be bound
   */
  static SidecarEndpoint start(IkePeerConfig peer, IkeListenConfig listen) {
    return start(peer, listen, TransportOpener.NETTY);
  }

  /** As {@link #start(IkePeerConfig, IkeListenConfig)}, with the transport {@code opener} opens. */
  static SidecarEndpoint start(IkePeerConfig peer, IkeListenConfig listen,
      TransportOpener opener) {
    return new SidecarEndpoint(peer, listen, opener);
  }

  /**
   * Traffic to a held peer's subnets with no CHILD SA (dpdaction/closeaction=hold) starts a new
   * IKE SA; see {@link IkeEndpoint#acquire}.
   */
  void acquire(dev.ferry.vpn.core.net.IpAddress destination) {
    endpoint.acquire(destination);
  }

  /** The SA database the negotiated CHILD SAs are installed in. */
  SaStore childSas() {
    return childSas;
  }

  /** Shows {@code plane}'s counters in {@link #snapshot()} and closes it after the endpoint. */
  void attach(SidecarDataPlane plane) {
    this.dataPlane = plane;
  }

  /** Where the transport delivers ESP-in-UDP datagrams; attach the data plane here. */
  EspTransportLink espLink() {
    return espLink;
  }

  /** The IKE transport, whose NAT-traversal sockets also send the data plane's ESP-in-UDP. */
  IkeUdpTransport transport() {
    return transport;
  }

  IkePeerConfig peer() {
    return peer;
  }

  /** The bound sockets, e.g. {@code 192.0.2.1:500} and {@code 192.0.2.1:4500}. */
  List<UdpEndpoint> localEndpoints() {
    return localEndpoints;
  }

  /** Initiates IKE_SA_INIT and IKE_AUTH with the first CHILD SA towards {@code gateway}. */
  void initiate(IpAddress gateway) {
    endpoint.initiate(peer, new UdpEndpoint(gateway, peer.ikePort()));
  }

  Snapshot snapshot() {
    List<IkeSaStatus> ikeSas = onSaThread(() -> endpoint.ikeSas().stream()
        .map(info -> new IkeSaStatus(info, endpoint.state(
            info.initiator() ? info.initiatorSpi() : info.responderSpi())
            .orElse(IkeSaState.DEAD)))
        .toList());
    SidecarDataPlane plane = dataPlane;
    return new Snapshot(ikeSas, childSas.installed(), plane == null ? "" : plane.describe());
  }

  void rekeyChild(int inboundSpi) {
    endpoint.rekeyChild(inboundSpi);
  }

  void deleteChild(int inboundSpi) {
    endpoint.deleteChild(inboundSpi);
  }

  void deleteIke(long localSpi) {
    endpoint.delete(localSpi);
  }

  /**
   * Rekeys the IKE SA with our SPI {@code localSpi} with CREATE_CHILD_SA (RFC 7296 section 1.3.2);
   * its CHILD SAs move to the new IKE SA (section 2.18).
   */
  void rekeyIke(long localSpi) {
    endpoint.rekeyIke(localSpi);
  }

  /**
   * Deletes every established IKE SA with its peer ({@link IkeEndpoint#closeGracefully}: an
   * INFORMATIONAL DELETE each, RFC 7296 section 1.4.1), waits up to {@code wait} for the answers,
   * then closes the data plane and the threads. Returns the number of IKE SAs that were still
   * there when the wait ended.
   */
  int stop(Duration wait) {
    logCounters();
    long established = onSaThread(() -> endpoint.ikeSas().stream()
        .filter(info -> endpoint.state(info.initiator() ? info.initiatorSpi()
            : info.responderSpi()).orElse(IkeSaState.DEAD) == IkeSaState.ESTABLISHED)
        .count());
    if (established > 0) {
      LOG.info("stopping: deleting {} IKE SA(s) with the peer", established);
    }
    int remaining = 0;
    try {
      endpoint.closeGracefully(wait).get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("stopping: the graceful close did not finish: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      remaining = onSaThread(() -> endpoint.ikeSas().size());
    } catch (IllegalStateException e) {
      LOG.debug("SA thread did not answer after the close: {}", e.getMessage());
    }
    if (remaining > 0) {
      LOG.warn("stopping: {} IKE SA(s) not confirmed deleted by the peer within {} ms; closing "
          + "them locally", remaining, wait.toMillis());
    }
    close();
    return remaining;
  }

  /**
   * The forwarding and transport counters at INFO, once, when the sidecar stops: where packets
   * went and why any were dropped, for whoever reads the log after a run (a benchmark, an
   * incident) without a console attached.
   */
  private void logCounters() {
    SidecarDataPlane plane = dataPlane;
    if (plane != null) {
      LOG.info("final counters: {}", plane.describe());
    }
    TransportStats stats = transport().stats();
    StringBuilder drops = new StringBuilder();
    stats.drops().forEach((reason, count) -> {
      if (count > 0) {
        drops.append(drops.isEmpty() ? "" : ",").append(reason).append(':').append(count);
      }
    });
    LOG.info("final counters: transport ike-in={} ike-out={} esp-in={} esp-out={} gso-sends={}"
        + " gso-datagrams={} drops={}", stats.ikeReceived(), stats.ikeSent(), stats.espReceived(),
        stats.espSent(), stats.espSegmentedSends(), stats.espSegmentedDatagrams(),
        drops.isEmpty() ? "-" : drops);
  }

  /** Closes the endpoint (local teardown, no messages) and the transport, then the threads. */
  @Override
  public void close() {
    endpoint.close();
    SidecarDataPlane plane = dataPlane;
    if (plane != null) {
      plane.close(); // removes the routes and the TUN device
    }
    // close() queued the teardown on the SA thread; this barrier waits until it ran.
    try {
      onSaThread(() -> Boolean.TRUE);
    } catch (IllegalStateException e) {
      LOG.debug("SA thread did not confirm the teardown: {}", e.getMessage());
    }
    saThread.shutdown();
    eventThread.shutdown();
    try {
      saThread.awaitTermination(1, TimeUnit.SECONDS);
      eventThread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T onSaThread(Callable<T> query) {
    Future<T> result;
    try {
      result = saThread.submit(query);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the endpoint is stopped", e);
    }
    try {
      return result.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying the endpoint", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("endpoint query failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      result.cancel(false);
      throw new IllegalStateException("the endpoint did not answer within " + QUERY_TIMEOUT);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
