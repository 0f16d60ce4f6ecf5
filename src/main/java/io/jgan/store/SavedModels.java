package io.jgan.store;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.SavedVariable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.VariableDef;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Writes TensorFlow SavedModels that other TensorFlow programs load ({@code tf.saved_model.load}
 * in Python, {@code SavedModelBundle.load} in Java): a session's graph, its variables' current
 * values and named signatures.
 *
 * <p>The model is written into a temporary sibling directory and renamed into place; an existing
 * model is replaced only when asked, and by renames, so a kill at any moment leaves at the final
 * path either nothing, the old model or the new one, never part of one.
 */
public final class SavedModels {
  /** The graph and signatures of a SavedModel, beside {@code variables/}. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";
  private static final long SCHEMA_VERSION = 1;

  private SavedModels() {}

  /** Writes the files of a model into a directory (which does not exist yet). */
  @FunctionalInterface
  public interface Contents {
    void writeInto(Path dir) throws IOException;
  }

  /**
   * A variable of an exported model and the value it is exported with.
   *
   * @param saved the variable; saved under its handle's name
   * @param value its value, same type and shape
   * @param trainable whether it goes to the {@code trainable_variables} collection too
   */
  public record ExportedVariable(SavedVariable saved, Tensor value, boolean trainable) {}

