package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IndexNameTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode doc(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void defaultIsTheTypeAsTheOriginalSample() throws Exception {
    assertThat(
            IndexNameTemplate.parse(IndexNameTemplate.DEFAULT)
                .indexOf(doc("{\"type\":\"yellow\"}")))
        .isEqualTo("yellow");
  }

  @Test
  void aPrefixAndSeveralFieldsAreLowerCased() throws Exception {
    IndexNameTemplate template = IndexNameTemplate.parse("trips-{type}-{vendor_id}");
    assertThat(template.indexOf(doc("{\"type\":\"Green\",\"vendor_id\":2}")))
        .isEqualTo("trips-green-2");
    assertThat(template.indexOf(doc("{\"type\":\"fhv\"}"))).isEqualTo("trips-fhv-none");
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
