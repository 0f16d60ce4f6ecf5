package io.jgan.train.loop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM handlers for the process that trains, through {@code sun.misc.Signal} (module
 * jdk.unsupported, in every JDK since 6): the JDK's only way to handle a signal without ending the
 * JVM, which a shutdown hook cannot do. Reached by reflection, so that nothing compiled against the
 * library (its Javadoc included) sees an internal API. the public {@code GracefulStop} says
 * what the handlers do.
 */
public final class SignalHandlers {
  private SignalHandlers() {}

  /** Calls {@code handler} with the signal's name ({@code INT} or {@code TERM}) each time one arrives. */
  public static void onInterruptOrTerminate(Consumer<String> handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object proxy = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
          (self, method, args) -> {
            if (method.getName().equals("handle")) {
              handler.accept((String) signalClass.getMethod("getName").invoke(args[0]));
            }
            return null;
          });
      for (String name : new String[] {"INT", "TERM"}) {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
      }
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot install the SIGINT/SIGTERM handlers: this JVM lacks sun.misc.Signal ("
          + e + "); expected a JDK with the jdk.unsupported module", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot install the SIGINT/SIGTERM handlers: " + e.getCause(), e.getCause());
    }
  }
}
