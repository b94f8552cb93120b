package dev.ferry.vpn.ike.message;

/** Vendor ID payload (RFC 7296 section 3.12): an opaque vendor-chosen value. */
public record VendorIdPayload(Bytes vendorId) implements IkePayload {
  public VendorIdPayload {
    Checks.maxLength("vendor ID", vendorId, PayloadCodec.MAX_BODY);
  }

  @Override
  public PayloadType type() {
    return PayloadType.VENDOR_ID;
  }

  @Override
  public String summary() {
    return "V";
  }
}
