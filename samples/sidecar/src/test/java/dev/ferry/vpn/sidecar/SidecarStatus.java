package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.testing.netns.ChildSaStatus;
import dev.ferry.vpn.testing.netns.IkeSaStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar console's {@code status} answer, parsed: {@code ok status ike-sas=N child-sas=M;
 * ike k=v ...; child k=v ...; data-plane k=v ...} (see {@link OperatorConsole#describe}).
 */
record SidecarStatus(List<Ike> ikeSas, List<Child> childSas, Map<String, String> dataPlane) {

  /** One IKE SA as the sidecar reports it; SPIs in hex. */
  record Ike(String state, boolean initiator, String spiI, String spiR, String local,
      String remote, String suite) {

    boolean isEstablished() {
      return state.equals("ESTABLISHED");
    }

    /** Same SPI pair as strongSwan's view of the IKE SA. */
    boolean sameSaAs(IkeSaStatus theirs) {
      return spiI.equalsIgnoreCase(theirs.initiatorSpi())
          && spiR.equalsIgnoreCase(theirs.responderSpi());
    }
  }

  /** One installed CHILD SA; SPIs as eight hex digits. */
  record Child(String spiIn, String spiOut, String proposal, boolean encapsulated) {

    /** strongSwan's view of the same SA has the SPIs crossed over. */
    boolean mirrors(ChildSaStatus theirs) {
      return spiIn.equalsIgnoreCase(theirs.spiOut()) && spiOut.equalsIgnoreCase(theirs.spiIn());
    }
  }

  static SidecarStatus parse(String answer) {
    if (!answer.startsWith("ok status")) {
      throw new IllegalArgumentException("not a status answer: " + answer);
    }
    List<Ike> ikes = new ArrayList<>();
    List<Child> children = new ArrayList<>();
    Map<String, String> dataPlane = new HashMap<>();
    String[] parts = answer.split("; ");
    for (int i = 1; i < parts.length; i++) {
      String[] words = parts[i].split(" ");
      Map<String, String> fields = new HashMap<>();
      for (int w = 1; w < words.length; w++) {
        int eq = words[w].indexOf('=');
        fields.put(words[w].substring(0, eq), words[w].substring(eq + 1));
      }
      switch (words[0]) {
        case "ike" -> ikes.add(new Ike(fields.get("state"), "initiator".equals(fields.get("role")),
            fields.get("spi-i"), fields.get("spi-r"), fields.get("local"), fields.get("remote"),
            fields.get("suite")));
        case "child" -> children.add(new Child(fields.get("spi-in"), fields.get("spi-out"),
            fields.get("proposal"), "yes".equals(fields.get("encap"))));
        case "data-plane" -> dataPlane.putAll(fields);
        default -> throw new IllegalArgumentException("unknown status part: " + parts[i]);
      }
    }
    return new SidecarStatus(ikes, children, Map.copyOf(dataPlane));
  }

  /** The single ESTABLISHED IKE SA, if there is exactly one. */
  Optional<Ike> established() {
    List<Ike> up = ikeSas.stream().filter(Ike::isEstablished).toList();
    return up.size() == 1 ? Optional.of(up.get(0)) : Optional.empty();
  }

  /** The single installed CHILD SA, if there is exactly one. */
  Optional<Child> installedChild() {
    return childSas.size() == 1 ? Optional.of(childSas.get(0)) : Optional.empty();
  }

  /** A data-plane counter ({@code sent}, {@code delivered}, ...); 0 when absent. */
  long dataPlaneCount(String name) {
    return Long.parseLong(dataPlane.getOrDefault(name, "0"));
  }

  boolean isEmpty() {
    return ikeSas.isEmpty() && childSas.isEmpty();
  }
}
