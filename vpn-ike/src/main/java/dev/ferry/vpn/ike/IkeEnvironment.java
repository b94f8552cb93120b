package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.time.Scheduler;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The injected seams of an {@link IkeEndpoint}: crypto (and through it all randomness), time
 * ({@code scheduler} for timers, {@code clock} for the current instant), the data plane, the
 * listener with the executor it is called on, and the serial executor all IKE SA work runs on.
 * Tests use a {@code ManualScheduler} as both scheduler and clock, a seeded random, a recording
 * installer and {@code Runnable::run} executors, so everything is deterministic and single-threaded.
 *
 * @param rekeyAdmission whether rekeys the peer asks for are taken on now ({@link
 *     RekeyAdmission#ALWAYS} unless given)
 */
public record IkeEnvironment(
    CryptoProvider crypto,
    Scheduler scheduler,
    InstantSource clock,
    ChildSaInstaller installer,
    IkeSessionListener listener,
    Executor listenerExecutor,
    Executor saExecutor,
    RekeyAdmission rekeyAdmission) {

  public IkeEnvironment {
    Objects.requireNonNull(crypto, "crypto");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(installer, "installer");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(listenerExecutor, "listenerExecutor");
    Objects.requireNonNull(saExecutor, "saExecutor");
    Objects.requireNonNull(rekeyAdmission, "rekeyAdmission");
  }

  /** The seams with every peer rekey admitted ({@link RekeyAdmission#ALWAYS}). */
  public IkeEnvironment(CryptoProvider crypto, Scheduler scheduler, InstantSource clock,
      ChildSaInstaller installer, IkeSessionListener listener, Executor listenerExecutor,
      Executor saExecutor) {
    this(crypto, scheduler, clock, installer, listener, listenerExecutor, saExecutor,
        RekeyAdmission.ALWAYS);
  }
}
