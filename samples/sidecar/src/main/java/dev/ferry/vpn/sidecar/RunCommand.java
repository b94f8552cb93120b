package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.config.ConfigLoadResult;
import dev.ferry.vpn.core.config.ConfigProblem;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.config.StartAction;
import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.esp.io.TunException;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.ImmutableIkePeerConfig;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.IkeTransportException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run --config FILE [--listen ADDRESS]...}: runs an IKEv2 endpoint for the configured peer
 * in the current network namespace until SIGTERM or SIGINT.
 *
 * <ul>
 *   <li>The configuration is validated first, exactly like {@code check-config}: an invalid file
 *       lists every problem and exits 2.
 *   <li>UDP sockets on {@code ferry.ike.port} (500) and {@code ferry.ike.natTraversalPort} (4500)
 *       are bound on each {@code --listen} address; without {@code --listen}, on the address of
 *       the interface the kernel routes {@code remote.gateway} through ({@code %any} then needs
 *       {@code --listen}). A host name in {@code remote.gateway} is resolved once, at start.
 *   <li>{@code ipsec.auto=start} initiates to {@code remote.gateway}; {@code add} waits for the
 *       peer (accepted only from {@code remote.gateway} unless it is {@code %any}).
 *   <li>SA events are logged at INFO to standard error; keys and the pre-shared key never are.
 *   <li>SIGTERM/SIGINT (or {@code quit} on the console) delete the IKE SAs with the peer, waiting
 *       at most {@value #STOP_WAIT_SECONDS} s for its answers, close the sockets and exit 0.
 *   <li>Standard input is an {@link OperatorConsole}; its end is ignored.
 * </ul>
 *
 * <p>Data plane ({@link SidecarDataPlane}): after the sockets are bound, the TUN device {@code
 * ferry.tunnel.device} is created with routes for the remote subnets as the cluster sees them, and
 * traffic is forwarded between it and ESP-in-UDP on the NAT-traversal sockets. Encapsulation is
 * forced (strongSwan's {@code encap=yes}), because the userspace data plane only carries ESP in
 * UDP. Creating the device needs {@code CAP_NET_ADMIN} and JDK 22+; if it fails, the run stops
 * with exit status 1 and says why. {@code --no-data-plane} runs the control plane alone (CHILD SAs
 * are negotiated and shown by {@code status}, nothing is forwarded), with a WARN line.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the IKEv2 endpoint of a configuration in the current network namespace.",
      "ipsec.auto=start initiates to remote.gateway, add waits for the peer. SA events are logged",
      "to stderr; stdin takes console commands (status, rekey-child, rekey-ike, delete-child,",
      "delete-ike, initiate, quit), answered on stdout. SIGTERM deletes the SAs with the peer."
    })
