/**
 * Enrichment of valid trips: {@link io.taxietl.transforms.enrich.AddZoneNames} adds the borough and
 * zone names of each trip's pickup and dropoff location from the TLC zone lookup ({@link
 * io.taxietl.transforms.enrich.ZoneLookup}), a small table every worker holds in memory.
 */
package io.taxietl.transforms.enrich;
