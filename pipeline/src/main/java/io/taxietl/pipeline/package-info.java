/**
 * The job's assembly: {@link io.taxietl.pipeline.StreamingEtlPipeline} builds source, parse and
 * sinks from the options (the one entry point of every launcher), {@link
 * io.taxietl.pipeline.StreamingEtlMain} runs it from the command line, and the small translators
 * from options to transforms and runner settings. Runner-neutral: nothing here imports a runner
 * class.
 */
package io.taxietl.pipeline;
