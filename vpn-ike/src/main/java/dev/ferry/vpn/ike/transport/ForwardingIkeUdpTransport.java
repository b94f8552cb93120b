package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.List;
import java.util.Objects;

/**
 * An {@link IkeUdpTransport} that forwards every call to another one: the base of decorators that
 * watch, count or reorder what an endpoint sends (tests, diagnostics). Subclasses override the
 * calls they care about and call {@code super} to pass them on; the contract is the delegate's.
 */
public abstract class ForwardingIkeUdpTransport implements IkeUdpTransport {
  private final IkeUdpTransport delegate;

  protected ForwardingIkeUdpTransport(IkeUdpTransport delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void send(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    delegate.send(local, remote, message);
  }

  @Override
  public List<UdpEndpoint> localEndpoints() {
    return delegate.localEndpoints();
  }

  @Override
  public List<LocalSocket> localSockets() {
    return delegate.localSockets();
  }

  @Override
  public void sendKeepalive(UdpEndpoint local, UdpEndpoint remote) {
    delegate.sendKeepalive(local, remote);
  }

  @Override
  public void sendEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    delegate.sendEsp(local, remote, buf, off, len);
  }

  /** Forwarded like every other call: a delegate that queues ESP sends them only at its flush. */
  @Override
  public void flushEsp() {
    delegate.flushEsp();
  }

  @Override
  public TransportStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
