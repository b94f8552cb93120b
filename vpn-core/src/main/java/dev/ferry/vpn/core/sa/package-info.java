/**
 * The control plane's view of the data plane: what a negotiated CHILD SA is ({@link
 * dev.ferry.vpn.core.sa.ChildSaSpec}: SPIs, transforms, keys, traffic selectors, tunnel endpoints,
 * lifetimes) and the small SPI through which IKE installs and removes it ({@link
 * dev.ferry.vpn.core.sa.ChildSaInstaller}, strongSwan's {@code kernel_ipsec_t} narrowed). The ESP
 * data plane implements the installer; {@link dev.ferry.vpn.core.sa.RecordingChildSaInstaller} is
 * its in-memory twin for tests and dry runs.
 *
 * <p>RFC 7296 section 2.17 (KEYMAT), 2.8 (rekeying: the new inbound SA is installed before the old
 * one is removed), RFC 4303 (ESP), RFC 3948 (UDP encapsulation).
 */
package dev.ferry.vpn.core.sa;
