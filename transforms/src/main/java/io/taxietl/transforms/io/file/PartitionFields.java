package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields a {@link PartitionTemplate} may name: the trip's integer fields and {@code type}, and
 * the parts {@code year}, {@code month}, {@code day}, {@code hour} and {@code date} of the pickup
 * and dropoff times in the event time zone.
 */
final class PartitionFields {
  private static final Map<String, Field> FIELDS = fields();

  private PartitionFields() {}

  /** The field called {@code name}, or null when there is none. */
  static Field get(String name) {
    return FIELDS.get(name);
  }

  /** Every field's name, in the order the documentation lists them. */
  static Set<String> names() {
    return FIELDS.keySet();
  }

  /** The pickup and dropoff wall-clock times in the event time zone, computed once per trip. */
  static final class Times {
    private final TripEvent trip;
    private final ZoneId zone;
    private LocalDateTime pickup;
    private LocalDateTime dropoff;

    Times(TripEvent trip, ZoneId zone) {
      this.trip = trip;
      this.zone = zone;
    }

    LocalDateTime pickup() {
      if (pickup == null) {
        pickup = LocalDateTime.ofInstant(trip.getPickupDatetime(), zone);
      }
      return pickup;
    }

    LocalDateTime dropoff() {
      if (dropoff == null) {
        dropoff = LocalDateTime.ofInstant(trip.getDropoffDatetime(), zone);
      }
      return dropoff;
    }
  }

  static final class Source {
    private final TripEvent trip;
    private final Times times;

    Source(TripEvent trip, Times times) {
      this.trip = trip;
      this.times = times;
    }

    TripEvent trip() {
      return trip;
    }

    Times times() {
      return times;
    }
  }

  static final class Field {
    private final boolean integral;
    private final Function<Source, Object> extractor;

    Field(boolean integral, Function<Source, Object> extractor) {
      this.integral = integral;
      this.extractor = extractor;
    }

    boolean integral() {
      return integral;
    }

    Function<Source, Object> extractor() {
      return extractor;
    }
  }

  private static Map<String, Field> fields() {
    Map<String, Field> fields = new LinkedHashMap<>();
    fields.put("pickup_location_id", integral(s -> s.trip().getPickupLocationId()));
    fields.put("dropoff_location_id", integral(s -> s.trip().getDropoffLocationId()));
    fields.put("vendor_id", integral(s -> s.trip().getVendorId()));
    fields.put("payment_type", integral(s -> s.trip().getPaymentType()));
    fields.put("ratecode_id", integral(s -> s.trip().getRatecodeId()));
    fields.put("passenger_count", integral(s -> s.trip().getPassengerCount()));
    fields.put("type", new Field(false, s -> s.trip().getType()));
    addTimeParts(fields, "pickup", s -> s.times().pickup());
    addTimeParts(fields, "dropoff", s -> s.times().dropoff());
    return Collections.unmodifiableMap(fields);
  }

  private static void addTimeParts(
      Map<String, Field> fields, String prefix, Function<Source, LocalDateTime> time) {
    fields.put(prefix + "_year", integral(s -> time.apply(s).getYear()));
    fields.put(prefix + "_month", integral(s -> time.apply(s).getMonthValue()));
    fields.put(prefix + "_day", integral(s -> time.apply(s).getDayOfMonth()));
    fields.put(prefix + "_hour", integral(s -> time.apply(s).getHour()));
    fields.put(prefix + "_date", new Field(false, s -> time.apply(s).toLocalDate().toString()));
  }

  private static Field integral(Function<Source, Object> extractor) {
    return new Field(true, extractor);
  }
}
