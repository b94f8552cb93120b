package dev.ferry.vpn.ike.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.ike.CloseReason;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.RetransmissionPolicy;
import dev.ferry.vpn.ike.crypto.IkeCryptoSuite;
import dev.ferry.vpn.ike.crypto.IkeKeys;
import dev.ferry.vpn.ike.crypto.SkProtector;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.DecodeResult;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkeMessageDecoder;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.message.NotifyType;
import dev.ferry.vpn.ike.sa.IkeSa;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message IDs, window, retransmission and the response cache, without crypto or a network. */
class TaskManagerTest {
  private static final UdpEndpoint LOCAL = UdpEndpoint.parse("192.0.2.1:500");
  private static final UdpEndpoint REMOTE = UdpEndpoint.parse("198.51.100.7:500");

  /** SK "protection" that only frames: body = plaintext || pad length 0. Tests only. */
  private static final SkProtector CLEAR = new SkProtector() {
    @Override
    public int bodyLength(int plaintextLength) {
      return plaintextLength + 1;
    }

    @Override
    public byte[] seal(byte[] associatedData, byte[] plaintext) {
      return Arrays.copyOf(plaintext, plaintext.length + 1);
    }

    @Override
    public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
      return length < 1 || body[offset + length - 1] != 0
          ? null : Arrays.copyOfRange(body, offset, offset + length - 1);
    }
  };

  private final ManualScheduler clock = new ManualScheduler();
  private final List<byte[]> sent = new ArrayList<>();
  private final List<CloseReason> failures = new ArrayList<>();
  private int plansBuilt;

  private TaskManager manager(boolean initiator) {
    IkePeerConfig config = IkePeerConfig.builder()
        .name("t").localIdentity(Identity.parse("a.example")).remoteIdentity(Identity.ANY)
        .presharedKey(Secret.ofUtf8("k"))
        .ikeProposals(ProposalList.parse("aes128gcm16-prfsha256-ecp256", Protocol.IKE))
        .espProposals(ProposalList.parse("aes128gcm16", Protocol.ESP))
        .localSubnets(List.of(IpPrefix.parse("10.1.0.0/16")))
        .remoteSubnets(List.of(IpPrefix.parse("10.2.0.0/16")))
        .build();
    IkeSa sa = new IkeSa(config, initiator, 0x1111L, 0x2222L, LOCAL, REMOTE);
    Proposal p = Proposal.parse("aes128gcm16-prfsha256-ecp256", Protocol.IKE);
    Secret k = Secret.of(new byte[16]);
    sa.setKeys(p, IkeCryptoSuite.of(p), new IkeKeys(k, k, k, k, k, k, k), CLEAR, CLEAR);
    return new TaskManager(sa, (l, r, m) -> sent.add(m), clock, RetransmissionPolicy.STRONGSWAN,
        type -> {
          plansBuilt++;
          return List.of();
        },
        new TaskManager.Outcome() {
          @Override
          public void failed(CloseReason reason) {
            failures.add(reason);
          }

          @Override
          public void childFailed(CloseReason reason) {
            failures.add(reason);
          }
        });
  }

  private static IkeMessage informational(long id, boolean response, boolean fromInitiator) {
    return new IkeMessage(0x1111L, 0x2222L, ExchangeType.INFORMATIONAL, fromInitiator, response,
        id, true, List.of());
  }

  private static IkeMessage decode(byte[] datagram) {
    return ((DecodeResult.Ok) IkeMessageDecoder.decode(datagram, 0, datagram.length, CLEAR))
        .message();
  }

  @Test
  void retransmittedRequestGetsTheCachedResponseWithoutReprocessing() {
    TaskManager responder = manager(false);
    IkeMessage request = informational(0, false, true);

    responder.onRequest(request, request.encode(CLEAR), LOCAL, REMOTE);
    responder.onRequest(request, request.encode(CLEAR), LOCAL, REMOTE);

    assertEquals(2, sent.size());
    assertArrayEquals(sent.get(0), sent.get(1));
    assertEquals(1, plansBuilt, "the retransmission was answered from the cache");
    assertEquals(0, decode(sent.get(0)).messageId());
  }

  @Test
  void requestsOutsideTheWindowAreDropped() {
    TaskManager responder = manager(false);
    IkeMessage early = informational(1, false, true);
    responder.onRequest(early, early.encode(CLEAR), LOCAL, REMOTE);
    assertEquals(List.of(), sent);
  }

  @Test
  void windowOfOne_secondExchangeWaitsForTheFirstResponse_thenUsesTheNextMessageId() {
    TaskManager initiator = manager(true);
    initiator.queue(new ExchangePlan(ExchangeType.INFORMATIONAL, List.of()));
    initiator.queue(new ExchangePlan(ExchangeType.INFORMATIONAL, List.of()));
    assertEquals(1, sent.size());

    IkeMessage response = informational(0, true, false);
    initiator.onResponse(response, response.encode(CLEAR));

    assertEquals(2, sent.size());
    assertEquals(1, decode(sent.get(1)).messageId());
  }

  @Test
  void retransmitsWithBackoffThenReportsTimeout() {
    TaskManager initiator = manager(true);
    initiator.queue(new ExchangePlan(ExchangeType.INFORMATIONAL, List.of()));
    long[] expectedSendTimes = {0, 4000, 11200, 24160, 47488, 89478};
    long start = clock.millis();
    List<Long> times = new ArrayList<>();
    times.add(0L);
    for (int s = 1; s <= 200_000 / 100; s++) {
      int before = sent.size();
      clock.advance(Duration.ofMillis(100));
      if (sent.size() > before) {
        times.add(clock.millis() - start);
      }
    }
    assertEquals(6, times.size());
    for (int i = 0; i < times.size(); i++) {
      assertEquals(expectedSendTimes[i], times.get(i), 100, "send " + i);
    }
    assertInstanceOf(CloseReason.Timeout.class, failures.get(0));
  }

  @Test
  void malformedAuthenticatedRequestIsAnsweredWithItsErrorNotify() {
    TaskManager responder = manager(false);
    responder.onMalformedRequest(0, ExchangeType.IKE_AUTH, NotifyType.INVALID_SYNTAX,
        Bytes.EMPTY, LOCAL, REMOTE);

    NotifyPayload answer = decode(sent.get(0)).first(NotifyPayload.class).orElseThrow();
    assertEquals(NotifyType.INVALID_SYNTAX, answer.notifyType());
    assertInstanceOf(CloseReason.ProtocolError.class, failures.get(0));
  }
}
