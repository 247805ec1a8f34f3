package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code String} getter of a {@link SessionScoped} interface that names the session's user.
 * Writing it (through its setter) adds the session to that user's index, which gives the store
 * {@code sessionsOf(user)}, {@code invalidateAll(user)} (log out everywhere) and {@code maxPerUser}.
 * A store with a user index needs {@code absolute}, so the index can expire with its last session.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SessionUser {}
