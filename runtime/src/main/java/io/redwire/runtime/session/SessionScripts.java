package io.redwire.runtime.session;

import io.redwire.runtime.script.Script;

/** The Lua scripts of session stores; data only ever travels in KEYS and ARGV. */
final class SessionScripts {

  private SessionScripts() {}

  /** Reply of {@link #ACCESS} when the session does not exist (never created, expired, invalidated). */
  static final long MISSING = -1;
  /** Reply of {@link #ACCESS} when the absolute deadline has passed (the session was deleted now). */
  static final long TOO_OLD = -2;

  /**
   * Every access to an existing session, in one round trip. KEYS[1] the session; ARGV[1] the operation,
   * ARGV[2] the idle TTL (ms), ARGV[3] the slack (ms), ARGV[4] the store's absolute timeout (ms, 0: none),
   * then the operation's arguments. A session whose deadline is later than its creation plus that
   * timeout (or that has none) was created by a build with another one: its deadline is lowered to
   * creation plus today's timeout, so adding or shortening {@code absolute} reaches existing sessions.
   *
   * <p>First, conditional on the session existing (its {@code @a} field, the absolute deadline, 0 for
   * none): a missing session answers {@link #MISSING} and nothing is written, so no access resurrects
   * a session. The deadline is checked against the server's clock ({@code TIME}); past it the session
   * is deleted and the answer is {@link #TOO_OLD}. Then the idle TTL is slid, capped at the deadline,
   * but only when less than {@code ttl - slack} is left (or more than {@code ttl}, after an override
   * lowered it): most accesses write no {@code PEXPIRE}, which saves replicated writes.
   *
   * <p>{@code get} (ARGV[5..] fields) answers the deadline, the creation time, then the fields' values,
   * read with the existence check in one {@code HMGET}. {@code add} (ARGV[5] field, ARGV[6] delta, optionally ARGV[7..8] the range the result must stay
   * in) answers {new value, 1 when the field held bytes that are no decimal integer (an older shape;
   * counted as absent, as reads do)}, or {current value, stale, 1} without writing when the result
   * would leave the range. An integral {@code cas} also counts such bytes as absent (0). A {@code cas}
   * that does not match answers {the field's current bytes} (empty when absent), so the caller can
   * tell an equal value in another encoding (a set in another order) from another value.
   */
  static final Script ACCESS = new Script("redwire-session-access", """
      local key = KEYS[1]
      local op = ARGV[1]
      local meta
      if op == 'get' then
        meta = redis.call('HMGET', key, '@a', '@c', unpack(ARGV, 5))
      elseif op == 'add' then
        meta = redis.call('HMGET', key, '@a', '@c', ARGV[5])
      else
        meta = redis.call('HMGET', key, '@a', '@c')
      end
      if not meta[1] then return -1 end
      local deadline = tonumber(meta[1])
      local absolute = tonumber(ARGV[4])
      if absolute > 0 and meta[2] then
        local capped = tonumber(meta[2]) + absolute
        if deadline == 0 or capped < deadline then
          deadline = capped -- created by a build with no or a longer absolute timeout: today's applies
          redis.call('HSET', key, '@a', deadline)
        end
      end
      local ttl = tonumber(ARGV[2])
      if deadline > 0 then
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if now >= deadline then
          redis.call('DEL', key)
          return -2
        end
        if deadline - now < ttl then ttl = deadline - now end
      end
      if op == 'invalidate' then
        local user = redis.call('HGET', key, '@u')
        redis.call('DEL', key)
        return {user or ''}
      end
      local left = redis.call('PTTL', key)
      if left < ttl - tonumber(ARGV[3]) or left > ttl then
        redis.call('PEXPIRE', key, ttl)
      end
      if op == 'get' then
        return meta
      elseif op == 'set' then
        redis.call('HSET', key, ARGV[5], ARGV[6])
      elseif op == 'del' then
        redis.call('HDEL', key, ARGV[5])
      elseif op == 'add' then
        local current = meta[3]
        local stale = 0
        if current and not string.match(current, '^%-?%d+$') then
          stale = 1 -- bytes of an older shape (no increment then): absent, as a read sees them
          current = nil
        end
        if ARGV[7] then
          local n = tonumber(current or '0') + tonumber(ARGV[6])
          if n < tonumber(ARGV[7]) or n > tonumber(ARGV[8]) then
            return {tonumber(current or '0'), stale, 1}
          end
        end
        if stale == 1 then redis.call('HDEL', key, ARGV[5]) end
        return {redis.call('HINCRBY', key, ARGV[5], ARGV[6]), stale}
      elseif op == 'cas' then
        local current = redis.call('HGET', key, ARGV[5])
        if ARGV[6] == 'i' and (not current or not string.match(current, '^%-?%d+$')) then current = '0' end
        local matches
        if ARGV[7] == '1' then matches = current == ARGV[8] else matches = not current end
        if not matches then return {current} end
        if ARGV[9] == '1' then
          redis.call('HSET', key, ARGV[5], ARGV[10])
        else
          redis.call('HDEL', key, ARGV[5])
        end
      elseif op == 'user' then
        local old = redis.call('HGET', key, '@u')
        if ARGV[6] == '1' then
          redis.call('HSET', key, ARGV[5], ARGV[7], '@u', ARGV[8])
        else
          redis.call('HDEL', key, ARGV[5], '@u')
        end
        return {old or ''}
      elseif op == 'rotate' then
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        redis.call('RENAME', key, KEYS[2])
        return {redis.call('HGET', KEYS[2], '@u') or ''}
      end
      return 1
      """);

