package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaCounters;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.Scheduler;
import dev.ferry.vpn.ike.HalfOpenPolicy;
import dev.ferry.vpn.ike.IkeEndpoint;
import dev.ferry.vpn.ike.IkeEnvironment;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.IkeSessionListener;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Complete IKEv2 handshakes per second on one thread (so per core): IKE_SA_INIT and IKE_AUTH with
 * a pre-shared key and the first CHILD SA, between two {@link IkeEndpoint}s in this JVM over an
 * immediate {@link LoopbackIkeNetwork}, both roles' work counted. Every operation is a fresh IKE
 * SA: new SPIs, new nonces, new key-exchange key pairs on both sides, all SK_* and CHILD keys
 * derived, AUTH computed and verified on both sides, every message encoded, encrypted, decrypted
 * and decoded. Timers go to a scheduler that drops them (no DPD, rekey or keepalive runs) and no
 * logging backend is bound, so the number is the protocol and crypto cost. The responder sees
 * INITIAL_CONTACT each time and drops the previous SA, as a gateway would; the initiator's
 * endpoint is renewed every iteration so its SA table stays small.
 *
 * <p>Reference (issue 3): strongSwan 5.9.8 completes 1,300-1,700 IKE SAs per second per core.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar IkeHandshakeBench -f 1 -wi 3 -w 2s -i 5 -r 2s
 * java -cp benchmarks/target/benchmarks.jar dev.ferry.vpn.bench.IkeHandshakeBench
 * </pre>
 *
 * <p>JMH's throughput is wall-clock: on a machine shared with other jobs this thread gets only a
 * part of a core. {@link #main} therefore also reports the thread's CPU time per handshake (both
 * peers' work), which is the per-core cost whatever the load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IkeHandshakeBench {
  private static final IpAddress INITIATOR = IpAddress.parse("192.0.2.1");
  private static final IpAddress RESPONDER = IpAddress.parse("198.51.100.7");
  private static final UdpEndpoint RESPONDER_IKE = new UdpEndpoint(RESPONDER, 500);

  @Param({"aes128gcm16-prfsha256-x25519", "aes128gcm16-prfsha256-ecp256"})
  public String ikeProposal;

  private IkePeerConfig initiatorConfig;
  private IkePeerConfig responderConfig;
  private IkeEndpoint initiator;
  private IkeEndpoint responder;
  private CountingInstaller initiatorSas;
  private CountingInstaller responderSas;
  private long handshakes;

  /** Counts CHILD SAs installed: each handshake must end with one on each side. */
  private static final class CountingInstaller implements ChildSaInstaller {
    long installed;

    @Override
    public void installInbound(ChildSaSpec sa) {
      installed++;
    }

    @Override
    public void installOutbound(ChildSaSpec sa) {
    }

    @Override
    public void remove(int inboundSpi) {
    }

    @Override
    public ChildSaCounters counters(int inboundSpi) {
      return ChildSaCounters.NONE;
    }
  }

  /** Timers are not part of a handshake; keeping them would only grow a queue. */
  private static final Scheduler NO_TIMERS = (delay, task) -> () -> { };

  private static IkePeerConfig config(String name, String localId, String remoteId,
      String ike, String local, String remote) {
    return IkePeerConfig.builder()
        .name(name)
        .localIdentity(Identity.parse(localId))
        .remoteIdentity(Identity.parse(remoteId))
        .presharedKey(Secret.ofUtf8("a benchmark pre-shared key"))
        .ikeProposals(ProposalList.parse(ike, Protocol.IKE))
        .espProposals(ProposalList.parse("aes128gcm16", Protocol.ESP))
        .localSubnets(List.of(IpPrefix.parse(local)))
        .remoteSubnets(List.of(IpPrefix.parse(remote)))
        .build();
  }

  @Setup(Level.Trial)
  public void setUpConfigs() {
    initiatorConfig = IkePeerConfig.builder().from(config("west", "west.example",
        "east.example", ikeProposal, "10.1.0.0/16", "10.2.0.0/16"))
        .remoteGateway(new RemoteGateway.Address(RESPONDER)).build();
    responderConfig = config("east", "east.example", "west.example", ikeProposal,
        "10.2.0.0/16", "10.1.0.0/16");
  }

  @Setup(Level.Iteration)
  public void setUpEndpoints() {
    LoopbackIkeNetwork network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.IMMEDIATE, 1);
    initiatorSas = new CountingInstaller();
    responderSas = new CountingInstaller();
    initiator = endpoint(network, INITIATOR, initiatorConfig, initiatorSas);
    responder = endpoint(network, RESPONDER, responderConfig, responderSas);
    handshakes = 0;
  }

  private static IkeEndpoint endpoint(LoopbackIkeNetwork network, IpAddress address,
      IkePeerConfig config, ChildSaInstaller installer) {
    IkeEnvironment environment = new IkeEnvironment(new CryptoProvider(new SecureRandom()),
        NO_TIMERS, Clock.systemUTC(), installer, IkeSessionListener.NONE, Runnable::run,
        Runnable::run);
    return new IkeEndpoint(List.of(config), environment, HalfOpenPolicy.DEFAULT,
        handler -> network.open(IkeListenConfig.standard(address), handler, null));
  }

  /** One complete handshake: it runs to the end inside this call (immediate delivery). */
  @Benchmark
  public long handshake() {
    initiator.initiate(initiatorConfig, RESPONDER_IKE);
    return ++handshakes;
  }

  @TearDown(Level.Iteration)
  public void checkEveryHandshakeCompleted() {
    if (initiatorSas.installed != handshakes || responderSas.installed != handshakes) {
      throw new IllegalStateException(handshakes + " handshakes started but "
          + initiatorSas.installed + " / " + responderSas.installed + " CHILD SAs installed");
    }
    initiator.close();
    responder.close();
  }

  /**
   * Thread CPU time per handshake over ten rounds of 800 (after two warm-up rounds): the minimum
   * is the least disturbed by other jobs, the median the typical value.
   */
  public static void main(String[] args) {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (String proposal : List.of("aes128gcm16-prfsha256-x25519",
        "aes128gcm16-prfsha256-ecp256")) {
      IkeHandshakeBench bench = new IkeHandshakeBench();
      bench.ikeProposal = proposal;
      bench.setUpConfigs();
      double[] micros = new double[10];
      for (int round = -2; round < micros.length; round++) {
        bench.setUpEndpoints();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 800; i++) {
          bench.handshake();
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        bench.checkEveryHandshakeCompleted();
        if (round >= 0) {
          micros[round] = cpu / 1e3 / 800;
        }
      }
      java.util.Arrays.sort(micros);
      System.out.printf("%s: CPU per handshake (both peers) min %.0f us, median %.0f us"
          + " = %.0f / %.0f handshakes per CPU-second%n", proposal, micros[0], micros[5],
          1e6 / micros[0], 1e6 / micros[5]);
    }
  }
}
