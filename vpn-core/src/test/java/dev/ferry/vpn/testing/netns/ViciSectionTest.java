package dev.ferry.vpn.testing.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ViciSectionTest {

  /** Shape of real charon 5.9.8 output: a CHILD SA just rekeyed (old DELETED, new INSTALLED). */
  static final String REKEYED_LISTING = """
      list-sa event {
        lab {
          uniqueid = 2
          version = 2
          state = ESTABLISHED
          local-host = 192.0.2.1
          local-port = 4500
          local-id = a.lab.example
          remote-host = 192.0.2.2
          remote-port = 4500
          remote-id = C=CH, O=strongSwan, CN=b
          initiator = yes
          initiator-spi = 14ff6116545ffe07
          responder-spi = e92b11599c4122f2
          nat-remote = yes
          nat-any = yes
          encr-alg = AES_GCM_16
          encr-keysize = 128
          prf-alg = PRF_HMAC_SHA2_256
          dh-group = ECP_256
          child-sas {
            net-1 {
              name = net
              uniqueid = 1
              state = DELETED
              mode = TUNNEL
              protocol = ESP
              encap = yes
              spi-in = abbe9138
              spi-out = ec50e68c
              encr-alg = AES_GCM_16
              encr-keysize = 128
              packets-in = 2
              local-ts = [
                10.231.1.0/24
              ]
              remote-ts = [
                10.231.2.0/24
              ]
            }
            net-2 {
              name = net
              uniqueid = 2
              state = INSTALLED
              mode = TUNNEL
              protocol = ESP
              encap = yes
              spi-in = 3ac45550
              spi-out = e7235d19
              encr-alg = AES_CBC
              encr-keysize = 256
              integ-alg = HMAC_SHA2_256_128
              dh-group = MODP_2048
              packets-in = 0
              local-ts = [
                10.231.1.0/24
                fd00:f0:1::/64
              ]
              remote-ts = [
              ]
            }
          }
        }
      }
      list-sa event {
        other {
          uniqueid = 3
          state = CONNECTING
        }
      }
      list-sas reply {
      }""";

  @Test
  void readsIkeAndChildSasOfARealListing() {
    SaListing listing = SaListing.parse(REKEYED_LISTING);

    assertEquals(2, listing.ikeSas().size());
    IkeSaStatus ike = listing.established("lab").orElseThrow();
    assertEquals("AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_256", ike.proposal());
    assertEquals("C=CH, O=strongSwan, CN=b", ike.remoteId());
    assertEquals(4500, ike.remotePort());
    assertTrue(ike.initiator() && ike.natDetected());
    assertEquals(2, ike.childSas().size());

    ChildSaStatus child = listing.installedChild("net").orElseThrow();
    assertEquals(2, child.uniqueId());
    assertEquals("3ac45550", child.spiIn());
    assertEquals("AES_CBC_256", child.encryption());
    assertEquals("HMAC_SHA2_256_128", child.integrity());
    assertEquals("MODP_2048", child.keyExchange());
    assertEquals(List.of("10.231.1.0/24", "fd00:f0:1::/64"), child.localTs());
    assertEquals(List.of(), child.remoteTs());
    assertEquals(2, ike.childSas().get(0).packetsIn());

    assertTrue(listing.established("other").isEmpty(), "CONNECTING is not established");
    assertEquals("CONNECTING", listing.ike("other").get(0).state());
  }

  @Test
  void mirroredSpisAndSharedIkeSpisAreRecognised() {
    ChildSaStatus mine = SaListing.parse(REKEYED_LISTING).installedChild("net").orElseThrow();
    ChildSaStatus peer = new ChildSaStatus("net", 9, "INSTALLED", "TUNNEL", "ESP", true,
        "E7235D19", "3ac45550", "", "", "", 0, 0, List.of(), List.of());
    assertTrue(mine.mirrors(peer));
    ChildSaStatus stranger = new ChildSaStatus("net", 9, "INSTALLED", "TUNNEL", "ESP", true,
        "e7235d19", "00000001", "", "", "", 0, 0, List.of(), List.of());
    assertFalse(mine.mirrors(stranger));
  }

  @Test
  void emptyListingHasNoSas() {
    assertTrue(SaListing.parse("list-sas reply {\n}").isEmpty());
    assertTrue(SaListing.parse("").isEmpty());
  }

  @Test
  void truncatedOrUnbalancedListingsAreRejectedNotReadAsEmpty() {
    String truncated = REKEYED_LISTING.substring(0, REKEYED_LISTING.indexOf("net-2"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SaListing.parse(truncated));
    assertTrue(e.getMessage().contains("child-sas"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ViciSection.parsePretty("a {\n}\n}"));
    assertThrows(IllegalArgumentException.class, () -> ViciSection.parsePretty("k = [\n  x\n"));
  }

  @Test
  void nonNumericCounterIsATypedError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SaListing.parse("list-sa event {\n x {\n  uniqueid = abc\n }\n}"));
    assertTrue(e.getMessage().contains("uniqueid"), e.getMessage());
  }

  @Property(tries = 200)
  void prettyPrintingThenParsingGivesBackTheTree(@ForAll("trees") ViciSection tree) {
    ViciSection root = new ViciSection("", Map.of(), Map.of(), List.of(tree));
    assertEquals(root, ViciSection.parsePretty(pretty(root, "")));
  }

  @Provide
  Arbitrary<ViciSection> trees() {
    return tree(3);
  }

  private static Arbitrary<ViciSection> tree(int depth) {
    Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_')
        .ofMinLength(1).ofMaxLength(8).filter(k -> Character.isLetter(k.charAt(0)));
    // Values as charon prints them: may contain spaces, '=', ',', '/', ':' but not line breaks.
    Arbitrary<String> value = Arbitraries.strings().withCharRange('0', 'z')
        .withChars(' ', ',', '/', ':', '=', '.').ofMinLength(1).ofMaxLength(20)
        .map(String::strip).filter(v -> !v.isEmpty() && !v.endsWith(" {") && !v.equals("["));
    Arbitrary<Map<String, String>> values = Arbitraries.maps(key.map(k -> "v" + k), value)
        .ofMaxSize(4).map(LinkedHashMap::new);
    Arbitrary<Map<String, List<String>>> lists = Arbitraries.maps(key.map(k -> "l" + k),
        value.filter(v -> !v.equals("]")).list().ofMaxSize(3)).ofMaxSize(2).map(LinkedHashMap::new);
    Arbitrary<List<ViciSection>> children = depth == 0
        ? Arbitraries.just(List.of())
        : Arbitraries.lazy(() -> tree(depth - 1)).list().ofMaxSize(2);
    return net.jqwik.api.Combinators.combine(key, values, lists, children)
        .as(ViciSection::new);
  }

  /** The layout swanctl --pretty uses: two-space indent, lists one item per line. */
  private static String pretty(ViciSection section, String indent) {
    StringBuilder out = new StringBuilder();
    boolean root = section.name().isEmpty();
    String in = root ? indent : indent + "  ";
    if (!root) {
      out.append(indent).append(section.name()).append(" {\n");
    }
    section.values().forEach((k, v) -> out.append(in).append(k).append(" = ").append(v).append('\n'));
    section.lists().forEach((k, items) -> {
      out.append(in).append(k).append(" = [\n");
      items.forEach(item -> out.append(in).append("  ").append(item).append('\n'));
      out.append(in).append("]\n");
    });
    section.sections().forEach(s -> out.append(pretty(s, in)));
    if (!root) {
      out.append(indent).append("}\n");
    }
    return out.toString();
  }
}
