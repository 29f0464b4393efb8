/**
 * The pipeline's options: one interface per concern (the source, each sink, event time, the S3
 * store, local-run observability), combined into {@link io.taxietl.options.StreamingEtlOptions}.
 * Every getter has a {@code @Description}; rules that combine options live in the pipeline's
 * validator.
 */
package io.taxietl.options;
