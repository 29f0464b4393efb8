package io.taxietl.pipeline.local;

import io.taxietl.pipeline.FlinkRunnerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The defaults of a run from the command line: embedded Flink, parallelism 2, checkpointing on,
 * with checkpoints written to a local folder. An argument the user gives always wins; Flink
 * settings are added only when the runner is Flink.
 */
public final class LocalRunDefaults {
  static final String FLINK_RUNNER = FlinkRunnerSettings.RUNNER;
  static final String EMBEDDED_FLINK_MASTER = "[local]";
  public static final String FLINK_CONF_DIR = "flinkConfDir";
  static final String FLINK_WEB_UI_PORT = "flinkWebUiPort";
  static final String METRICS_PROMETHEUS_PORT = "metricsPrometheusPort";

  /**
   * Below which a local run's checkpoints go unless {@code --stateBackendStoragePath} says
   * otherwise: Flink's own default keeps them in the JobManager's memory, which refuses any state
   * over 5 MB, and a window of a busy stream buffered for its Parquet files is larger, so
   * checkpoints would fail and the job with them. Each run gets a folder of its own below it
   * ({@link #runCheckpointFolder}), in which Flink writes a folder named after the job id.
   */
  static final Path LOCAL_CHECKPOINTS =
      Path.of(System.getProperty("java.io.tmpdir"), "taxi-etl-checkpoints");

  private static final String RUN_FOLDER_PREFIX = "run-";
  private static final Pattern RUN_FOLDER = Pattern.compile("run-\\d{8}-\\d{6}-(\\d{1,18})");
  private static final Path RUN_CHECKPOINTS =
      LOCAL_CHECKPOINTS.resolve(
          RUN_FOLDER_PREFIX
              + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                  .format(LocalDateTime.now(ZoneOffset.UTC))
              + "-"
              + ProcessHandle.current().pid());

  private static final Map<String, String> FLINK_DEFAULTS = new LinkedHashMap<>();

  static {
    FLINK_DEFAULTS.put("flinkMaster", EMBEDDED_FLINK_MASTER);
    FLINK_DEFAULTS.put("parallelism", "2");
    FLINK_DEFAULTS.put("streaming", "true");
    FLINK_DEFAULTS.put("checkpointingInterval", "5000");
    FLINK_DEFAULTS.put("stateBackend", "filesystem");
    FLINK_DEFAULTS.put("stateBackendStoragePath", RUN_CHECKPOINTS.toUri().toString());
    FLINK_DEFAULTS.putAll(FlinkRunnerSettings.required());
    // Recover from a failure three times (from the last checkpoint), then fail instead of looping.
    FLINK_DEFAULTS.put("numberOfExecutionRetries", "3");
    FLINK_DEFAULTS.put("executionRetryDelay", "2000");
  }

  private LocalRunDefaults() {}

