package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.config.PeerAction;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.Scheduler;
import dev.ferry.vpn.ike.exchange.ChildCreateTask;
import dev.ferry.vpn.ike.exchange.CookieIssuer;
import dev.ferry.vpn.ike.exchange.CreateChildSaResponder;
import dev.ferry.vpn.ike.exchange.IkeRekeyHandover;
import dev.ferry.vpn.ike.exchange.IkeRekeyTask;
import dev.ferry.vpn.ike.exchange.DeleteTask;
import dev.ferry.vpn.ike.exchange.ExchangeContext;
import dev.ferry.vpn.ike.exchange.ExchangePlan;
import dev.ferry.vpn.ike.exchange.IkeAuthTask;
import dev.ferry.vpn.ike.exchange.IkeInitTask;
import dev.ferry.vpn.ike.exchange.IkeTask;
import dev.ferry.vpn.ike.exchange.NatDetectionTask;
import dev.ferry.vpn.ike.exchange.TaskManager;
import dev.ferry.vpn.ike.message.DecodeResult;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.FragmentReassembler;
import dev.ferry.vpn.ike.message.IkeHeader;
import dev.ferry.vpn.ike.message.IkeMessageDecoder;
import dev.ferry.vpn.ike.sa.IkeSa;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import dev.ferry.vpn.ike.transport.IkeUdpTransport;
import dev.ferry.vpn.ike.transport.LocalSocket;
import dev.ferry.vpn.ike.transport.PortRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IKEv2 endpoint: one transport (UDP 500 and 4500 per local address), many IKE SAs. Inbound
 * messages are dispatched by our SPI (RFC 7296 section 2.6); an IKE_SA_INIT request with a new
 * initiator SPI creates a responder SA for the first {@link IkePeerConfig} whose gateway matches
 * the sender, unless the half-open limit is reached; in IKE_AUTH the responder switches to the
 * matching configuration that expects the initiator's identity (RFC 7296 section 2.15), so several
 * peers behind one address each get their own configuration. {@link #initiate} starts IKE_SA_INIT and
 * IKE_AUTH with the first CHILD SA. Negotiated CHILD SAs go to the {@link ChildSaInstaller};
 * events go to the {@link IkeSessionListener} on the listener executor.
 *
 * <p>Threading: all SA work (dispatch, tasks, timers) runs on {@code saExecutor}, which must be
 * serial (e.g. a single-thread executor); tests pass {@code Runnable::run} and drive time with a
 * manual scheduler, so everything happens in the calling thread.
 */
public final class IkeEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IkeEndpoint.class);
  private final List<IkePeerConfig> peers;
  private final CryptoProvider crypto;
  private final Scheduler scheduler;
  private final ChildSaInstaller installer;
  private final IkeSessionListener listener;
  private final Executor listenerExecutor;
  private final Executor saExecutor;
  private final java.time.InstantSource clock;
  private final HalfOpenPolicy halfOpenPolicy;
  private final CookieIssuer cookies;
  private final IkeUdpTransport transport;
  private final RekeyAdmission rekeyAdmission;
  /**
   * When each CHILD SA reaches its hard lifetime, by inbound SPI: a refused rekey is retried only
   * before that (RFC 7296 section 2.8). Each entry goes when its hard-lifetime timer fires.
   */
  private final Map<Integer, java.time.Instant> childHardExpiry = new HashMap<>();
  /** When each established IKE SA reaches {@code ikeLifetime}, by our SPI; gone with the SA. */
  private final Map<Long, java.time.Instant> ikeHardExpiry = new HashMap<>();
  /** Written only on the SA executor; concurrent so status reads from other threads are safe. */
  private final Map<Long, Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<HalfOpenKey, Session> halfOpen = new HashMap<>();
  /** Which keying attempt an initiating IKE SA is, by our SPI, until it is established. */
  private final Map<Long, Integer> attempts = new HashMap<>();
  /**
   * strongSwan's trap policies: peers whose IKE SA died with {@code dpdaction}/{@code closeaction}
   * HOLD, by name, waiting for outbound traffic to {@link #acquire} them.
   * Concurrent because {@link #acquire} looks here from data-plane threads before dispatching.
   */
  private final Map<String, IkePeerConfig> trapped = new java.util.concurrent.ConcurrentHashMap<>();
  /** Set once {@link #closeGracefully} started: no new IKE SAs, the listed ones are deleting. */
  private GracefulClose closing;

  /** The IKE SAs whose delete exchange is still running, and who waits for the end of all. */
  private record GracefulClose(java.util.Set<Session> pending,
      java.util.concurrent.CompletableFuture<Void> done) { }

  private record Session(IkeSa sa, TaskManager tasks, ExchangeContext context,
      FragmentReassembler fragments) { }

  /** RFC 7383 section 2.6 leaves the bounds to us: a few messages, 64 KiB, 30 s. */
  private static final int MAX_REASSEMBLING_MESSAGES = 4;
  private static final int MAX_REASSEMBLY_BYTES = 65536;
  private static final java.time.Duration REASSEMBLY_TIMEOUT = java.time.Duration.ofSeconds(30);

  private record HalfOpenKey(long initiatorSpi, UdpEndpoint remote) { }

  /**
   * @param transportFactory opens the transport with the handler this endpoint receives on
   */
  public IkeEndpoint(List<IkePeerConfig> peers, IkeEnvironment environment,
      HalfOpenPolicy halfOpenPolicy,
      Function<IkeMessageHandler, IkeUdpTransport> transportFactory) {
    this.peers = List.copyOf(peers);
    this.crypto = environment.crypto();
    this.scheduler = environment.scheduler();
    this.clock = environment.clock();
    this.installer = environment.installer();
    this.listener = environment.listener();
    this.listenerExecutor = environment.listenerExecutor();
    this.saExecutor = environment.saExecutor();
    this.rekeyAdmission = environment.rekeyAdmission();
    this.halfOpenPolicy = Objects.requireNonNull(halfOpenPolicy, "halfOpenPolicy");
    byte[] secret = new byte[32];
    crypto.random().nextBytes(secret);
    this.cookies = new CookieIssuer(secret);
    this.transport = transportFactory.apply(
        (local, remote, message) -> saExecutor.execute(() -> dispatch(local, remote, message)));
  }

  /** Starts IKE_SA_INIT then IKE_AUTH (with the first CHILD SA) towards {@code remote}. */
  public void initiate(IkePeerConfig config, UdpEndpoint remote) {
    saExecutor.execute(() -> initiate(config, remote, 1));
  }

  private void initiate(IkePeerConfig config, UdpEndpoint remote, int attempt) {
    if (closing != null) {
      LOG.info("not initiating {}: the endpoint is closing", config.name());
      return;
    }
    {
      UdpEndpoint local = socket(remote, PortRole.IKE);
      IkeSa sa = new IkeSa(config, true, newIkeSpi(), 0, local, remote);
      Session session = register(sa);
      attempts.put(sa.localSpi(), attempt);
      sa.transition(IkeSaState.CONNECTING);
      LOG.info("initiating IKE SA {} to {}", config.name(), remote);
      ExchangeContext c = session.context();
      session.tasks().queue(new ExchangePlan(ExchangeType.IKE_SA_INIT,
          List.of(new IkeInitTask(c), new NatDetectionTask(c))));
      session.tasks().queue(new ExchangePlan(ExchangeType.IKE_AUTH,
          List.of(new IkeAuthTask(c), ChildCreateTask.inIkeAuth(c))));
    }
  }

  /**
   * Acquire-on-traffic (strongSwan's trap policy, RFC 4301 section 5.2's "acquire" of a new SA):
   * the data plane saw an outbound packet to {@code destination} but no CHILD SA for it. If the
   * packet falls into the remote subnets of a peer that is trapped (its IKE SA died with {@code
   * dpdaction=hold} or {@code closeaction=hold}) and the peer's gateway is known, a new IKE SA is
   * initiated. At most one initiation per peer is pending: while an IKE SA of that peer exists in
   * any state, further acquires are ignored. Cheap to call from a data-plane thread (no lock, the
   * work runs on the SA executor). Returns whether the destination belongs to a trapped peer.
   */
  public boolean acquire(dev.ferry.vpn.core.net.IpAddress destination) {
    Objects.requireNonNull(destination, "destination");
    for (IkePeerConfig config : trapped.values()) {
      if (config.remoteSubnets().stream().anyMatch(net -> net.contains(destination))) {
        saExecutor.execute(() -> acquireOnExecutor(config.name(), destination));
        return true;
      }
    }
    return false;
  }

  /** The names of the peers waiting for traffic to re-establish them ({@link #acquire}). */
  public java.util.Set<String> trappedPeers() {
    return java.util.Set.copyOf(trapped.keySet());
  }

  private void acquireOnExecutor(String peer, dev.ferry.vpn.core.net.IpAddress destination) {
    IkePeerConfig config = trapped.get(peer);
    if (config == null || closing != null
        || !(config.remoteGateway() instanceof RemoteGateway.Address gateway)) {
      return;
    }
    boolean pending = sessions.values().stream()
        .anyMatch(s -> s.sa().config().name().equals(peer) && s.sa().state() != IkeSaState.DEAD);
    if (pending) {
      return;
    }
    LOG.info("{}: traffic to {} acquires a new IKE SA", peer, destination);
    initiate(config, new UdpEndpoint(gateway.address(), config.ikePort()), 1);
  }

  /**
   * Deletes the IKE SA whose SPI on our side is {@code localSpi} (and all its CHILD SAs) with an
   * INFORMATIONAL exchange (RFC 7296 section 1.4.1); unknown SPIs are ignored.
   */
  public void delete(long localSpi) {
    saExecutor.execute(() -> {
      Session s = sessions.get(localSpi);
      if (s != null && s.sa().state() == IkeSaState.ESTABLISHED) {
        s.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
            List.of(DeleteTask.ikeSa(s.context()))));
      }
    });
  }

  /** Deletes the CHILD SA whose inbound SPI is {@code inboundSpi}; unknown SPIs are ignored. */
  public void deleteChild(int inboundSpi) {
    saExecutor.execute(() -> findChild(inboundSpi).ifPresent(found ->
        found.getKey().tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
            List.of(DeleteTask.childSa(found.getKey().context(), found.getValue()))))));
  }

  /**
   * Rekeys the CHILD SA whose inbound SPI is {@code inboundSpi} with CREATE_CHILD_SA (RFC 7296
   * section 1.3.3), with PFS when the ESP proposals name a group; the old SA is deleted once the
   * new one is installed (make-before-break). Unknown SPIs are ignored.
   */
  public void rekeyChild(int inboundSpi) {
    saExecutor.execute(() -> findChild(inboundSpi).ifPresent(found -> rekey(found.getKey(),
        found.getValue())));
  }

  /** Rekeys the IKE SA with our SPI {@code localSpi} (RFC 7296 section 1.3.2). */
  public void rekeyIke(long localSpi) {
    saExecutor.execute(() -> {
      Session s = sessions.get(localSpi);
      if (s != null) {
        rekeyIke(s);
      }
    });
  }

  /** Creates an additional CHILD SA for the IKE SA with our SPI {@code localSpi} (section 1.3.1). */
  public void createChild(long localSpi) {
    saExecutor.execute(() -> {
      Session s = sessions.get(localSpi);
      if (s != null && s.sa().state() == IkeSaState.ESTABLISHED) {
        s.tasks().queue(new ExchangePlan(ExchangeType.CREATE_CHILD_SA,
            List.of(ChildCreateTask.create(s.context()))));
      }
    });
  }

  private Optional<Map.Entry<Session, ChildSaSpec>> findChild(int inboundSpi) {
    for (Session s : sessions.values()) {
      for (ChildSaSpec child : s.sa().childSas()) {
        if (child.inboundSpi() == inboundSpi) {
          return Optional.of(Map.entry(s, child));
        }
      }
    }
    return Optional.empty();
  }

  private void rekey(Session s, ChildSaSpec child) {
    rekey(s, child, 1);
  }

  /** Attempt number {@code attempt} (1 unless the peer refused earlier ones) to rekey. */
  private void rekey(Session s, ChildSaSpec child, int attempt) {
    if (s.sa().state() != IkeSaState.ESTABLISHED || !s.sa().childSas().contains(child)
        || s.sa().isBeingReplaced(child)) {
      return;
    }
    int inboundSpi = child.inboundSpi();
    s.tasks().queue(new ExchangePlan(ExchangeType.CREATE_CHILD_SA,
        List.of(ChildCreateTask.rekey(s.context(), child,
            () -> retryChildRekey(inboundSpi, attempt)))));
  }

  /**
   * RFC 7296 section 2.25: the peer answered rekey attempt {@code failed} of the CHILD SA with
   * inbound SPI {@code inboundSpi} with TEMPORARY_FAILURE. The SA stays in service and the rekey
   * is tried again after a growing random wait ({@link RekeyBackoff}), looked up by SPI when the
   * timer fires because an IKE rekey may have moved it meanwhile. With no time left before the
   * hard lifetime, the failure is reported and the SA expires as it would without a rekey.
   */
  private void retryChildRekey(int inboundSpi, int failed) {
    java.time.Duration left = timeLeft(childHardExpiry.get(inboundSpi));
    Optional<java.time.Duration> wait = REKEY_BACKOFF.delay(failed, left, crypto.random());
    if (wait.isEmpty()) {
      findChild(inboundSpi).ifPresent(found -> {
        IkeSa sa = found.getKey().sa();
        LOG.info("{}: giving up rekeying CHILD SA {} after {} refused attempts, {} before it "
            + "expires", sa.config().name(), found.getValue(), failed, left);
        emit(new IkeEvent.ChildSaFailed(sa.config().name(), sa.remote(),
            new CloseReason.ProtocolError("TEMPORARY_FAILURE", true, "peer refused " + failed
                + " rekeys of CHILD SA " + found.getValue()
                + "; no time left before its hard lifetime")));
      });
      return;
    }
    LOG.info("rekey of CHILD SA {} refused for now, retry {} in {}",
        ChildSaSpec.spiText(inboundSpi), failed, wait.get());
    onSaExecutor(wait.get(), () -> findChild(inboundSpi).ifPresent(
        found -> rekey(found.getKey(), found.getValue(), failed + 1)));
  }

  private java.time.Duration timeLeft(java.time.Instant expiry) {
    return expiry == null ? java.time.Duration.ZERO
        : java.time.Duration.between(clock.instant(), expiry);
  }

  /** RFC 7296 section 2.25 retries of refused rekeys, after strongSwan's few random seconds. */
  private static final RekeyBackoff REKEY_BACKOFF = RekeyBackoff.DEFAULT;

  /** The IKE SAs currently known (any state), for tests and status output. */
  public List<IkeSaInfo> ikeSas() {
    return sessions.values().stream().map(s -> s.sa().info()).toList();
  }

  /** The state of the IKE SA with our SPI {@code localSpi}, if it exists. */
  public Optional<IkeSaState> state(long localSpi) {
    return Optional.ofNullable(sessions.get(localSpi)).map(s -> s.sa().state());
  }

  /**
   * Closes the endpoint after telling the peers: every established IKE SA is deleted with an
   * INFORMATIONAL exchange (RFC 7296 section 1.4.1, which also removes its CHILD SAs on both
   * sides); half-open SAs are dropped without a message; no new IKE SA is accepted or initiated
   * from now on. Once every delete is answered (or its SA ended otherwise), or when {@code timeout}
   * has passed, whatever is left is torn down locally and the transport closes, as in {@link
   * #close()}. The returned future completes after that, on the SA executor; calling this again
   * returns the same future.
   */
  public java.util.concurrent.CompletableFuture<Void> closeGracefully(java.time.Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    java.util.concurrent.CompletableFuture<Void> result =
        new java.util.concurrent.CompletableFuture<>();
    saExecutor.execute(() -> {
      if (closing != null) {
        closing.done().whenComplete((v, e) -> result.complete(null));
        return;
      }
      closing = new GracefulClose(new java.util.HashSet<>(), result);
      for (Session s : List.copyOf(sessions.values())) {
        switch (s.sa().state()) {
          case ESTABLISHED, REKEYING -> {
            closing.pending().add(s);
            s.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
                List.of(DeleteTask.ikeSa(s.context()))));
          }
          // A replaced SA's delete is already under way (ours queued, or the peer's awaited).
          case REKEYED, DELETING -> closing.pending().add(s);
          default -> end(s, new CloseReason.Requested());
        }
      }
      LOG.info("closing: deleting {} IKE SAs with their peers", closing.pending().size());
      onSaExecutor(timeout, this::finishGracefulClose);
      if (closing.pending().isEmpty()) {
        finishGracefulClose();
      }
    });
    return result;
  }

  private void finishGracefulClose() {
    if (closing == null || closing.done().isDone()) {
      return;
    }
    if (!closing.pending().isEmpty()) {
      LOG.info("closing: {} IKE SAs did not answer their delete in time, dropping them",
          closing.pending().size());
    }
    for (Session s : List.copyOf(sessions.values())) {
      end(s, new CloseReason.Requested());
    }
    transport.close();
    closing.done().complete(null);
  }

  @Override
  public void close() {
    saExecutor.execute(() -> {
      for (Session s : List.copyOf(sessions.values())) {
        end(s, new CloseReason.Requested());
      }
      transport.close();
    });
  }

  /**
   * The boundary of SA work for inbound messages: an unexpected exception is our bug; the SA it
   * happened in is torn down (its CHILD SAs removed) rather than left half-updated.
   */
  private void dispatch(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    try {
      route(local, remote, message);
    } catch (RuntimeException e) {
      IkeHeader header = IkeHeader.peek(message, 0, message.length);
      LOG.error("internal error handling a message from {}", remote, e);
      if (header != null) {
        long ourSpi = header.isInitiator() ? header.responderSpi() : header.initiatorSpi();
        end(sessions.get(ourSpi), new CloseReason.Internal(e));
      }
    }
  }

  private void route(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    IkeHeader header = IkeHeader.peek(message, 0, message.length);
    if (header == null) {
      return;
    }
    long ourSpi = header.isInitiator() ? header.responderSpi() : header.initiatorSpi();
    Session session = sessions.get(ourSpi);
    if (session == null && header.isInitiator() && !header.isResponse()
        && header.responderSpi() == 0 && header.exchangeType().equals(ExchangeType.IKE_SA_INIT)) {
      session = halfOpen.get(new HalfOpenKey(header.initiatorSpi(), remote));
      if (session == null) {
        session = newResponder(header, local, remote, message);
      }
    }
    if (session == null) {
      LOG.debug("dropping {} from {}: no IKE SA with SPI {}", header.exchangeType(), remote,
          Long.toHexString(ourSpi));
      return;
    }
    DecodeResult result =
        IkeMessageDecoder.decode(message, 0, message.length, session.sa().inbound());
    if (result instanceof DecodeResult.Fragment fragment) {
      // RFC 7383 section 2.6: fragments are reassembled after each one authenticated.
      Optional<DecodeResult> whole = session.fragments().accept(fragment);
      if (whole.isEmpty()) {
        return;
      }
      result = whole.get();
    }
    switch (result) {
      case DecodeResult.Ok ok -> {
        session.sa().markInbound(clock.instant());
        if (ok.message().response()) {
          session.tasks().onResponse(ok.message(), message);
        } else {
          session.tasks().onRequest(ok.message(), message, local, remote);
        }
      }
      case DecodeResult.UnprotectedError e ->
          LOG.debug("dropping message from {}: {} {}", remote, e.reason(), e.detail());
      case DecodeResult.ProtectedError e -> {
        LOG.warn("malformed protected message from {}: {}", remote, e.detail());
        if (!e.header().isResponse()) {
          session.tasks().onMalformedRequest(e.header().messageId(), e.header().exchangeType(),
              e.error(), e.notifyData(), local, remote);
        }
      }
      case DecodeResult.Fragment f ->
          LOG.debug("IKE fragment {}/{} from {} still incomplete", f.number(), f.total(), remote);
    }
  }

  private Session newResponder(IkeHeader header, UdpEndpoint local, UdpEndpoint remote,
      byte[] message) {
    if (closing != null) {
      return null;
    }
    if (halfOpen.size() >= halfOpenPolicy.limit()) {
      LOG.warn("half-open IKE SA limit {} reached, ignoring IKE_SA_INIT from {}",
          halfOpenPolicy.limit(), remote);
      return null;
    }
    if (halfOpen.size() >= halfOpenPolicy.cookieThreshold()
        && !answerWithCookieUnlessValid(message, local, remote)) {
      return null;
    }
    // RFC 7296 section 2.15: only the address is known yet; IKE_AUTH re-selects by identity.
    Optional<IkePeerConfig> config = configsAccepting(remote).stream().findFirst();
    if (config.isEmpty()) {
      LOG.info("no connection configured for peer {}, ignoring IKE_SA_INIT", remote);
      return null;
    }
    IkeSa sa = new IkeSa(config.get(), false, header.initiatorSpi(), newIkeSpi(), local, remote);
    sa.transition(IkeSaState.CONNECTING);
    Session session = register(sa);
    halfOpen.put(new HalfOpenKey(header.initiatorSpi(), remote), session);
    return session;
  }

  /**
   * RFC 7296 section 2.6: under load, answer a request without a valid COOKIE statelessly with
   * one; returns true when the request carries a valid cookie and may create state.
   */
  private boolean answerWithCookieUnlessValid(byte[] message, UdpEndpoint local,
      UdpEndpoint remote) {
    if (!(IkeMessageDecoder.decode(message, 0, message.length, null)
        instanceof DecodeResult.Ok ok)) {
      return false;
    }
    if (cookies.carriesValidCookie(ok.message(), remote)) {
      return true;
    }
    cookies.cookieResponse(ok.message(), remote).ifPresent(response -> {
      LOG.debug("{} half-open IKE SAs, asking {} for a COOKIE", halfOpen.size(), remote);
      transport.send(local, remote, response.encode());
    });
    return false;
  }

  private List<IkePeerConfig> configsAccepting(UdpEndpoint remote) {
    return peers.stream().filter(p -> accepts(p.remoteGateway(), remote)).toList();
  }

  private static boolean accepts(RemoteGateway gateway, UdpEndpoint remote) {
    return switch (gateway) {
      case RemoteGateway.Any any -> true;
      case RemoteGateway.Address a -> a.address().equals(remote.address());
      case RemoteGateway.Hostname h -> true;
    };
  }

  private Session register(IkeSa sa) {
    Session[] holder = new Session[1];
    ExchangeContext context = new ExchangeContext(sa, crypto, installer,
        event -> onSaEvent(holder[0], event),
        local -> socket(local, PortRole.NAT_TRAVERSAL),
        child -> holder[0].tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
            List.of(DeleteTask.childSa(holder[0].context(), child)))),
        new IkeRekeyHandover() {
          @Override
          public void replaced(IkeSa fresh, boolean deleteOld) {
            adopt(holder[0], fresh, deleteOld);
          }

          @Override
          public void candidate(IkeSa fresh) {
            expireUnlessAdopted(register(fresh));
          }

          @Override
          public void redundant(IkeSa fresh) {
            Session s = sessions.get(fresh.localSpi());
            s.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
                List.of(DeleteTask.ikeSa(s.context()))));
          }
        },
        this::configsAccepting, rekeyAdmission);
    TaskManager tasks = new TaskManager(sa, transport::send, this::onSaExecutor,
        sa.config().retransmission(), type -> responderTasks(type, holder[0]),
        new TaskManager.Outcome() {
          @Override
          public void failed(CloseReason reason) {
            boolean wasEstablished = sa.state() == IkeSaState.ESTABLISHED
                || sa.state() == IkeSaState.REKEYING;
            Integer attempt = attempts.remove(sa.localSpi());
            end(holder[0], reason);
            if (attempt != null && !wasEstablished && reason != null) {
              retryKeying(sa, reason, attempt);
            }
            if (!sa.wasReplaced()) {
              afterClose(sa, reason, wasEstablished);
            }
          }

          @Override
          public void childFailed(CloseReason reason) {
            LOG.info("{}: exchange failed, IKE SA stays up: {}", sa.config().name(),
                reason.message());
            emit(new IkeEvent.ChildSaFailed(sa.config().name(), sa.remote(), reason));
          }
        });
    holder[0] = new Session(sa, tasks, context, new FragmentReassembler(
        MAX_REASSEMBLING_MESSAGES, MAX_REASSEMBLY_BYTES, REASSEMBLY_TIMEOUT, clock));
    sessions.put(sa.localSpi(), holder[0]);
    return holder[0];
  }

  private Scheduler.Cancellable onSaExecutor(java.time.Duration delay, Runnable task) {
    return scheduler.schedule(delay, () -> saExecutor.execute(task));
  }

  private List<IkeTask> responderTasks(ExchangeType type, Session session) {
    ExchangeContext c = session.context();
    if (type.equals(ExchangeType.IKE_SA_INIT)) {
      return List.of(new IkeInitTask(c), new NatDetectionTask(c));
    }
    if (type.equals(ExchangeType.IKE_AUTH)) {
      halfOpen.values().remove(session);
      return List.of(new IkeAuthTask(c), ChildCreateTask.inIkeAuth(c));
    }
    if (type.equals(ExchangeType.CREATE_CHILD_SA) && session.sa().hasKeys()) {
      return List.of(new CreateChildSaResponder(c));
    }
    if (type.equals(ExchangeType.INFORMATIONAL) && session.sa().hasKeys()) {
      // DELETE payloads, or none at all: a liveness check answered empty (section 2.4).
      return List.of(DeleteTask.responder(c));
    }
    return List.of();
  }

  private void onSaEvent(Session session, IkeEvent event) {
    switch (event) {
      case IkeEvent.IkeSaUp up -> established(session);
      case IkeEvent.ChildSaInstalled installed -> scheduleRekey(session, installed.childSa());
      case IkeEvent.ChildSaRekeyed rekeyed -> scheduleRekey(session, rekeyed.current());
      default -> { }
    }
    emit(event);
  }

  /**
   * Lifetimes (strongSwan's {@code lifetime}, {@code margintime}, {@code rekeyfuzz=100%}): the
   * CHILD SA is rekeyed at a random point between {@code lifetime - 2 * margin} and {@code
   * lifetime - margin}, so the two peers rarely start at once; at {@code lifetime} an SA that is
   * still there is deleted.
   */
  private void scheduleRekey(Session session, ChildSaSpec child) {
    java.time.Duration margin = child.lifetime().hardTime().minus(child.lifetime().softTime());
    childHardExpiry.put(child.inboundSpi(), clock.instant().plus(child.lifetime().hardTime()));
    // The child may have moved to a rekeyed IKE SA meanwhile, so look it up when the timer fires.
    onSaExecutor(fuzzedRekeyTime(child.lifetime().softTime(), margin),
        () -> findChild(child.inboundSpi()).ifPresent(f -> rekey(f.getKey(), f.getValue())));
    onSaExecutor(child.lifetime().hardTime(), () -> {
      childHardExpiry.remove(child.inboundSpi());
      findChild(child.inboundSpi()).ifPresent(f -> f.getKey().tasks().queue(
          new ExchangePlan(ExchangeType.INFORMATIONAL,
              List.of(DeleteTask.childSa(f.getKey().context(), f.getValue())))));
    });
  }

  /**
   * RFC 7296 section 2.4: when nothing was heard from the peer for {@code dpdDelay}, send an empty
   * INFORMATIONAL request; if it stays unanswered after all retransmissions the SA is dead and
   * {@code dpdAction} applies.
   */
  private void scheduleDpd(Session session) {
    java.time.Duration delay = session.sa().config().dpdDelay();
    onSaExecutor(delay, () -> {
      IkeSa sa = session.sa();
      if (sa.state() == IkeSaState.DEAD || sa.state() == IkeSaState.DELETING) {
        return;
      }
      boolean quiet = !sa.lastInbound().isAfter(clock.instant().minus(delay));
      if (quiet && !session.tasks().busy() && sa.config().dpdAction() != PeerAction.NONE) {
        session.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL, List.of()));
      }
      scheduleDpd(session);
    });
  }

  private void established(Session session) {
    attempts.remove(session.sa().localSpi());
    if (session.sa().peerSentInitialContact()) {
      dropStaleSas(session.sa());
    }
    scheduleDpd(session);
    scheduleKeepalive(session);
    IkePeerConfig config = session.sa().config();
    java.time.Duration rekeyAt = fuzzedRekeyTime(config.ikeLifetime().minus(config.marginTime()),
        config.marginTime());
    onSaExecutor(rekeyAt, () -> rekeyIke(session));
    ikeHardExpiry.put(session.sa().localSpi(), clock.instant().plus(config.ikeLifetime()));
    onSaExecutor(config.ikeLifetime(), () -> expireIke(session));
  }

  /**
   * The IKE SA reached {@code ikeLifetime} without being replaced (every rekey was refused):
   * like strongSwan at an IKE SA's hard lifetime, it is deleted with the peer, its CHILD SAs with
   * it. A rekey still outstanding is waited for.
   */
  private void expireIke(Session s) {
    if (sessions.get(s.sa().localSpi()) != s) {
      return;
    }
    if (s.sa().state() == IkeSaState.REKEYING) {
      onSaExecutor(IKE_EXPIRY_RECHECK, () -> expireIke(s));
    } else if (s.sa().state() == IkeSaState.ESTABLISHED) {
      LOG.info("IKE SA {} {} reached its lifetime without a rekey, deleting it",
          s.sa().config().name(), s.sa().info().spis());
      s.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
          List.of(DeleteTask.ikeSa(s.context()))));
    }
  }

  /** How often an IKE SA past its lifetime looks again while its last rekey is outstanding. */
  private static final java.time.Duration IKE_EXPIRY_RECHECK = java.time.Duration.ofSeconds(5);

  /**
   * Takes over the IKE SA that replaced {@code old} (RFC 7296 section 1.3.2), already registered
   * when it was a simultaneous-rekey candidate; as the initiator of the surviving rekey we then
   * delete the old one (sections 2.18, 2.8.2).
   */
  private void adopt(Session old, IkeSa fresh, boolean deleteOld) {
    Session known = sessions.get(fresh.localSpi());
    Session session = known != null && known.sa() == fresh ? known : register(fresh);
    established(session);
    emit(new IkeEvent.IkeSaRekeyed(fresh.config().name(), fresh.remote(), old.sa().info(),
        fresh.info()));
    if (deleteOld) {
      old.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
          List.of(DeleteTask.ikeSa(old.context()))));
    }
    if (closing != null) {
      // A rekey that was under way when closing started: its result is deleted as well.
      closing.pending().add(session);
      session.tasks().queue(new ExchangePlan(ExchangeType.INFORMATIONAL,
          List.of(DeleteTask.ikeSa(session.context()))));
    }
  }

  /**
   * A simultaneous-rekey candidate (RFC 7296 section 2.8.2) that is neither adopted nor deleted
   * by the peer within the retransmission give-up time is dropped without a message: the peer
   * either never learned of it (it forgot its rekey when our delete of the old SA overtook our
   * answer, section 2.25.2) or gave up on it, so waiting longer would only leave it orphaned.
   */
  private void expireUnlessAdopted(Session candidate) {
    java.time.Duration wait = candidate.sa().config().retransmission().giveUpAfter()
        .plus(REDUNDANT_SA_GRACE);
    onSaExecutor(wait, () -> {
      if (sessions.get(candidate.sa().localSpi()) == candidate
          && candidate.sa().isCollisionCandidate()) {
        LOG.info("IKE SA {}: redundant SA of a simultaneous rekey was never deleted by the peer, "
            + "dropping it", candidate.sa().info().spis());
        end(candidate, null);
      }
    });
  }

  /** Slack beyond the peer's give-up time before an unclaimed candidate is dropped. */
  private static final java.time.Duration REDUNDANT_SA_GRACE = java.time.Duration.ofSeconds(30);

  private void rekeyIke(Session s) {
    rekeyIke(s, 1);
  }

  /** Attempt number {@code attempt} (1 unless the peer refused earlier ones) to rekey. */
  private void rekeyIke(Session s, int attempt) {
    if (s.sa().state() == IkeSaState.ESTABLISHED && sessions.get(s.sa().localSpi()) == s) {
      // Crossing rekeys are resolved by section 2.8.2 without a retry; only a peer that is busy
      // otherwise (TEMPORARY_FAILURE, section 2.25) makes us try again.
      s.tasks().queue(new ExchangePlan(ExchangeType.CREATE_CHILD_SA,
          List.of(IkeRekeyTask.initiator(s.context(), () -> retryIkeRekey(s, attempt)))));
    }
  }

  /**
   * RFC 7296 section 2.25: the peer answered IKE rekey attempt {@code failed} with
   * TEMPORARY_FAILURE. The IKE SA stays in service and the rekey is tried again after a growing
   * random wait ({@link RekeyBackoff}), never past {@code ikeLifetime}; with no time left the
   * failure is reported and the SA expires ({@link #expireIke}).
   */
  private void retryIkeRekey(Session s, int failed) {
    IkeSa sa = s.sa();
    java.time.Duration left = timeLeft(ikeHardExpiry.get(sa.localSpi()));
    Optional<java.time.Duration> wait = REKEY_BACKOFF.delay(failed, left, crypto.random());
    if (wait.isEmpty()) {
      LOG.info("{}: giving up rekeying IKE SA {} after {} refused attempts, {} before it expires",
          sa.config().name(), sa.info().spis(), failed, left);
      emit(new IkeEvent.ChildSaFailed(sa.config().name(), sa.remote(),
          new CloseReason.ProtocolError("TEMPORARY_FAILURE", true, "peer refused " + failed
              + " rekeys of IKE SA " + sa.info().spis() + "; no time left before its lifetime")));
      if (!left.isPositive()) {
        expireIke(s);
      }
      return;
    }
    LOG.info("rekey of IKE SA {} refused for now, retry {} in {}", sa.info().spis(), failed,
        wait.get());
    onSaExecutor(wait.get(), () -> rekeyIke(s, failed + 1));
  }

  /** strongSwan's {@code rekeyfuzz=100%}: start up to one more margin early, at random. */
  private java.time.Duration fuzzedRekeyTime(java.time.Duration soft, java.time.Duration margin) {
    long fuzzMillis = margin.toMillis() <= 0 ? 0
        : Math.floorMod(crypto.random().nextLong(), margin.toMillis() + 1);
    java.time.Duration at = soft.minusMillis(fuzzMillis);
    return at.isNegative() ? java.time.Duration.ZERO : at;
  }

  /**
   * RFC 7296 section 2.4: INITIAL_CONTACT says the peer has no other IKE SAs with us, so older
   * ones with the same authenticated identity are stale; they go without a delete exchange.
   */
  private void dropStaleSas(IkeSa fresh) {
    for (Session other : List.copyOf(sessions.values())) {
      IkeSa sa = other.sa();
      if (sa != fresh && sa.state() == IkeSaState.ESTABLISHED
          && sa.config().name().equals(fresh.config().name())
          && sa.peerIdentity().equals(fresh.peerIdentity())) {
        end(other, new CloseReason.Superseded(fresh.peerIdentity()));
      }
    }
  }

  /** Backoff between keying attempts: 4 s doubling up to 5 minutes. */
  private static final java.time.Duration KEYING_BACKOFF = java.time.Duration.ofSeconds(4);
  private static final java.time.Duration MAX_KEYING_BACKOFF = java.time.Duration.ofMinutes(5);

  /**
   * strongSwan's {@code keyingtries}: an initiation that failed before the IKE SA was established
   * is tried again, after a doubling backoff, until the configured number of attempts is used
   * ({@code %forever}: always). An authentication failure is not retried: the same key and
   * identities would fail again.
   */
  private void retryKeying(IkeSa sa, CloseReason reason, int attempt) {
    if (reason instanceof CloseReason.AuthenticationFailed
        || reason instanceof CloseReason.Requested) {
      return;
    }
    dev.ferry.vpn.core.config.KeyingTries tries = sa.config().keyingTries();
    if (!tries.isForever() && attempt >= tries.attempts()) {
      LOG.info("{}: giving up after {} keying attempts", sa.config().name(), attempt);
      return;
    }
    java.time.Duration backoff = KEYING_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 16));
    if (backoff.compareTo(MAX_KEYING_BACKOFF) > 0) {
      backoff = MAX_KEYING_BACKOFF;
    }
    LOG.info("{}: keying attempt {} failed ({}), retrying in {}", sa.config().name(), attempt,
        reason.message(), backoff);
    UdpEndpoint remote = new UdpEndpoint(sa.remote().address(), sa.config().ikePort());
    onSaExecutor(backoff, () -> initiate(sa.config(), remote, attempt + 1));
  }

  /** strongSwan's {@code keep_alive} default. */
  private static final java.time.Duration NAT_KEEPALIVE_INTERVAL = java.time.Duration.ofSeconds(20);

  /**
   * RFC 3948 section 4: a host behind a NAT sends a one-octet keepalive on the NAT-traversal
   * socket so the mapping stays open while the tunnel is quiet.
   */
  private void scheduleKeepalive(Session session) {
    if (!session.sa().localBehindNat()) {
      return;
    }
    onSaExecutor(NAT_KEEPALIVE_INTERVAL, () -> {
      IkeSa sa = session.sa();
      if (sa.state() == IkeSaState.DEAD || sa.state() == IkeSaState.DELETING) {
        return;
      }
      transport.sendKeepalive(sa.local(), sa.remote());
      scheduleKeepalive(session);
    });
  }

  /**
   * The chart's {@code dpdaction} after a liveness check failed and {@code closeaction} after the
   * peer deleted the IKE SA: RESTART initiates again when the peer's address is known; CLEAR and
   * NONE leave it closed; HOLD traps the peer (strongSwan's trap policy): traffic the data plane
   * reports through {@link #acquire} initiates a new IKE SA.
   */
  private void afterClose(IkeSa sa, CloseReason reason, boolean wasEstablished) {
    PeerAction action;
    if (reason instanceof CloseReason.Timeout && wasEstablished) {
      action = sa.config().dpdAction();
    } else if (reason instanceof CloseReason.PeerDeleted) {
      action = sa.config().closeAction();
    } else {
      return;
    }
    LOG.info("{}: {} -> {}", sa.config().name(), reason.message(), action);
    if (action == PeerAction.HOLD) {
      trapped.put(sa.config().name(), sa.config());
    }
    if (action == PeerAction.RESTART
        && sa.config().remoteGateway() instanceof RemoteGateway.Address address) {
      initiate(sa.config(), new UdpEndpoint(address.address(), sa.config().ikePort()));
    }
  }

  private void end(Session session, CloseReason reason) {
    if (session == null || session.sa().state() == IkeSaState.DEAD) {
      return;
    }
    IkeSa sa = session.sa();
    session.tasks().close();
    sessions.remove(sa.localSpi());
    ikeHardExpiry.remove(sa.localSpi());
    halfOpen.values().remove(session);
    for (ChildSaSpec child : sa.childSas()) {
      installer.remove(child.inboundSpi());
      sa.removeChildSa(child);
      emit(new IkeEvent.ChildSaDeleted(sa.config().name(), sa.remote(), child,
          reason == null ? "IKE SA closed" : reason.message()));
    }
    sa.transition(IkeSaState.DEAD);
    if (closing != null && closing.pending().remove(session) && closing.pending().isEmpty()) {
      saExecutor.execute(this::finishGracefulClose);
    }
    if (sa.wasReplaced()) {
      LOG.info("rekeyed IKE SA {} {} deleted", sa.config().name(), sa.info().spis());
    } else if (reason != null) {
      IkeSaInfo info = sa.info(); // names the proposal as text: built once, for the log and event
      LOG.info("IKE SA {} {} down: {}", sa.config().name(), info, reason.message());
      emit(new IkeEvent.IkeSaDown(sa.config().name(), sa.remote(), info, reason));
    }
  }

  private void emit(IkeEvent event) {
    listenerExecutor.execute(() -> {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // A listener bug must not break the protocol (it may run on the SA's own thread).
        LOG.warn("listener threw on {}", event.getClass().getSimpleName(), e);
      }
    });
  }

  private UdpEndpoint socket(UdpEndpoint peerOrLocal, PortRole role) {
    return transport.localSockets().stream()
        .filter(s -> s.role() == role)
        .map(LocalSocket::endpoint)
        .filter(e -> e.address().family() == peerOrLocal.address().family())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "the transport has no " + role + " socket for " + peerOrLocal.address().family()));
  }

  private long newIkeSpi() {
    long spi;
    do {
      spi = crypto.random().nextLong();
    } while (spi == 0 || sessions.containsKey(spi));
    return spi;
  }
}
