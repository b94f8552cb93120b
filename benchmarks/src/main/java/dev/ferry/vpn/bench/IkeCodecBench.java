package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.DecodeResult;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.IkeHeader;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkeMessageDecoder;
import dev.ferry.vpn.ike.message.KePayload;
import dev.ferry.vpn.ike.message.NoncePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.message.SaPayload;
import dev.ferry.vpn.ike.message.SaProposal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds to encode and to decode a typical IKE_SA_INIT request (two proposals, an ECP-256 KE,
 * a 32-octet nonce, NAT detection, fragmentation and signature-hash notifies; about 330 octets),
 * and to peek at its header for dispatch.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar IkeCodecBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IkeCodecBench {

  private IkeMessage request;
  private byte[] wire;

  @Setup
  public void setUp() {
    SaPayload sa = new SaPayload(List.of(
        SaProposal.of(1, Proposal.parse("aes128gcm16-prfsha256-ecp256", Protocol.IKE), Bytes.EMPTY),
        SaProposal.of(2, Proposal.parse("aes256-sha256-modp2048", Protocol.IKE), Bytes.EMPTY)));
    request = new IkeMessage(0x0123456789abcdefL, 0, ExchangeType.IKE_SA_INIT, true, false, 0,
        false, List.of(
            sa,
            new KePayload(19, Bytes.of(new byte[64])),
            new NoncePayload(Bytes.of(new byte[32])),
            NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, Bytes.of(new byte[20])),
            NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, Bytes.of(new byte[20])),
            NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
            NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS,
                Bytes.octets(0, 2, 0, 3, 0, 4))));
    wire = request.encode();
    if (!(decode() instanceof DecodeResult.Ok ok) || !ok.message().equals(request)) {
      throw new IllegalStateException("the benchmark message does not round-trip");
    }
  }

  @Benchmark
  public byte[] encode() {
    return request.encode();
  }

  @Benchmark
  public DecodeResult decode() {
    return IkeMessageDecoder.decode(wire, 0, wire.length, null);
  }

  @Benchmark
  public DecodeResult encodeAndDecode() {
    byte[] bytes = request.encode();
    return IkeMessageDecoder.decode(bytes, 0, bytes.length, null);
  }

  @Benchmark
  public IkeHeader peek() {
    return IkeHeader.peek(wire, 0, wire.length);
  }
}