  /**
   * Writes a SavedModel of {@code session}'s graph with {@code signatures} into {@code dir} (which
   * must not exist yet; callers use {@link #writeAtomically}), its variables set to the given values.
   *
   * <p>The model is what TensorFlow 1's {@code SavedModelBuilder} writes, which every loader takes
   * (Python's {@code tf.saved_model.load}, TFLite's converter, tf2onnx, {@code SavedModelBundle}):
   * <ul>
   *   <li>each variable has TensorFlow 1's companion ops, {@code <name>/initial_value} (a placeholder),
   *       {@code <name>/Assign} and {@code <name>/Read/ReadVariableOp}, and a {@code VariableDef} in
   *       the {@code variables} collection: Python's loader lifts exactly the variables listed there
   *       into the signatures' captured inputs, which converters then freeze into constants;
   *   <li>a saver under TensorFlow's conventional names ({@code save/filename},
   *       {@code save/control_dependency}, {@code save/restore_all}): TensorFlow Java's exporter saves
   *       only reference variables ({@code VariableV2}) by itself and uses a graph's own saver when
   *       the graph has one;
   *   <li>schema version 1 and the TensorFlow version, which TensorFlow Java's exporter leaves unset:
   *       TFLite's converter takes a version 0 model down a path that fails on resource variables
   *       ("Tensor generator/0_dense/kernel_load_0:0 ... was not found in the Graph").
   * </ul>
   */
  public static void export(Session session, Ops tf, List<ExportedVariable> variables, List<Signature> signatures,
      Path dir) {
    List<VariableDef> definitions = new ArrayList<>();
    Session.Runner initialize = session.runner();
    for (ExportedVariable v : variables) {
      ResourceVariable<? extends TType> variable = v.saved().variable();
      Ops named = scopeOf(tf, variable.name());
      Placeholder<?> initial = named.withName("initial_value").placeholder(variable.dtype(),
          Placeholder.shape(v.saved().shape()));
      Op assign = variable.assign(named.withName("Assign"), initial);
      Operand<?> snapshot = variable.read(named.withSubScope("Read").withName("ReadVariableOp"));
      initialize.feed(initial, v.value()).addTarget(assign);
      definitions.add(VariableDef.newBuilder().setVariableName(variable.name() + ":0")
          .setInitialValueName(initial.op().name() + ":0").setInitializerName(assign.op().name())
          .setSnapshotName(snapshot.op().name() + ":0").setIsResource(true).setTrainable(v.trainable()).build());
    }
    initialize.run();
    addSaver(tf, variables.stream().map(ExportedVariable::saved).toList());
    SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(dir.toString());
    signatures.forEach(s -> exporter.withFunction(SessionFunction.create(s, session)));
    try {
      exporter.export();
      complete(dir.resolve(SAVED_MODEL_FILE), definitions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a SavedModel to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Ops named under {@code path} ({@code a/b/c}: sub-scope a, then b, then c). */
  private static Ops scopeOf(Ops tf, String path) {
    Ops scope = tf;
    for (String part : path.split("/")) {
      scope = scope.withSubScope(part);
    }
    return scope;
  }

  /** Adds what TensorFlow Java's exporter leaves out: the schema version, TensorFlow's version, the variables. */
  private static void complete(Path file, List<VariableDef> variables) throws IOException {
    SavedModel model;
    try (InputStream in = Files.newInputStream(file)) {
      model = SavedModel.parseFrom(in);
    }
    CollectionDef.BytesList.Builder all = CollectionDef.BytesList.newBuilder();
    CollectionDef.BytesList.Builder trainable = CollectionDef.BytesList.newBuilder();
    for (VariableDef v : variables) {
      all.addValue(v.toByteString());
      if (v.getTrainable()) {
        trainable.addValue(v.toByteString());
      }
    }
    SavedModel.Builder completed = model.toBuilder().setSavedModelSchemaVersion(SCHEMA_VERSION);
    for (MetaGraphDef.Builder meta : completed.getMetaGraphsBuilderList()) {
      meta.getMetaInfoDefBuilder().setTensorflowVersion(TensorFlow.version());
      meta.putCollectionDef("variables", CollectionDef.newBuilder().setBytesList(all).build());
      meta.putCollectionDef("trainable_variables", CollectionDef.newBuilder().setBytesList(trainable).build());
    }
    Files.write(file, completed.build().toByteArray());
  }

  private static void addSaver(Ops ops, List<SavedVariable> variables) {
    Ops save = ops.withSubScope("save");
    Placeholder<TString> filename = save.withName("filename").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    String[] names = variables.stream().map(v -> v.variable().name()).toArray(String[]::new);
    String[] slices = new String[names.length];
    Arrays.fill(slices, "");
    Operand<TString> namesT = save.constant(StandardCharsets.UTF_8, names);
    Operand<TString> slicesT = save.constant(StandardCharsets.UTF_8, slices);
    List<Operand<?>> reads = new ArrayList<>();
    variables.forEach(v -> reads.add(v.variable().read(save)));
    Op saveOp = save.train.save(filename, namesT, slicesT, reads);
    save.withControlDependencies(List.of(saveOp)).withName("control_dependency").identity(filename);
    List<Class<? extends TType>> types = variables.stream().<Class<? extends TType>>map(SavedVariable::type).toList();
    Restore restore = save.train.restore(filename, namesT, slicesT, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      assigns.add(variables.get(i).variable().assign(save, restore.tensors().get(i)));
    }
    save.withControlDependencies(assigns).withName("restore_all").noOp();
  }

  /**
   * Writes {@code contents} to {@code out} all or nothing: into a temporary sibling directory,
   * renamed into place.
   *
   * @throws BadInputException when {@code out} exists and {@code overwrite} is false
   */
  public static void writeAtomically(Path out, boolean overwrite, Contents contents) {
    if (Files.exists(out) && !overwrite) {
      throw new BadInputException(out + ": already exists; give --overwrite to replace it");
    }
    Path parent = out.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, AtomicFiles.TEMP_PREFIX + out.getFileName() + "-");
      Path model = temp.resolve("model");
      contents.writeInto(model);
      replace(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export to " + out + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        AtomicFiles.deleteRecursively(temp);
      }
    }
  }

  /** Moves {@code model} to {@code out}, replacing an existing directory by renames only. */
  private static void replace(Path model, Path out) throws IOException {
    Path old = null;
    if (Files.exists(out)) {
      old = out.resolveSibling(AtomicFiles.TEMP_PREFIX + out.getFileName() + "-old-" + System.nanoTime());
      Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(model, out, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(out.toAbsolutePath().getParent());
    if (old != null) {
      AtomicFiles.deleteRecursively(old);
    }
  }
}
