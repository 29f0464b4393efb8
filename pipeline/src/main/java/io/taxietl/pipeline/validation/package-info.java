/**
 * The checks of option values and their combinations that run before anything is read or written;
 * every problem is reported at once, each naming the option and the bad value.
 */
package io.taxietl.pipeline.validation;
