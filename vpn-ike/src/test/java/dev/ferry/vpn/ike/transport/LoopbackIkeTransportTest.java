package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.util.List;

/** The transport contract on the in-memory network, queued and pumped by {@link #settle()}. */
class LoopbackIkeTransportTest extends IkeUdpTransportContract {

  private final LoopbackIkeNetwork network =
      new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.QUEUED, 42);

  @Override
  IkeUdpTransport open(
      IkeListenConfig config, IkeMessageHandler ikeHandler, EspDatagramHandler espHandler) {
    return network.open(config, ikeHandler, espHandler);
  }

  @Override
  List<IpAddress> addresses() {
    return List.of(IpAddress.parse("192.0.2.1"), IpAddress.parse("2001:db8::1"));
  }

  @Override
  void settle() {
    network.deliverAll();
  }
}
