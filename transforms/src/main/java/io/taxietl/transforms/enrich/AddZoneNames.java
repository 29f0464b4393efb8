package io.taxietl.transforms.enrich;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TripEventCoder;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Adds the borough and zone names of each trip's pickup and dropoff location.
 *
 * <pre>{@code
 * PCollection<TripEvent> enriched =
 *     trips.apply("AddZoneNames", AddZoneNames.from(ZoneLookup.bundled()));
 * }</pre>
 *
 * <p>Input: valid {@link TripEvent}s. Output: the same trips, each a copy with {@code
 * pickup_borough}, {@code pickup_zone}, {@code dropoff_borough} and {@code dropoff_zone} set from
 * the {@link ZoneLookup}; timestamps and windows unchanged. The lookup is a small in-memory table
 * that travels with the step (serialized into it when the job is built), so each worker holds its
 * own copy and no element waits on a lookup service. A location id the table does not know keeps
 * its trip, with that location's names null.
 *
 * <p>Metric: {@code zone_lookup_misses}, one per pickup or dropoff location id that the table does
 * not know. Delivery: one output per input, nothing buffered.
 */
public final class AddZoneNames extends PTransform<PCollection<TripEvent>, PCollection<TripEvent>> {
  private static final int FIELDS = TripEvent.getClassSchema().getFields().size();
  private static final int PICKUP_BOROUGH = position("pickup_borough");
  private static final int PICKUP_ZONE = position("pickup_zone");
  private static final int DROPOFF_BOROUGH = position("dropoff_borough");
  private static final int DROPOFF_ZONE = position("dropoff_zone");

  private final ZoneLookup zones;

  private AddZoneNames(ZoneLookup zones) {
    this.zones = zones;
  }

  public static AddZoneNames from(ZoneLookup zones) {
    return new AddZoneNames(Objects.requireNonNull(zones, "zones"));
  }

  @Override
  public PCollection<TripEvent> expand(PCollection<TripEvent> trips) {
    return trips.apply("LookUpZones", ParDo.of(new LookUpFn(zones))).setCoder(TripEventCoder.of());
  }

  /** Copies each trip with the names of its two locations. */
  static final class LookUpFn extends DoFn<TripEvent, TripEvent> {
    private final ZoneLookup zones;
    private transient EtlMetrics.EtlCounter misses;

    LookUpFn(ZoneLookup zones) {
      this.zones = zones;
    }

    @Setup
    public void setup() {
      misses = EtlMetrics.counter(EtlMetrics.ZONE_LOOKUP_MISSES);
    }

    @ProcessElement
    public void processElement(@Element TripEvent trip, OutputReceiver<TripEvent> out) {
      out.output(withZoneNames(trip, zones, misses));
    }
  }

  /**
   * A copy of {@code trip} (the input must not change: runners may share it between steps) with the
   * names of its locations; {@code misses} counts the ids {@code zones} does not know. Public for
   * the benchmarks' yardsticks, which must build the very documents the pipeline does.
   */
  public static TripEvent withZoneNames(
      TripEvent trip, ZoneLookup zones, EtlMetrics.EtlCounter misses) {
    TripEvent copy = new TripEvent();
    for (int i = 0; i < FIELDS; i++) {
      copy.put(i, trip.get(i));
    }
    int pickup = trip.getPickupLocationId();
    int dropoff = trip.getDropoffLocationId();
    if (!zones.knows(pickup)) {
      misses.inc();
    }
    if (!zones.knows(dropoff)) {
      misses.inc();
    }
    copy.put(PICKUP_BOROUGH, zones.borough(pickup));
    copy.put(PICKUP_ZONE, zones.zone(pickup));
    copy.put(DROPOFF_BOROUGH, zones.borough(dropoff));
    copy.put(DROPOFF_ZONE, zones.zone(dropoff));
    return copy;
  }

  private static int position(String field) {
    return TripEvent.getClassSchema().getField(field).pos();
  }
}
