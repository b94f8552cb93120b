package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.sa.IkeSa;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT detection in IKE_SA_INIT (RFC 7296 section 2.23): each side sends NAT_DETECTION_SOURCE_IP
 * and NAT_DETECTION_DESTINATION_IP, each SHA-1(SPIi | SPIr | IP address | port) with the SPIs of
 * the message's header. A source hash that matches none we compute for where the message came from
 * means the peer is behind a NAT; a destination hash that does not match our own address and port
 * means we are. When either holds, the initiator moves to the NAT-traversal port for IKE_AUTH,
 * and ESP travels in UDP (RFC 3948).
 */
public final class NatDetectionTask implements IkeTask {
  private static final Logger LOG = LoggerFactory.getLogger(NatDetectionTask.class);

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final ExchangeContext context;
  private final IkeSa sa;

  public NatDetectionTask(ExchangeContext context) {
    this.context = context;
    this.sa = context.sa();
  }

  @Override
  public String name() {
    return "NAT_DETECTION";
  }

  @Override
  public void build(List<IkePayload> out) {
    long spiR = sa.isInitiator() ? 0 : sa.responderSpi();
    // RFC 7296 section 2.23 lets a host that wants UDP encapsulation although there is no NAT
    // send a hash that cannot match (strongSwan's encap=yes does the same).
    Bytes source = sa.config().forceEncapsulation() ? randomHash()
        : hash(sa.initiatorSpi(), spiR, sa.local());
    out.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, source));
    out.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
        hash(sa.initiatorSpi(), spiR, sa.remote())));
  }

  @Override
  public Status process(IkeMessage in) {
    List<Bytes> sources = in.payloads(NotifyPayload.class).stream()
        .filter(n -> n.notifyType().equals(NotifyType.NAT_DETECTION_SOURCE_IP))
        .map(NotifyPayload::data)
        .toList();
    var destination = in.notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
    if (sources.isEmpty() || destination.isEmpty()) {
      return Status.DONE;
    }
    boolean remoteBehindNat =
        !sources.contains(hash(in.initiatorSpi(), in.responderSpi(), sa.remote()));
    boolean localBehindNat = !destination.get().data()
        .equals(hash(in.initiatorSpi(), in.responderSpi(), sa.local()));
    // Forced encapsulation: we told the peer we are behind a NAT, so we behave as if we were.
    sa.setNat(localBehindNat || sa.config().forceEncapsulation(), remoteBehindNat);
    if (sa.natDetected()) {
      LOG.info("{}: NAT detected ({} behind NAT)", sa,
          localBehindNat && remoteBehindNat ? "both sides" : localBehindNat ? "we are" : "peer is");
      if (sa.isInitiator()) {
        // RFC 7296 section 2.23: the initiator continues on the NAT-traversal port.
        sa.moveTo(context.natTraversalLocal().apply(sa.local()),
            new UdpEndpoint(sa.remote().address(), sa.config().natTraversalPort()));
      }
    }
    return Status.DONE;
  }

  /** 20 random octets in place of a SHA-1 hash: matches no address (forced encapsulation). */
  private static Bytes randomHash() {
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    return Bytes.of(random);
  }

  /**
   * One SHA-1 per thread (digest() resets it): four NAT-D hashes per side and handshake made a
   * provider-list look-up each otherwise.
   */
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-1", e);
    }
  });

  /** SHA-1(SPIi | SPIr | IP | port) as RFC 7296 section 2.23 defines it. */
  static Bytes hash(long spiI, long spiR, UdpEndpoint endpoint) {
    byte[] address = endpoint.address().toBytes();
    ByteBuffer input = ByteBuffer.allocate(16 + address.length + 2);
    input.putLong(spiI).putLong(spiR).put(address).putShort((short) endpoint.port());
    return Bytes.of(SHA1.get().digest(input.array()));
  }
}
