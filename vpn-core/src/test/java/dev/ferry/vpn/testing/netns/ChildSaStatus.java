package dev.ferry.vpn.testing.netns;

import java.util.List;
import java.util.Objects;

/**
 * A CHILD SA as charon reports it ({@code swanctl --list-sas}). States are charon's names
 * (INSTALLED, REKEYED, DELETED, ...), kept as text so that an unexpected state shows verbatim in
 * a failure message.
 *
 * @param name the child configuration name
 * @param uniqueId charon's unique id of this SA
 * @param state charon's CHILD_SA state
 * @param mode TUNNEL or TRANSPORT
 * @param protocol ESP or AH
 * @param udpEncapsulated true when ESP travels in UDP (RFC 3948)
 * @param spiIn inbound SPI, hex as charon prints it
 * @param spiOut outbound SPI, hex as charon prints it
 * @param encryption encryption algorithm with key size, e.g. {@code AES_GCM_16_128}
 * @param integrity integrity algorithm, empty for AEAD
 * @param keyExchange key exchange method of the last (re)key with PFS, empty without PFS
 * @param packetsIn packets received and decrypted on this SA
 * @param packetsOut packets encrypted and sent on this SA
 * @param localTs local traffic selectors
 * @param remoteTs remote traffic selectors
 */
public record ChildSaStatus(
    String name,
    long uniqueId,
    String state,
    String mode,
    String protocol,
    boolean udpEncapsulated,
    String spiIn,
    String spiOut,
    String encryption,
    String integrity,
    String keyExchange,
    long packetsIn,
    long packetsOut,
    List<String> localTs,
    List<String> remoteTs) {

  public ChildSaStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    localTs = List.copyOf(localTs);
    remoteTs = List.copyOf(remoteTs);
  }

  public boolean isInstalled() {
    return state.equals("INSTALLED");
  }

  /** True when {@code other} is the same SA seen from the peer: SPIs crossed over. */
  public boolean mirrors(ChildSaStatus other) {
    return spiIn.equalsIgnoreCase(other.spiOut) && spiOut.equalsIgnoreCase(other.spiIn);
  }

  static ChildSaStatus from(ViciSection s) {
    return new ChildSaStatus(
        s.value("name").orElse(s.name()),
        SaListing.number(s, "uniqueid"),
        s.value("state").orElse(""),
        s.value("mode").orElse(""),
        s.value("protocol").orElse(""),
        s.value("encap").map("yes"::equals).orElse(false),
        s.value("spi-in").orElse(""),
        s.value("spi-out").orElse(""),
        SaListing.algorithm(s, "encr-alg", "encr-keysize"),
        SaListing.algorithm(s, "integ-alg", "integ-keysize"),
        s.value("dh-group").orElse(""),
        SaListing.number(s, "packets-in"),
        SaListing.number(s, "packets-out"),
        s.list("local-ts"),
        s.list("remote-ts"));
  }
}
