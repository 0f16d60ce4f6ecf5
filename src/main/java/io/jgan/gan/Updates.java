package io.jgan.gan;

import io.jgan.nn.CallContext;
import io.jgan.nn.Tape;
import io.jgan.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The last part of every train step: optimizer updates that run only after everything that reads
 * the old weights (the gradients, the reported losses) has been computed, together with the
 * pass's BatchNorm moving-statistics updates; what {@code optimizer.apply_gradients} after a
 * GradientTape does in eager mode.
 *
 * <pre>{@code
 * Op update = Updates.applyAfter(tf, List.of(
 *     new Updates.Update<>(s.generatorOptimizer(), Updates.gradients(tf, gLoss, s.generatorOptimizer(), pass)),
 *     new Updates.Update<>(s.discriminatorOptimizer(), Updates.gradients(tf, dLoss, s.discriminatorOptimizer(), pass))),
 *     List.copyOf(metrics.values()), pass);
 * }</pre>
 */
public final class Updates {
  /** One optimizer and the gradients it applies, in the order of its weights. */
  public record Update<T extends TFloating>(Optimizer<T> optimizer, List<Operand<T>> gradients) {
    Op apply(Ops tf) {
      return optimizer.apply(tf, gradients);
    }
  }

  private Updates() {}

  /**
   * d loss / d (the optimizer's weights), in the optimizer's order: the gradients with respect to
   * the reads of the weights in the pass {@code ctx} that computed the loss.
   */
  public static <T extends TFloating> List<Operand<T>> gradients(Ops tf, Operand<T> loss, Optimizer<T> optimizer,
      CallContext ctx) {
    return Tape.gradients(tf, loss, optimizer.weights().stream().map(w -> ctx.read(tf, w, optimizer.dtype())).toList());
  }

  /**
   * A no-op named {@code train} that runs {@code updates} and {@code ctx}'s state updates after the
   * gradients, {@code before} (e.g. the metrics) and every read of the pass are computed: resource
   * variables are read when their read op runs, so the order is explicit. Two updates from one
   * pass (both networks, as the DCGAN tutorial's two GradientTapes) see the same old weights.
   */
  public static Op applyAfter(Ops tf, List<Update<?>> updates, List<? extends Operand<?>> before, CallContext ctx) {
    List<Operation> computed = new ArrayList<>();
    updates.forEach(u -> u.gradients().forEach(g -> computed.add(g.op())));
    before.forEach(o -> computed.add(o.op()));
    ctx.reads().forEach(r -> computed.add(r.op()));
    Ops after = tf.withControlDependencyOps(computed);
    List<Op> ops = new ArrayList<>();
    updates.forEach(u -> ops.add(u.apply(after)));
    ops.addAll(ctx.stateUpdateOps(after));
    return tf.withControlDependencies(ops).withName("train").noOp();
  }

  /**
   * One optimizer minimizing one loss (Keras's {@code optimizer.minimize}): d loss / d weights,
   * then the update, after {@code before} and the loss are computed.
   */
  public static <T extends TFloating> Op minimize(Ops tf, Operand<T> loss, Optimizer<T> optimizer,
      List<? extends Operand<?>> before, CallContext ctx) {
    return applyAfter(tf, List.of(new Update<>(optimizer, gradients(tf, loss, optimizer, ctx))), before, ctx);
  }

  /** Registers a pass's dropout keep-masks as overridable random tensors {@code prefix0, prefix1, ...}. */
  public static void putMasks(Map<String, Operand<?>> randomTensors, String prefix, CallContext ctx) {
    List<Operand<? extends TFloating>> masks = ctx.dropoutKeepMasks();
    for (int i = 0; i < masks.size(); i++) {
      randomTensors.put(prefix + i, masks.get(i));
    }
  }
}
