/** What the sources and sinks in the sub-packages share: the syntax of a starting position. */
package io.taxietl.transforms.io;
