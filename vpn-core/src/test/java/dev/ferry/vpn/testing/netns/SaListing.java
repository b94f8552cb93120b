package dev.ferry.vpn.testing.netns;

import java.util.List;
import java.util.Optional;

/**
 * What one charon reports in {@code swanctl --list-sas --pretty}: its IKE SAs with their CHILD
 * SAs. Parsing is strict about structure (see {@link ViciSection#parsePretty(String)}) and lenient
 * about fields: a missing field reads as empty text or zero rather than failing, because charon
 * omits fields that do not apply (no integrity algorithm with AEAD, no SPIr while connecting).
 *
 * @param ikeSas the IKE SAs in charon's order
 */
public record SaListing(List<IkeSaStatus> ikeSas) {

  public SaListing {
    ikeSas = List.copyOf(ikeSas);
  }

  /** Parses swanctl's pretty output; each {@code list-sa event} section holds one IKE SA. */
  public static SaListing parse(String prettyOutput) {
    ViciSection root = ViciSection.parsePretty(prettyOutput);
    return new SaListing(root.sections("list-sa event").stream()
        .flatMap(event -> event.sections().stream())
        .map(IkeSaStatus::from)
        .toList());
  }

  public boolean isEmpty() {
    return ikeSas.isEmpty();
  }

  /** IKE SAs of the given connection, in any state. */
  public List<IkeSaStatus> ike(String connection) {
    return ikeSas.stream().filter(s -> s.name().equals(connection)).toList();
  }

  /** The single ESTABLISHED IKE SA of the connection, if there is exactly one. */
  public Optional<IkeSaStatus> established(String connection) {
    List<IkeSaStatus> up = ike(connection).stream().filter(IkeSaStatus::isEstablished).toList();
    return up.size() == 1 ? Optional.of(up.get(0)) : Optional.empty();
  }

  /**
   * The single INSTALLED CHILD SA with the given child name across all IKE SAs, if there is
   * exactly one (during a rekey there are briefly two, and the old one lingers as REKEYED or
   * DELETED).
   */
  public Optional<ChildSaStatus> installedChild(String child) {
    List<ChildSaStatus> installed = ikeSas.stream()
        .flatMap(s -> s.installedChildren(child).stream())
        .toList();
    return installed.size() == 1 ? Optional.of(installed.get(0)) : Optional.empty();
  }

  static long number(ViciSection s, String key) {
    try {
      return s.value(key).map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "section " + s.name() + ": " + key + " is not a number: " + s.value(key).orElse(""), e);
    }
  }

  /** Algorithm name with its key size appended ({@code AES_CBC} + 256 = {@code AES_CBC_256}). */
  static String algorithm(ViciSection s, String nameKey, String sizeKey) {
    String name = s.value(nameKey).orElse("");
    return s.value(sizeKey).map(size -> name + "_" + size).orElse(name);
  }
}
