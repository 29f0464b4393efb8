/**
 * From raw payload to trip: {@link io.taxietl.transforms.parse.ParseTripEvents}, the composite step
 * that splits events into trips and dead letters, and the parser behind it with its outcomes and
 * rejection reasons (the contract's {@code parse} and {@code validate} stages).
 */
package io.taxietl.transforms.parse;
