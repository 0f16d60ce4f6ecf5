package io.jgan.gan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;

/**
 * One session run of a train step: the update it applies, the metrics it reports (computed from
 * the weights before the update, as the tutorials report their losses), the sub-step it is fed
 * (which keys its random draws, so WGAN-GP's critic iterations draw fresh noise) and its random
 * tensors by name (noise, dropout keep-masks, label noise, penalty alphas), which a parity run
 * replaces with Python's draws and a test observes.
 *
 * <pre>{@code
 * Map<String, Operand<?>> random = new LinkedHashMap<>();
 * random.put("noise", noise);
 * Phase both = new Phase("both", 0, true, metrics, update, random);   // one session run, fed the batch
 * }</pre>
 *
 * @param name e.g. {@code discriminator}, {@code critic_2}, {@code generator}
 * @param substep the value fed to the random source's sub-step in this run
 * @param feedsBatch whether this run reads the real batch (and its labels)
 * @param metrics name to scalar, in report order
 * @param update the op that applies this run's optimizer and BatchNorm updates
 * @param randomTensors name to random tensor, in a stable order
 */
public record Phase(String name, long substep, boolean feedsBatch, Map<String, Operand<?>> metrics, Op update,
    Map<String, Operand<?>> randomTensors) {
  public Phase {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    randomTensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(randomTensors));
  }
}
