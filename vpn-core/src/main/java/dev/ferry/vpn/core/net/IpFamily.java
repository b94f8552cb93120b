package dev.ferry.vpn.core.net;

/** The two IP versions. Each address and prefix belongs to exactly one. */
public enum IpFamily {
  IPV4(32, 4),
  IPV6(128, 16);

  private final int bitLength;
  private final int byteLength;

  IpFamily(int bitLength, int byteLength) {
    this.bitLength = bitLength;
    this.byteLength = byteLength;
  }

  /** 32 or 128. */
  public int bitLength() {
    return bitLength;
  }

  /** 4 or 16. */
  public int byteLength() {
    return byteLength;
  }
}
