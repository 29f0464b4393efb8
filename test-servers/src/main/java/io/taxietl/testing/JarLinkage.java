package io.taxietl.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Checks that a library inside a shaded JAR can run there: every class of it loads from the JAR,
 * and every method, constructor and field it calls exists in the classes the JAR holds. A library
 * built against a newer version of a dependency than the JAR bundles compiles and loads, and fails
 * only when the missing method is called ({@code NoSuchMethodError}); this finds that without
 * calling anything.
 */
public final class JarLinkage {
  private static final int UTF8 = 1;
  private static final int CLASS = 7;
  private static final int FIELD_REF = 9;
  private static final int METHOD_REF = 10;
  private static final int INTERFACE_METHOD_REF = 11;
  private static final int NAME_AND_TYPE = 12;

  private JarLinkage() {}

  /** What the check found: how many classes and references it checked, and what is missing. */
  public record Report(int classes, int references, List<String> missing) {}

  /**
   * Loads every class of {@code jar} whose name starts with {@code packagePrefix} (e.g. {@code
   * software/amazon/msk/}) with a class loader over the JAR alone (and the JDK), and resolves each
   * field and method reference of those classes against it.
   */
  public static Report check(Path jar, String packagePrefix) throws IOException {
    List<String> missing = new ArrayList<>();
    int classes = 0;
    int references = 0;
    try (JarFile file = new JarFile(jar.toFile());
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (ZipEntry entry : file.stream().toList()) {
        String name = entry.getName();
        if (!name.startsWith(packagePrefix) || !name.endsWith(".class")) {
          continue;
        }
        classes++;
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        try {
          Class.forName(className, false, loader).getDeclaredMethods();
        } catch (LinkageError | ClassNotFoundException e) {
          missing.add(className + " does not load: " + e);
          continue;
        }
        try (InputStream in = file.getInputStream(entry)) {
          for (String[] ref : references(in)) {
            references++;
            String problem = resolve(loader, ref);
            if (problem != null) {
              missing.add(className + " -> " + problem);
            }
          }
        }
      }
    }
    return new Report(classes, references, missing);
  }

  /**
   * {@link #check}, failing with every missing class or member unless at least {@code minClasses}
   * classes of the package were found and nothing they need is missing.
   */
  public static Report requireLinked(Path jar, String packagePrefix, int minClasses)
      throws IOException {
    Report report = check(jar, packagePrefix);
    if (report.classes() < minClasses || !report.missing().isEmpty()) {
      throw new AssertionError(
          jar
              + ": "
              + report.classes()
              + " classes below "
              + packagePrefix
              + " (at least "
              + minClasses
              + " expected), "
              + report.references()
              + " references checked, missing:\n  "
              + String.join("\n  ", report.missing()));
    }
    return report;
  }

  /** The field and method references of a class file: kind, owner, name, descriptor. */
  private static List<String[]> references(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    int[] tags = new int[count];
    String[] utf8 = new String[count];
    int[] first = new int[count];
    int[] second = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      tags[i] = tag;
      switch (tag) {
        case UTF8 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case CLASS, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
        case FIELD_REF, METHOD_REF, INTERFACE_METHOD_REF, NAME_AND_TYPE, 17, 18 -> {
          first[i] = in.readUnsignedShort();
          second[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    List<String[]> refs = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      if (tags[i] == FIELD_REF || tags[i] == METHOD_REF || tags[i] == INTERFACE_METHOD_REF) {
        String owner = utf8[first[first[i]]];
        int nameAndType = second[i];
        refs.add(
            new String[] {
              tags[i] == FIELD_REF ? "field" : "method",
              owner,
              utf8[first[nameAndType]],
              utf8[second[nameAndType]]
            });
      }
    }
    return refs;
  }

  /** Null when the reference resolves, else what is missing. */
  private static String resolve(ClassLoader loader, String[] ref) {
    String owner = ref[1];
    if (owner.startsWith("[")) {
      return null;
    }
    Class<?> type;
    try {
      type = Class.forName(owner.replace('/', '.'), false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return "class " + owner + " is missing (" + e.getClass().getSimpleName() + ")";
    }
    boolean found =
        ref[0].equals("field") ? hasField(type, ref[2]) : hasMethod(type, ref[2], ref[3]);
    return found ? null : owner + "." + ref[2] + ref[3] + " is missing";
  }

  private static boolean hasField(Class<?> type, String name) {
    for (Class<?> c : hierarchy(type)) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getName().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasMethod(Class<?> type, String name, String descriptor) {
    if (name.equals("<init>")) {
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (descriptor(constructor.getParameterTypes(), void.class).equals(descriptor)) {
          return true;
        }
      }
      return false;
    }
    for (Class<?> c : hierarchy(type)) {
      for (Method method : c.getDeclaredMethods()) {
        if (method.getName().equals(name)
            && descriptor(method.getParameterTypes(), method.getReturnType()).equals(descriptor)) {
          return true;
        }
      }
    }
    // Signature-polymorphic methods (MethodHandle.invoke...) match any descriptor.
    return type.getName().startsWith("java.lang.invoke.");
  }

  /** The class, its superclasses and every interface they implement. */
  private static Set<Class<?>> hierarchy(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    Deque<Class<?>> queue = new ArrayDeque<>(List.of(type));
    while (!queue.isEmpty()) {
      Class<?> c = queue.pop();
      if (c != null && all.add(c)) {
        queue.add(c.getSuperclass() == null ? Object.class : c.getSuperclass());
        queue.addAll(List.of(c.getInterfaces()));
      }
    }
    return all;
  }

  private static String descriptor(Class<?>[] parameters, Class<?> result) {
    StringBuilder out = new StringBuilder("(");
    for (Class<?> parameter : parameters) {
      out.append(parameter.descriptorString());
    }
    return out.append(')').append(result.descriptorString()).toString();
  }
}
