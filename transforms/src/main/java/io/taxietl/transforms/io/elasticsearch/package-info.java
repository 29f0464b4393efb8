/**
 * Elasticsearch and OpenSearch: {@link
 * io.taxietl.transforms.io.elasticsearch.IndexToElasticsearch}, which indexes one document per trip
 * with its own bounded retries, the index-name template, the retry schedule and the reading of
 * ElasticsearchIO's failure reports.
 */
package io.taxietl.transforms.io.elasticsearch;
