package io.meshlake.streams;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the registry shared by the driver tests (JUnit and jqwik alike) once the whole test run is over. */
public final class SharedRegistryShutdown implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestRegistry.closeShared();
  }
}
