package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import org.junit.jupiter.api.Test;

class IndexNameTemplateTest {
  @Test
  void defaultIsTheTypeAsTheOriginalSample() {
    assertThat(
            IndexNameTemplate.parse(IndexNameTemplate.DEFAULT)
                .indexOf(TestTrips.trip(1, "2019-03-01T00:13:12", 239)))
        .isEqualTo("yellow");
  }

  @Test
  void aPrefixAndSeveralFieldsAreLowerCased() {
    IndexNameTemplate template = IndexNameTemplate.parse("trips-{type}-{vendor_id}");
    TripEvent green =
        TripEvent.newBuilder(TestTrips.onlyRequiredFields())
            .setType("Green")
            .setVendorId(2)
            .build();
    assertThat(template.indexOf(green)).isEqualTo("trips-green-2");
    TripEvent fhv = TripEvent.newBuilder(TestTrips.onlyRequiredFields()).setType("fhv").build();
    assertThat(template.indexOf(fhv)).isEqualTo("trips-fhv-none");
  }

  @Test
  void timestampsAndDoublesAreTheirTextInTheDocument() {
    IndexNameTemplate template = IndexNameTemplate.parse("{pickup_datetime}-{fare_amount}-{extra}");
    assertThat(template.indexOf(TestTrips.everyFieldSet()))
        .isEqualTo("2019-08-01t00:00:00.123z-1.7976931348623157e308-nan");
  }

  @Test
  void refusesUnknownFieldsAndCharactersElasticsearchRefuses() {
    assertThatThrownBy(() -> IndexNameTemplate.parse("{typ}"))
        .hasMessageContaining("unknown field 'typ'");
    assertThatThrownBy(() -> IndexNameTemplate.parse("Trips-{type}"))
        .hasMessageContaining("'T' is not allowed");
    assertThatThrownBy(() -> IndexNameTemplate.parse("a b"))
        .hasMessageContaining("' ' is not allowed");
    assertThatThrownBy(() -> IndexNameTemplate.parse("_{type}"))
        .hasMessageContaining("must not start");
    assertThatThrownBy(() -> IndexNameTemplate.parse(" ")).hasMessageContaining("empty");
  }
}
