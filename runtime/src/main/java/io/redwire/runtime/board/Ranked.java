package io.redwire.runtime.board;

/**
 * A member of a {@link Board} with its 1-based rank and its score, read together in one round trip.
 *
 * @param member the member
 * @param rank 1 for the best; with {@code SHARED} ties, equal scores share a rank ("1, 2, 2, 4")
 * @param score the member's points
 */
public record Ranked<M>(M member, long rank, long score) {}
