package io.taxietl.transforms.parse;

/**
 * Finds bytes that are not well-formed UTF-8 (RFC 3629). Jackson neither rejects overlong forms and
 * encoded surrogates nor insists on UTF-8 (it would read UTF-16 and UTF-32 too), so payloads are
 * checked before they are parsed.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The offset of the first byte that cannot start a well-formed UTF-8 sequence there, or of a NUL
   * byte, which no UTF-8 JSON text contains unescaped; -1 when there is none.
   */
  static int firstInvalidByte(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xff;
      if (lead >= 0x01 && lead <= 0x7f) {
        i++;
        continue;
      }
      int continuations;
      int secondMin = 0x80;
      int secondMax = 0xbf;
      if (lead >= 0xc2 && lead <= 0xdf) {
        continuations = 1;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        continuations = 2;
        secondMin = lead == 0xe0 ? 0xa0 : 0x80; // no overlong forms
        secondMax = lead == 0xed ? 0x9f : 0xbf; // no surrogates
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuations = 3;
        secondMin = lead == 0xf0 ? 0x90 : 0x80; // no overlong forms
        secondMax = lead == 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
      } else {
        return i;
      }
      if (i + continuations >= bytes.length) {
        return i;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < secondMin || second > secondMax) {
        return i;
      }
      for (int k = 2; k <= continuations; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += continuations + 1;
    }
    return -1;
  }
}
