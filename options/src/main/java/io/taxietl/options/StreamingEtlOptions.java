package io.taxietl.options;

/** Every option of the streaming ETL pipeline, one interface per concern. */
public interface StreamingEtlOptions
    extends SourceOptions,
        FileSourceOptions,
        KafkaSourceOptions,
        KinesisSourceOptions,
        KafkaSinkOptions,
        EventTimeOptions,
        EnrichmentOptions,
        ParquetOutputOptions,
        S3StoreOptions,
        DeadLetterOptions,
        ElasticsearchOptions,
        LocalRunObservabilityOptions {}