final class RunCommand implements Callable<Integer> {
  static final int STOP_WAIT_SECONDS = 3;
  private static final Logger LOG = LoggerFactory.getLogger("ferry.sidecar");

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "config.yaml")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "ADDRESS",
      converter = IpAddressConverter.class,
      description = {
        "local address to bind UDP 500/4500 on (repeatable, IPv4 and IPv6);",
        "default: the source address of the route to remote.gateway"
      })
  List<IpAddress> listen = new ArrayList<>();

  @Option(
      names = "--no-data-plane",
      description = {
        "negotiate SAs only: create no TUN device and forward no traffic",
        "(for hosts without CAP_NET_ADMIN or a JDK older than 22)"
      })
  boolean noDataPlane;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** How the IKE transport is opened; interop tests replace it before the command runs. */
  SidecarEndpoint.TransportOpener transportOpener = SidecarEndpoint.TransportOpener.NETTY;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoadResult loaded = ConfigFiles.load(config, err);
    if (loaded == null) {
      return SidecarMain.EXIT_FAILURE;
    }
    if (loaded instanceof ConfigLoadResult.Invalid invalid) {
      long errors = invalid.errors().size();
      err.println(config + ": invalid, " + errors + (errors == 1 ? " error" : " errors"));
      invalid.problems().forEach(p -> err.println("  " + p));
      return SidecarMain.EXIT_INVALID;
    }
    TunnelConfig tunnel = loaded.orThrow();
    for (ConfigProblem warning : tunnel.warningsOnly()) {
      LOG.warn("{}: {}", config, warning);
    }

    Optional<IpAddress> gateway;
    try {
      gateway = resolve(tunnel.remote().gateway());
    } catch (UnknownHostException e) {
      err.println("error: remote.gateway " + tunnel.remote().gateway()
          + ": cannot resolve the host name: " + e.getMessage());
      return SidecarMain.EXIT_FAILURE;
    }
    List<IpAddress> addresses = listen;
    if (addresses.isEmpty()) {
      if (gateway.isEmpty()) {
        err.println("error: remote.gateway is %any, so there is no route to pick a local address"
            + " from; give the address to listen on with --listen ADDRESS");
        return SidecarMain.EXIT_USAGE;
      }
      try {
        addresses = List.of(sourceAddressTowards(gateway.get(), tunnel.ferry().ikePort()));
      } catch (SocketException e) {
        err.println("error: no route to remote.gateway " + gateway.get() + " (" + e.getMessage()
            + "); give the address to listen on with --listen ADDRESS");
        return SidecarMain.EXIT_FAILURE;
      }
    }

    IkePeerConfig peer;
    try {
      peer = peerConfig(tunnel, gateway, addresses);
      if (!noDataPlane) {
        // The data plane sends and receives ESP in UDP only (RFC 3948): force it, as
        // strongSwan's encap=yes does, even when there is no NAT between the gateways.
        peer = ImmutableIkePeerConfig.copyOf(peer).withForceEncapsulation(true);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      err.println(config + ": cannot run this configuration: " + e.getMessage());
      return SidecarMain.EXIT_INVALID;
    }

    SidecarEndpoint endpoint;
    try {
      endpoint = SidecarEndpoint.start(peer, new IkeListenConfig(addresses,
          tunnel.ferry().ikePort(), tunnel.ferry().natTraversalPort()), transportOpener);
    } catch (IkeTransportException e) {
      err.println("error: cannot bind the IKE sockets: " + e.getMessage());
      return SidecarMain.EXIT_FAILURE;
    }
    LOG.info("{}: listening on {}; local {} {}, remote {} {} {}; ike {}; esp {}; auto={}",
        config, endpoint.localEndpoints(), peer.localIdentity(), peer.localSubnets(),
        peer.remoteIdentity(), gateway.map(IpAddress::toString).orElse("%any"),
        peer.remoteSubnets(), peer.ikeProposals(), peer.espProposals(),
        peer.startAction().name().toLowerCase(java.util.Locale.ROOT));
    if (noDataPlane) {
      LOG.warn("data plane: none (--no-data-plane); CHILD SAs are negotiated and shown by status,"
          + " ESP traffic is not forwarded");
    } else {
      IpFamily outer = gateway.map(IpAddress::family).orElse(addresses.get(0).family());
      try {
        endpoint.attach(SidecarDataPlane.start(tunnel, endpoint, outer));
      } catch (TunException | RuntimeException e) {
        err.println("error: cannot start the data plane (TUN device " + tunnel.ferry().tunnelDevice()
            + "): " + e.getMessage() + "; it needs CAP_NET_ADMIN (root), /dev/net/tun and JDK 22+"
            + " (run with --no-data-plane to negotiate SAs without forwarding)");
        endpoint.close();
        return SidecarMain.EXIT_FAILURE;
      }
    }

    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(endpoint), "ferry-shutdown"));
    if (peer.startAction() == StartAction.START) {
      endpoint.initiate(gateway.orElseThrow());
    }
    startConsole(endpoint, gateway);
    // Runs until a signal or `quit`; the shutdown hook ends the process.
    new CountDownLatch(1).await();
    return 0;
  }

  private void startConsole(SidecarEndpoint endpoint, Optional<IpAddress> gateway) {
    OperatorConsole console = new OperatorConsole(endpoint, gateway,
        spec.commandLine().getOut(), () -> System.exit(0));
    Thread thread = new Thread(() -> console.serve(new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8))), "ferry-console");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The shutdown hook: deletes the SAs with the peer, closes the sockets, and ends the process
   * with status 0 (a JVM stopped by SIGTERM would otherwise exit 143; this stop is the orderly
   * one).
   */
  private static void stop(SidecarEndpoint endpoint) {
    try {
      int left = endpoint.stop(Duration.ofSeconds(STOP_WAIT_SECONDS));
      LOG.info("stopped{}", left == 0 ? "" : " (" + left + " IKE SA(s) closed without the peer)");
    } catch (RuntimeException e) {
      LOG.error("error while stopping: {}", e.toString());
    } finally {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  /** The peer address: literal, resolved once from a host name, or empty for {@code %any}. */
  static Optional<IpAddress> resolve(RemoteGateway gateway) throws UnknownHostException {
    return switch (gateway) {
      case RemoteGateway.Any any -> Optional.empty();
      case RemoteGateway.Address address -> Optional.of(address.address());
      case RemoteGateway.Hostname name -> {
        IpAddress resolved = IpAddress.fromBytes(InetAddress.getByName(name.name()).getAddress());
        LOG.info("remote.gateway {} resolved to {} (resolved once, at start)", name, resolved);
        yield Optional.of(resolved);
      }
    };
  }

  /**
   * The source address the kernel would use towards {@code gateway}: connecting a UDP socket
   * makes the kernel pick the route and the source address without sending anything.
   */
  static IpAddress sourceAddressTowards(IpAddress gateway, int port) throws SocketException {
    try (DatagramSocket probe = new DatagramSocket()) {
      InetAddress target;
      try {
        target = InetAddress.getByAddress(gateway.toBytes());
      } catch (UnknownHostException e) {
        throw new SocketException("not an address: " + gateway);
      }
      probe.connect(new InetSocketAddress(target, port));
      InetAddress local = probe.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new SocketException("the kernel chose no source address");
      }
      return IpAddress.fromBytes(local.getAddress());
    }
  }

  /**
   * The endpoint's peer configuration: the chart mapping of {@link IkePeerConfig#fromTunnelConfig}
   * with identity placeholders bound to our listen address of the gateway's family, and a
   * resolved host name in place of the name.
   */
  static IkePeerConfig peerConfig(TunnelConfig tunnel, Optional<IpAddress> gateway,
      List<IpAddress> addresses) {
    IpAddress own = gateway.flatMap(g -> addresses.stream()
            .filter(a -> a.family() == g.family()).findFirst())
        .orElse(addresses.get(0));
    IkePeerConfig peer = IkePeerConfig.fromTunnelConfig(tunnel, own);
    if (gateway.isPresent() && tunnel.remote().gateway() instanceof RemoteGateway.Hostname) {
      peer = ImmutableIkePeerConfig.copyOf(peer)
          .withRemoteGateway(new RemoteGateway.Address(gateway.get()));
    }
    if (gateway.isPresent() && addresses.stream()
        .noneMatch(a -> a.family() == gateway.get().family())) {
      throw new IllegalArgumentException("remote.gateway " + gateway.get() + " is "
          + gateway.get().family() + " but no --listen address is");
    }
    return peer;
  }

  /** Parses {@code --listen} values with the project's address parser. */
  static final class IpAddressConverter implements CommandLine.ITypeConverter<IpAddress> {
    @Override
    public IpAddress convert(String value) {
      try {
        return IpAddress.parse(value);
      } catch (AddressFormatException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not an IP address: " + e.getMessage());
      }
    }
  }
}
