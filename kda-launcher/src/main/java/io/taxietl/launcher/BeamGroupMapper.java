package io.taxietl.launcher;

import java.util.Map;

/**
 * Maps the property group {@value PropertyGroupMapping#BEAM_GROUP}: one key per pipeline option,
 * spelled UpperCamel ({@code InputKafkaTopic} sets {@code --inputKafkaTopic}), plus the Flink
 * runner options in {@link PropertyGroupMapping#RUNNER_OPTIONS}; never the options the launcher
 * sets.
 */
final class BeamGroupMapper {
  private final OptionCatalog catalog;

  BeamGroupMapper(OptionCatalog catalog) {
    this.catalog = catalog;
  }

  void map(Map<String, String> properties, MappedOptions options) {
    properties.forEach(
        (key, value) -> {
          String origin = PropertyGroupMapping.BEAM_GROUP + "." + key;
          String option = OptionCatalog.option(key);
          if (PropertyGroupMapping.LAUNCHER_OPTIONS.contains(option)) {
            options.problem(origin + " cannot be set: the launcher sets --" + option + " itself");
          } else if (!catalog.beamGroupOptions().contains(option)
              || !key.equals(OptionCatalog.key(option))) {
            options.problem(origin + " is not a known key" + catalog.suggestion(key));
          } else {
            options.put(option, value, origin);
          }
        });
  }
}
