package dev.ferry.vpn.core.packet;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * The inputs of one {@link TestPackets} packet as a value, so that tests can change a field, build
 * again and compare with what {@link IpPacketView} did to the bytes. Immutable; {@code payload} is
 * copied in and out.
 *
 * @param invoking for {@link TestPackets.Upper#ICMP_ERROR}: the packet the error embeds
 * @param keep for an ICMP error: how many bytes of the invoking packet it carries
 */
public record PacketSpec(
    IpAddress source,
    IpAddress destination,
    int hopLimit,
    int ipv4OptionWords,
    List<Integer> extensionHeaders,
    TestPackets.Upper upper,
    int sourcePort,
    int destinationPort,
    int tcpOptionWords,
    boolean udpZeroChecksum,
    boolean echoRequest,
    int icmpIdentifier,
    int icmpSequence,
    int errorType,
    int errorCode,
    PacketSpec invoking,
    int keep,
    byte[] payload) {

  public PacketSpec {
    Objects.requireNonNull(source);
    Objects.requireNonNull(destination);
    extensionHeaders = List.copyOf(extensionHeaders);
    payload = payload.clone();
    if (upper == TestPackets.Upper.ICMP_ERROR) {
      Objects.requireNonNull(invoking, "an ICMP error needs an invoking packet");
    }
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public IpFamily family() {
    return source.family();
  }

  /** The packet bytes, checksums computed from scratch. */
  public byte[] build() {
    TestPackets.Builder b = TestPackets.packet(source, destination).hopLimit(hopLimit)
        .ipv4OptionWords(ipv4OptionWords)
        .extensionHeaders(extensionHeaders.stream().mapToInt(Integer::intValue).toArray())
        .payload(payload);
    switch (upper) {
      case TCP -> b.tcp(sourcePort, destinationPort).tcpOptionWords(tcpOptionWords);
      case UDP -> b.udp(sourcePort, destinationPort).udpZeroChecksum(udpZeroChecksum);
      case ICMP_ECHO -> b.icmpEcho(echoRequest, icmpIdentifier, icmpSequence);
      case ICMP_ERROR -> b.icmpError(errorType, errorCode, invoking.build(), keep);
      case RAW -> b.rawProtocol(253);
    }
    return b.build();
  }

  /** Octets before the upper-layer header: IP header, options and extension headers. */
  public int upperLayerOffset() {
    if (family() == IpFamily.IPV4) {
      return 20 + 4 * ipv4OptionWords;
    }
    int length = 40;
    for (int type : extensionHeaders) {
      length += switch (type) {
        case IpProtocol.AH -> 24;
        case IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_DESTINATION_OPTIONS -> 16;
        default -> 8;
      };
    }
    return length;
  }

  public boolean hasPorts() {
    return upper == TestPackets.Upper.TCP || upper == TestPackets.Upper.UDP;
  }

  public PacketSpec withSource(IpAddress a) {
    return new PacketSpec(a, destination, hopLimit, ipv4OptionWords, extensionHeaders, upper,
        sourcePort, destinationPort, tcpOptionWords, udpZeroChecksum, echoRequest, icmpIdentifier,
        icmpSequence, errorType, errorCode, invoking, keep, payload);
  }

  public PacketSpec withDestination(IpAddress a) {
    return new PacketSpec(source, a, hopLimit, ipv4OptionWords, extensionHeaders, upper,
        sourcePort, destinationPort, tcpOptionWords, udpZeroChecksum, echoRequest, icmpIdentifier,
        icmpSequence, errorType, errorCode, invoking, keep, payload);
  }

  public PacketSpec withPorts(int newSource, int newDestination) {
    return new PacketSpec(source, destination, hopLimit, ipv4OptionWords, extensionHeaders, upper,
        newSource, newDestination, tcpOptionWords, udpZeroChecksum, echoRequest, icmpIdentifier,
        icmpSequence, errorType, errorCode, invoking, keep, payload);
  }

  public PacketSpec withIcmpIdentifier(int id) {
    return new PacketSpec(source, destination, hopLimit, ipv4OptionWords, extensionHeaders, upper,
        sourcePort, destinationPort, tcpOptionWords, udpZeroChecksum, echoRequest, id,
        icmpSequence, errorType, errorCode, invoking, keep, payload);
  }

  public PacketSpec withHopLimit(int value) {
    return new PacketSpec(source, destination, value, ipv4OptionWords, extensionHeaders, upper,
        sourcePort, destinationPort, tcpOptionWords, udpZeroChecksum, echoRequest, icmpIdentifier,
        icmpSequence, errorType, errorCode, invoking, keep, payload);
  }

  public PacketSpec withInvoking(PacketSpec value) {
    return new PacketSpec(source, destination, hopLimit, ipv4OptionWords, extensionHeaders, upper,
        sourcePort, destinationPort, tcpOptionWords, udpZeroChecksum, echoRequest, icmpIdentifier,
        icmpSequence, errorType, errorCode, value, keep, payload);
  }

  @Override
  public String toString() {
    return source + " > " + destination + " " + upper
        + (hasPorts() ? " " + sourcePort + ">" + destinationPort : "")
        + (upper == TestPackets.Upper.ICMP_ECHO ? " id " + icmpIdentifier : "")
        + (upper == TestPackets.Upper.ICMP_ERROR ? " " + errorType + "/" + errorCode + " keep "
            + keep + " [" + invoking + "]" : "")
        + " ext " + extensionHeaders + " opt " + ipv4OptionWords + " payload " + payload.length;
  }
}
