package io.taxietl.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.model.jobmanagement.v1.JobApi.PipelineOptionDescriptor;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the code says about each option, for every place that shows options to a user (the command
 * line's {@code --help}, the generated {@code docs/options.md}, the launcher's property keys):
 * Beam's {@link PipelineOptionsFactory#describe} gives each option's name, {@code @Default} value
 * and {@code @Description}, grouped by the interface that declares it, in the order a combined
 * interface such as {@link StreamingEtlOptions} extends them; the getter adds the Java type (an
 * enum's values) and whether the value is a secret ({@code @JsonIgnore}).
 */
public final class OptionDescriptions {
  private OptionDescriptions() {}

  /** One options interface and the options it declares itself, sorted by name. */
  public static final class Group {
    private final Class<? extends PipelineOptions> declaredBy;
    private final List<Option> options;

    Group(Class<? extends PipelineOptions> declaredBy, List<Option> options) {
      this.declaredBy = declaredBy;
      this.options = Collections.unmodifiableList(options);
    }

    /** The interface's simple name, e.g. {@code KafkaSourceOptions}. */
    public String name() {
      return declaredBy.getSimpleName();
    }

    public Class<? extends PipelineOptions> declaredBy() {
      return declaredBy;
    }

    public List<Option> options() {
      return options;
    }
  }

  /** One option as a user sees it. */
  public static final class Option {
    private final String name;
    private final Class<?> type;
    private final @Nullable Type elementType;
    private final String defaultValue;
    private final String description;
    private final boolean secret;

    Option(Method getter, String name, String defaultValue, String description) {
      this.name = name;
      this.type = getter.getReturnType();
      Type generic = getter.getGenericReturnType();
      this.elementType =
          generic instanceof ParameterizedType && type == List.class
              ? ((ParameterizedType) generic).getActualTypeArguments()[0]
              : null;
      this.defaultValue = defaultValue;
      this.description = description;
      this.secret = getter.isAnnotationPresent(JsonIgnore.class);
    }

    /** The name on the command line, lowerCamel: {@code inputKafkaTopic}. */
    public String name() {
      return name;
    }

    /** The launcher's property key: {@code InputKafkaTopic}. */
    public String key() {
      return upperCamel(name);
    }

    /** The values an enum option accepts, in declaration order; empty for any other type. */
    public List<String> enumValues() {
      return OptionDescriptions.enumValues(type);
    }

    /**
     * The type as a user reads it: {@code int}, {@code String}, {@code list of String
     * (comma-separated or repeated)}; an enum's values are in {@link #enumValues()}.
     */
    public String typeName() {
      if (elementType instanceof Class) {
        return "list of "
            + ((Class<?>) elementType).getSimpleName()
            + " (comma-separated or repeated)";
      }
      return type.getSimpleName();
    }

    /** The {@code @Default} value as text, empty when there is none. */
    public String defaultValue() {
      return defaultValue;
    }

    /** The {@code @Description}, with a note when the value is a secret. */
    public String description() {
      return secret ? description + " Secret: never serialised with the options." : description;
    }

    public boolean secret() {
      return secret;
    }
  }

  /**
   * The options of every interface that {@code combined} extends directly, one group each, in the
   * order it extends them. Options that Beam's own interfaces declare are left out.
   */
  public static List<Group> groups(Class<? extends PipelineOptions> combined) {
    List<Group> groups = new ArrayList<>();
    for (Class<?> parent : combined.getInterfaces()) {
      groups.add(group(parent.asSubclass(PipelineOptions.class)));
    }
    return groups;
  }

  /** The options that {@code declaredBy} declares itself, sorted by name. */
  public static Group group(Class<? extends PipelineOptions> declaredBy) {
    List<Option> options = new ArrayList<>();
    for (PipelineOptionDescriptor described : PipelineOptionsFactory.describe(Set.of(declaredBy))) {
      if (!described.getGroup().equals(declaredBy.getName())) {
        continue; // declared by a parent interface (Beam's PipelineOptions)
      }
      String name = lowerCamel(described.getName());
      options.add(
          new Option(
              getter(declaredBy, name),
              name,
              described.getDefaultValue(),
              described.getDescription()));
    }
    return new Group(declaredBy, options);
  }

  /** The getter of option {@code name} in {@code options} or any interface it extends, or null. */
  public static @Nullable Method findGetter(Class<?> options, String name) {
    for (String prefix : new String[] {"get", "is"}) {
      try {
        return options.getMethod(prefix + upperCamel(name));
      } catch (NoSuchMethodException e) {
        // try the next prefix
      }
    }
    return null;
  }

  /** The values of {@code type} when it is an enum, in declaration order; else empty. */
  static List<String> enumValues(Class<?> type) {
    List<String> values = new ArrayList<>();
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
    }
    return values;
  }

  /** Beam describes options in lower_underscore; the command line spells them lowerCamel. */
  public static String lowerCamel(String lowerUnderscore) {
    StringBuilder name = new StringBuilder(lowerUnderscore.length());
    boolean upper = false;
    for (char c : lowerUnderscore.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        name.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return name.toString();
  }

  /**
   * The launcher's property key for an option: {@code inputKafkaTopic} -> {@code InputKafkaTopic}.
   */
  public static String upperCamel(String option) {
    return option.isEmpty()
        ? option
        : option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
  }

  /** The option of a property key: {@code InputKafkaTopic} -> {@code inputKafkaTopic}. */
  public static String optionOfKey(String key) {
    return key.isEmpty() ? key : key.substring(0, 1).toLowerCase(Locale.ROOT) + key.substring(1);
  }

  private static Method getter(Class<?> group, String name) {
    Method getter = findGetter(group, name);
    if (getter == null) {
      throw new IllegalStateException(
          group.getName() + " describes --" + name + " but has no getter for it");
    }
    return getter;
  }
}
