/**
 * Cryptographic values and primitives shared by the control plane (IKE) and the data plane
 * (ESP): secret key material that never prints itself, and the algorithm implementations behind
 * small interfaces.
 */
package dev.ferry.vpn.core.crypto;
