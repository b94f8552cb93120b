/** Values and small interfaces at the I/O seams (outer UDP endpoints; packet I/O comes with ESP). */
package dev.ferry.vpn.core.io;
