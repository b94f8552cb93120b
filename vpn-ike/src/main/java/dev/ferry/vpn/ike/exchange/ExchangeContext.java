package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.sa.IkeSa;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What tasks of one IKE SA may use: the SA, crypto (also the only randomness), the data plane
 * installer, the event sink, and the endpoint's NAT-traversal socket for a given local address.
 *
 * @param natTraversalLocal maps a local IKE endpoint to the local NAT-T endpoint of its address
 * @param deleteChild queues an INFORMATIONAL exchange deleting a CHILD SA (after a rekey)
 * @param configsFor the configurations that accept a peer at a given address, in configured
 *     order; a responder picks among them by the peer's identity in IKE_AUTH
 * @param ikeSaRekeyed takes over the IKE SAs an IKE rekey of {@link #sa()} creates
 * @param rekeyAdmission whether a rekey the peer asks for is taken on now (RFC 7296 section 2.25)
 */
public record ExchangeContext(
    IkeSa sa,
    CryptoProvider crypto,
    ChildSaInstaller installer,
    Consumer<IkeEvent> events,
    UnaryOperator<UdpEndpoint> natTraversalLocal,
    Consumer<ChildSaSpec> deleteChild,
    IkeRekeyHandover ikeSaRekeyed,
    java.util.function.Function<UdpEndpoint, java.util.List<dev.ferry.vpn.ike.IkePeerConfig>>
        configsFor,
    dev.ferry.vpn.ike.RekeyAdmission rekeyAdmission) {

  public ExchangeContext {
    Objects.requireNonNull(sa, "sa");
    Objects.requireNonNull(crypto, "crypto");
    Objects.requireNonNull(installer, "installer");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(natTraversalLocal, "natTraversalLocal");
    Objects.requireNonNull(deleteChild, "deleteChild");
    Objects.requireNonNull(ikeSaRekeyed, "ikeSaRekeyed");
    Objects.requireNonNull(configsFor, "configsFor");
    Objects.requireNonNull(rekeyAdmission, "rekeyAdmission");
  }

  /** Fresh random octets (nonces, SPIs) from the injected source. */
  public byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    crypto.random().nextBytes(out);
    return out;
  }
}
