package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpRange;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.net.TrafficSelector;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every payload record and for whole messages. */
final class IkeArbitraries {
  private IkeArbitraries() {}

  static Arbitrary<Bytes> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
  }

  static Arbitrary<Integer> u8() {
    return Arbitraries.integers().between(0, 0xff);
  }

  static Arbitrary<Integer> u16() {
    return Arbitraries.integers().between(0, 0xffff);
  }

  static Arbitrary<SaAttribute> saAttribute() {
    Arbitrary<SaAttribute> tv = Combinators.combine(
        Arbitraries.integers().between(0, 0x7fff), bytes(2, 2))
        .as((type, value) -> new SaAttribute(type, true, value));
    Arbitrary<SaAttribute> tlv = Combinators.combine(
        Arbitraries.integers().between(0, 0x7fff), bytes(0, 12))
        .as((type, value) -> new SaAttribute(type, false, value));
    return Arbitraries.oneOf(tv, tlv);
  }

  static Arbitrary<SaTransform> saTransform() {
    return Combinators.combine(u8(), u16(), saAttribute().list().ofMaxSize(2))
        .as(SaTransform::new);
  }

  static Arbitrary<SaProposal> saProposal() {
    return Combinators.combine(u8(), u8(), bytes(0, 8), saTransform().list().ofMaxSize(5))
        .as(SaProposal::new);
  }

  static Arbitrary<IpAddress> ipv4() {
    return Arbitraries.integers().map(Ipv4Address::new);
  }

  static Arbitrary<IpAddress> ipv6() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Ipv6Address::new);
  }

  static Arbitrary<TrafficSelector> trafficSelector() {
    Arbitrary<IpRange> v4 = ipv4().list().ofSize(2).map(IkeArbitraries::range);
    Arbitrary<IpRange> v6 = ipv6().list().ofSize(2).map(IkeArbitraries::range);
    Arbitrary<int[]> ports = u16().list().ofSize(2).map(
        l -> new int[] {Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))});
    return Combinators.combine(Arbitraries.oneOf(v4, v6), u8(), ports)
        .as((range, protocol, p) -> new TrafficSelector(range, protocol, p[0], p[1]));
  }

  private static IpRange range(List<? extends IpAddress> two) {
    IpAddress a = two.get(0);
    IpAddress b = two.get(1);
    return a.compareTo(b) <= 0 ? new IpRange(a, b) : new IpRange(b, a);
  }

  static Arbitrary<IdPayload> idPayload() {
    Arbitrary<PayloadType> which = Arbitraries.of(PayloadType.IDI, PayloadType.IDR);
    Arbitrary<IdPayload> address = Combinators.combine(which, Arbitraries.oneOf(ipv4(), ipv6()))
        .as(IdPayload::ofAddress);
    Arbitrary<IdPayload> other = Combinators.combine(
        which,
        u8().filter(t -> t != 1 && t != 5).map(IdType::valueOf),
        bytes(0, 40))
        .as(IdPayload::new);
    return Arbitraries.oneOf(address, other);
  }

  /** Payload types this codec keeps as {@link UnknownPayload}. */
  static Arbitrary<PayloadType> unknownPayloadType() {
    return Arbitraries.integers().between(1, 255)
        .map(PayloadType::valueOf)
        .filter(t -> !PayloadCodec.parses(t) && !t.isEncrypted());
  }

  static Arbitrary<DeletePayload> deletePayload() {
    return Combinators.combine(u8(), Arbitraries.integers().between(0, 8),
            Arbitraries.integers().between(0, 4), Arbitraries.randomValue(r -> r.nextLong()))
        .as((protocol, size, count, seed) -> {
          java.util.Random r = new java.util.Random(seed);
          List<Bytes> spis = new java.util.ArrayList<>();
          for (int i = 0; i < count; i++) {
            byte[] spi = new byte[size];
            r.nextBytes(spi);
            spis.add(Bytes.of(spi));
          }
          return new DeletePayload(protocol, size, spis);
        });
  }

  static Arbitrary<IkePayload> payload() {
    return Arbitraries.oneOf(
        saProposal().list().ofMaxSize(3).map(SaPayload::new),
        Combinators.combine(u16(), bytes(0, 64)).as(KePayload::new),
        idPayload(),
        Combinators.combine(u8().map(CertEncoding::valueOf), bytes(0, 40)).as(CertPayload::new),
        Combinators.combine(u8().map(CertEncoding::valueOf), bytes(0, 40))
            .as(CertReqPayload::new),
        Combinators.combine(u8().map(AuthMethod::valueOf), bytes(0, 40)).as(AuthPayload::new),
        bytes(0, 64).map(NoncePayload::new),
        Combinators.combine(u8(), bytes(0, 8), u16().map(NotifyType::valueOf), bytes(0, 20))
            .as(NotifyPayload::new),
        deletePayload(),
        bytes(0, 20).map(VendorIdPayload::new),
        Combinators.combine(Arbitraries.of(PayloadType.TSI, PayloadType.TSR),
                trafficSelector().list().ofMaxSize(4))
            .as(TsPayload::new),
        Combinators.combine(u8(),
                Combinators.combine(
                        Arbitraries.integers().between(0, 0x7fff).map(ConfigAttributeType::valueOf),
                        bytes(0, 16))
                    .as(ConfigAttribute::new)
                    .list()
                    .ofMaxSize(3))
            .as(ConfigPayload::new),
        bytes(0, 40).map(EapPayload::new),
        Combinators.combine(unknownPayloadType(), bytes(0, 30))
            .as((t, body) -> new UnknownPayload(t, false, body)));
  }

  static Arbitrary<IkeMessage> message(boolean encrypted) {
    return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.longs(),
            u8().map(ExchangeType::valueOf),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.longs().between(0, 0xFFFF_FFFFL),
            payload().list().ofMaxSize(6))
        .as((spiI, spiR, exchange, initiator, response, id, payloads) ->
            new IkeMessage(spiI, spiR, exchange, initiator, response, id, encrypted, payloads));
  }
}
