package io.redwire.runtime.events;

import java.time.Instant;

/**
 * One event in a group's dead letters.
 *
 * @param id the dead letter's id (pass it to {@code replay} or {@code purge})
 * @param eventId the event's id
 * @param publishedAt when it was published
 * @param event the decoded event, or null when it could not be decoded (then {@code error} says why)
 * @param error the last error, or why it could not be decoded
 * @param deliveries how many times it was delivered
 * @param failedAt when it was moved to the dead letters
 */
public record DeadLetter<T>(String id, String eventId, Instant publishedAt, T event, String error,
    int deliveries, Instant failedAt) {}
