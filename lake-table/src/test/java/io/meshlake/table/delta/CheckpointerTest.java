package io.meshlake.table.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.hook.PostCommitHook;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which checkpoints the background writer writes when commits call for them faster, or out of order. */
class CheckpointerTest {

  private final Checkpointer checkpointer = new Checkpointer();
  private final List<String> invoked = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstStarted = new CountDownLatch(1);

  private PostCommitHook hook(String name, CountDownLatch release) {
    return new PostCommitHook() {
      @Override
      public void threadSafeInvoke(Engine engine) {
        invoked.add(name);
        firstStarted.countDown();
        try {
          if (release != null && !release.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never released " + name);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public PostCommitHookType getType() {
        return PostCommitHookType.CHECKPOINT;
      }
    };
  }

  @Test
  void onlyTheNewestWaitingCheckpointIsWrittenAndNeverAnOlderOneAfterIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    checkpointer.submit("a", null, hook("a@5", release), 5);
    // While "a" is being written, "b" is asked for at 20, 30, then (a slower writer's hook) at 10.
    assertThat(firstStarted.await(2, TimeUnit.MINUTES)).as("a@5 started").isTrue();
    checkpointer.submit("b", null, hook("b@20", null), 20);
    checkpointer.submit("b", null, hook("b@30", null), 30);
    checkpointer.submit("b", null, hook("b@10", null), 10);
    assertThat(checkpointer.await("b", Duration.ofMillis(50))).as("b waits behind a").isFalse();
    release.countDown();
    assertThat(checkpointer.await("a", Duration.ofMinutes(2))).isTrue();
    assertThat(checkpointer.await("b", Duration.ofMinutes(2))).isTrue();
    assertThat(invoked).containsExactly("a@5", "b@30");

    checkpointer.submit("b", null, hook("b@25", null), 25);
    checkpointer.submit("b", null, hook("b@40", null), 40);
    assertThat(checkpointer.await("b", Duration.ofMinutes(2))).isTrue();
    assertThat(invoked).containsExactly("a@5", "b@30", "b@40");
  }

  @Test
  void aFailedCheckpointIsLoggedAndDoesNotBlockTheNext() throws Exception {
    checkpointer.submit("c", null, new PostCommitHook() {
      @Override
      public void threadSafeInvoke(Engine engine) {
        throw new IllegalStateException("disk full");
      }

      @Override
      public PostCommitHookType getType() {
        return PostCommitHookType.CHECKPOINT;
      }
    }, 10);
    assertThat(checkpointer.await("c", Duration.ofMinutes(2))).isTrue();
    checkpointer.submit("c", null, hook("c@20", null), 20);
    assertThat(checkpointer.await("c", Duration.ofMinutes(2))).isTrue();
    assertThat(invoked).containsExactly("c@20");
  }
}
