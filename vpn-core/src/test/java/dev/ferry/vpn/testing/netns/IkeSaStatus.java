package dev.ferry.vpn.testing.netns;

import java.util.List;
import java.util.Objects;

/**
 * An IKE SA as charon reports it ({@code swanctl --list-sas}), with its CHILD SAs.
 *
 * @param name the connection name
 * @param uniqueId charon's unique id (a rekeyed IKE SA gets a new one)
 * @param state charon's IKE_SA state (ESTABLISHED, CONNECTING, REKEYING, DELETING, ...)
 * @param initiator true when this side initiated the IKE SA (after a rekey: the new one)
 * @param localHost local outer address
 * @param localPort local UDP port (4500 after NAT-T floating)
 * @param remoteHost remote outer address
 * @param remotePort remote UDP port
 * @param localId identity this side used
 * @param remoteId identity the peer presented
 * @param initiatorSpi IKE SPIi, hex
 * @param responderSpi IKE SPIr, hex
 * @param natDetected true when charon detected (or faked, kernel-libipsec) NAT on either side
 * @param encryption e.g. {@code AES_GCM_16_128}
 * @param integrity empty for AEAD
 * @param prf e.g. {@code PRF_HMAC_SHA2_256}
 * @param keyExchange e.g. {@code ECP_256}
 * @param childSas the CHILD SAs, in charon's order
 */
public record IkeSaStatus(
    String name,
    long uniqueId,
    String state,
    boolean initiator,
    String localHost,
    int localPort,
    String remoteHost,
    int remotePort,
    String localId,
    String remoteId,
    String initiatorSpi,
    String responderSpi,
    boolean natDetected,
    String encryption,
    String integrity,
    String prf,
    String keyExchange,
    List<ChildSaStatus> childSas) {

  public IkeSaStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    childSas = List.copyOf(childSas);
  }

  public boolean isEstablished() {
    return state.equals("ESTABLISHED");
  }

  /** The negotiated IKE proposal as {@code ENCR/INTEG/PRF/KE}, skipping an absent INTEG. */
  public String proposal() {
    return String.join("/", java.util.stream.Stream.of(encryption, integrity, prf, keyExchange)
        .filter(s -> !s.isEmpty()).toList());
  }

  /** CHILD SAs of the given name in state INSTALLED. */
  public List<ChildSaStatus> installedChildren(String childName) {
    return childSas.stream().filter(c -> c.name().equals(childName) && c.isInstalled()).toList();
  }

  /** True when {@code other} is the same IKE SA seen from the peer (same SPI pair). */
  public boolean sameSaAs(IkeSaStatus other) {
    return initiatorSpi.equalsIgnoreCase(other.initiatorSpi)
        && responderSpi.equalsIgnoreCase(other.responderSpi);
  }

  static IkeSaStatus from(ViciSection s) {
    List<ChildSaStatus> children = s.section("child-sas")
        .map(c -> c.sections().stream().map(ChildSaStatus::from).toList())
        .orElse(List.of());
    return new IkeSaStatus(
        s.name(),
        SaListing.number(s, "uniqueid"),
        s.value("state").orElse(""),
        s.value("initiator").map("yes"::equals).orElse(false),
        s.value("local-host").orElse(""),
        (int) SaListing.number(s, "local-port"),
        s.value("remote-host").orElse(""),
        (int) SaListing.number(s, "remote-port"),
        s.value("local-id").orElse(""),
        s.value("remote-id").orElse(""),
        s.value("initiator-spi").orElse(""),
        s.value("responder-spi").orElse(""),
        s.value("nat-any").map("yes"::equals).orElse(false),
        SaListing.algorithm(s, "encr-alg", "encr-keysize"),
        SaListing.algorithm(s, "integ-alg", "integ-keysize"),
        s.value("prf-alg").orElse(""),
        s.value("dh-group").orElse(""),
        children);
  }
}
