/**
 * Dead letters: building the one {@code FailedEvent} record every stage uses (original payload
 * kept), its JSON line form, and {@link io.taxietl.transforms.deadletter.WriteDeadLetters}, the
 * file sink that stages and publishes {@code .jsonl} files exactly once.
 */
package io.taxietl.transforms.deadletter;
