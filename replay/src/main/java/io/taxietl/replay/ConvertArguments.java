package io.taxietl.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code replay convert} converts, as {@link ConvertCommand} checked it: the output file and
 * the inputs, each with its own row selection.
 *
 * @param output the file to write; gzip-compressed when its name ends in {@code .gz}
 * @param inputs the inputs in command line order, which breaks ties between equal pickup times
 */
record ConvertArguments(Path output, List<InputFile> inputs) {

  ConvertArguments {
    Objects.requireNonNull(output, "output");
    inputs = List.copyOf(inputs);
  }
}