  /**
   * Creates a session: KEYS[1] the new session; ARGV[1] the idle TTL, ARGV[2] the absolute timeout (0:
   * none). Answers 0 when the key exists (an id drawn twice: the caller draws another), else 1.
   */
  static final Script CREATE = new Script("redwire-session-create", """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local ttl, absolute = tonumber(ARGV[1]), tonumber(ARGV[2])
      local deadline = 0
      if absolute > 0 then
        deadline = now + absolute
        if absolute < ttl then ttl = absolute end
      end
      redis.call('HSET', KEYS[1], '@a', deadline, '@c', now)
      redis.call('PEXPIRE', KEYS[1], ttl)
      return 1
      """);

  /**
   * Adds a session to its user's index (a sorted set scored by the server time of the login, made
   * strictly increasing per user so logins in one millisecond keep their order):
   * KEYS[1] the index; ARGV[1] the id, ARGV[2] the absolute timeout, ARGV[3] the bound. Entries
   * logged in longer ago than the absolute timeout are dropped (their sessions have ended); the index
   * expires one absolute timeout after its newest login, when its last session has surely ended.
   * Answers every id, oldest first, when more than the bound remain, else an empty list.
   */
  static final Script INDEX_ADD = new Script("redwire-session-index-add", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local absolute = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - absolute))
      local score = now
      local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
      if newest[2] and tonumber(newest[2]) >= now then score = tonumber(newest[2]) + 1 end
      redis.call('ZADD', KEYS[1], score, ARGV[1])
      redis.call('PEXPIRE', KEYS[1], absolute)
      if redis.call('ZCARD', KEYS[1]) > tonumber(ARGV[3]) then
        return redis.call('ZRANGE', KEYS[1], 0, -1)
      end
      return {}
      """);

  /** Moves an index entry to a rotated id, keeping its login time: KEYS[1] the index; ARGV old, new. */
  static final Script INDEX_MOVE = new Script("redwire-session-index-move", """
      local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if not s then return 0 end
      redis.call('ZREM', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[1], s, ARGV[2])
      return 1
      """);

  /** Reads and deletes a user index at once: KEYS[1] the index. Answers its ids. */
  static final Script INDEX_TAKE = new Script("redwire-session-index-take", """
      local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
      redis.call('DEL', KEYS[1])
      return ids
      """);
}
