package dev.ferry.vpn.ike.transport;

/**
 * How badly a {@link LoopbackIkeNetwork} treats datagrams; each is a probability in [0, 1] drawn
 * per datagram from the network's seeded random source.
 *
 * @param loss a datagram is dropped
 * @param duplication a datagram is delivered twice
 * @param reordering a datagram overtakes a seeded number of the datagrams already waiting
 */
public record NetworkImpairments(double loss, double duplication, double reordering) {

  /** A perfect network. */
  public static final NetworkImpairments NONE = new NetworkImpairments(0, 0, 0);

  public NetworkImpairments {
    checkProbability("loss", loss);
    checkProbability("duplication", duplication);
    checkProbability("reordering", reordering);
  }

  private static void checkProbability(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " " + value + " is not a probability in [0, 1]");
    }
  }
}