  /**
   * The runner options that a run with no argument gets, in the order they are added: the runner
   * and the Flink settings.
   */
  public static Map<String, String> runnerDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("runner", FLINK_RUNNER);
    defaults.putAll(FLINK_DEFAULTS);
    return defaults;
  }

  /**
   * This JVM's checkpoint folder, the default {@code --stateBackendStoragePath}: {@code
   * taxi-etl-checkpoints/run-<UTC start time>-<process id>} in the temp folder, so that runs side
   * by side never share one and a run can remove its own at its end without touching another's.
   */
  public static Path runCheckpointFolder() {
    return RUN_CHECKPOINTS;
  }

  /**
   * The run's own checkpoint folder if {@code stateBackendStoragePath} names one of the form {@link
   * #runCheckpointFolder} makes, or empty: a folder the user chose is theirs, and never cleaned up.
   */
  public static Optional<Path> ownCheckpointFolder(String stateBackendStoragePath) {
    if (stateBackendStoragePath == null) {
      return Optional.empty();
    }
    Path folder;
    try {
      URI uri = URI.create(stateBackendStoragePath);
      if (!"file".equals(uri.getScheme())) {
        return Optional.empty();
      }
      folder = Path.of(uri).normalize();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return LOCAL_CHECKPOINTS.equals(folder.getParent())
            && folder.getFileName().toString().startsWith(RUN_FOLDER_PREFIX)
        ? Optional.of(folder)
        : Optional.empty();
  }

  /**
   * Deletes the checkpoint folders that local runs stopped by a signal left below {@link
   * #LOCAL_CHECKPOINTS}: each {@code run-<time>-<pid>} folder whose process is no longer alive (a
   * running job's folder is never touched; Flink goes on writing checkpoints while a stopped JVM
   * exits, so the stopped run cannot remove its own). Folders of other names are left alone.
   *
   * @return the folders deleted
   */
  public static List<Path> removeFoldersOfEndedRuns() {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(LOCAL_CHECKPOINTS)) {
      return removed;
    }
    try (Stream<Path> folders = Files.list(LOCAL_CHECKPOINTS)) {
      folders
          .filter(folder -> !folder.equals(RUN_CHECKPOINTS))
          .filter(
              folder ->
                  runProcess(folder.getFileName().toString())
                      .map(pid -> !isAlive(pid))
                      .orElse(false))
          .forEach(
              folder -> {
                if (deleteTree(folder)) {
                  removed.add(folder);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Listing failed: nothing removed, the run goes on.
    }
    return removed;
  }

  /** The process id in a run folder's name {@code run-<yyyyMMdd>-<HHmmss>-<pid>}, if it is one. */
  static Optional<Long> runProcess(String folderName) {
    Matcher matcher = RUN_FOLDER.matcher(folderName);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(matcher.group(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Deletes {@code folder} with everything in it, if it is below this run's own checkpoint folder
   * ({@link #runCheckpointFolder}); anything else is left alone.
   */
  public static void removeTree(Path folder) {
    if (folder.normalize().startsWith(RUN_CHECKPOINTS) && Files.isDirectory(folder)) {
      deleteTree(folder);
    }
  }

  /** Deletes {@code folder} with everything in it (links are deleted, not followed). */
  private static boolean deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.deleteIfExists(path);
      }
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  public static String[] apply(String[] args) {
    Map<String, String> given = settings(args);
    List<String> effective = new ArrayList<>();
    String runner = given.get("runner");
    if (runner == null) {
      runner = FLINK_RUNNER;
      effective.add("--runner=" + FLINK_RUNNER);
    }
    if (isFlink(runner)) {
      FLINK_DEFAULTS.forEach(
          (name, value) -> {
            if (!given.containsKey(name)) {
              effective.add("--" + name + "=" + value);
            }
          });
      int webUiPort = LocalRunObservability.port(given.get(FLINK_WEB_UI_PORT));
      int prometheusPort = LocalRunObservability.port(given.get(METRICS_PROMETHEUS_PORT));
      // With the user's own --flinkConfDir the validator refuses the ports instead (see
      // OptionsValidator).
      // Always a REST endpoint on loopback, at a known port: a signal drains the job through it
      // (SignalDrain).
      if (EMBEDDED_FLINK_MASTER.equals(given.getOrDefault("flinkMaster", EMBEDDED_FLINK_MASTER))
          && !given.containsKey(FLINK_CONF_DIR)) {
        int restPort = webUiPort > 0 ? webUiPort : LocalRunObservability.freeLoopbackPort();
        Path confDir =
            LocalRunObservability.writeFlinkConfDir(
                LocalRunObservability.flinkConfiguration(restPort, prometheusPort));
        effective.add("--" + FLINK_CONF_DIR + "=" + confDir);
      }
    }
    effective.addAll(List.of(args));
    return effective.toArray(String[]::new);
  }

  /**
   * The {@code --name=value} arguments as a map (the last one of a name wins; a bare flag is
   * "true").
   */
  public static Map<String, String> settings(String[] args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        settings.put(
            eq < 0 ? arg.substring(2) : arg.substring(2, eq),
            eq < 0 ? "true" : arg.substring(eq + 1));
      }
    }
    return settings;
  }

  /**
   * Whether {@code args} (with the defaults applied) run on an embedded Flink cluster in this JVM.
   */
  public static boolean runsEmbeddedFlink(String[] effectiveArgs) {
    Map<String, String> settings = settings(effectiveArgs);
    String runner = settings.get("runner");
    return runner != null
        && isFlink(runner)
        && EMBEDDED_FLINK_MASTER.equals(settings.get("flinkMaster"));
  }

  static boolean isFlink(String runner) {
    return runner.equals(FLINK_RUNNER)
        || runner.endsWith("." + FLINK_RUNNER)
        || runner.equals("FlinkRunner")
        || runner.endsWith(".FlinkRunner")
        || runner.equals("TestFlinkRunner");
  }
}
