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
   * ARGV[2] the idle TTL (ms), ARGV[3] the store's absolute timeout (ms, 0: none), then the operation's
   * arguments. A session whose deadline is later than its creation plus that timeout (or that has none)
   * was created by a build with another one: its deadline is lowered to creation plus today's timeout,
   * so adding or shortening {@code absolute} reaches existing sessions.
   *
   * <p>First, conditional on the session existing (its {@code @a} field, the absolute deadline, 0 for
   * none): a missing session answers {@link #MISSING} and nothing is written, so no access resurrects
   * a session. The deadline is checked against the server's clock ({@code TIME}); past it the session
   * is deleted and the answer is {@link #TOO_OLD}. Then the idle TTL is slid, capped at the deadline,
   * but only when less than {@code ttl - ttl/10} (the slack taken from the uncapped TTL) is left (or
   * more than {@code ttl}, after an override lowered it): most accesses write no {@code PEXPIRE}, which
   * saves replicated writes.
   *
   * <p>{@code get} (ARGV[4..] fields) answers the deadline, the creation time, then the fields' values,
   * read with the existence check in one {@code HMGET}. {@code add} (ARGV[4] field, ARGV[5] delta,
   * optionally ARGV[6..7] the range the result must stay in) answers {new value, 1 when the field held
   * bytes that are no integer {@code HINCRBY} accepts (an older shape; counted as absent, as reads do,
   * and replaced)}, or {current value, stale, 1} without writing when the result would leave the range
   * (with a range, stored digits outside it or that {@code HINCRBY} refuses, such as a leading zero, count
   * as absent too: an older, wider type reads absent, so its increment starts from 0 rather than failing).
   * Without a range the increment is tried first and the field read only when {@code HINCRBY} refuses
   * its bytes (one command on the common path); an overflow is answered as {@code HINCRBY}'s error,
   * having written nothing; a new value beyond 2^53 (where Lua's doubles round) is answered as the
   * field's digits instead of a number. {@code addv} is {@code add} followed by reading a view's
   * fields in the same script (ARGV[4] field, ARGV[5] delta, ARGV[6..7] the range or two empty
   * strings, ARGV[8..] the view's fields, read after the increment): it answers {new value, stale, 0,
   * the fields' values}, or {current value, stale, 1} without writing when the result would leave the
   * range. An integral {@code cas} also counts such bytes as absent (0). A {@code cas}
   * that does not match answers {the field's current bytes} (empty when absent), so the caller can tell
   * an equal value in another encoding (a set in another order) from another value.
   */
  static final Script ACCESS = new Script("redwire-session-access", """
      local key = KEYS[1]
      local op = ARGV[1]
      local meta
      if op == 'get' then
        meta = redis.call('HMGET', key, '@a', '@c', unpack(ARGV, 4))
      elseif (op == 'add' or op == 'addv') and ARGV[6] and ARGV[6] ~= '' then
        meta = redis.call('HMGET', key, '@a', '@c', ARGV[4])
      else
        meta = redis.call('HMGET', key, '@a', '@c')
      end
      if not meta[1] then return -1 end
      local deadline = tonumber(meta[1])
      local absolute = tonumber(ARGV[3])
      if absolute > 0 and meta[2] then
        local capped = tonumber(meta[2]) + absolute
        if deadline == 0 or capped < deadline then
          deadline = capped -- created by a build with no or a longer absolute timeout: today's applies
          redis.call('HSET', key, '@a', deadline)
        end
      end
      local ttl = tonumber(ARGV[2])
      local slack = math.floor(ttl / 10)
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
      if left < ttl - slack or left > ttl then
        redis.call('PEXPIRE', key, ttl)
      end
      if op == 'get' then
        return meta
      elseif op == 'add' or op == 'addv' then
        local stale = 0
        local n
        if not ARGV[6] or ARGV[6] == '' then
          n = redis.pcall('HINCRBY', key, ARGV[4], ARGV[5])
          if type(n) ~= 'number' then
            if not string.find(n.err, 'not an integer', 1, true) then return n end -- overflow: nothing written
            redis.call('HDEL', key, ARGV[4]) -- bytes of an older shape: absent, as a read sees them
            stale = 1
            n = redis.call('HINCRBY', key, ARGV[4], ARGV[5])
          end
          -- Lua numbers are doubles: beyond 2^53 answer the stored digits, which are exact
          if n > 9007199254740991 or n < -9007199254740991 then n = redis.call('HGET', key, ARGV[4]) end
        else
          local current = meta[3]
          -- digits HINCRBY accepts (no leading zero), short enough to be exact as a double (the range is an int's)
          local c = current and (current == '0' or string.match(current, '^%-?[1-9]%d*$')) and #current <= 17
            and tonumber(current)
          if current and (not c or c < tonumber(ARGV[6]) or c > tonumber(ARGV[7])) then
            stale = 1 -- bytes of an older shape (no increment then, or a wider type): absent, as a read sees them
            c = nil
          end
          local sum = (c or 0) + tonumber(ARGV[5])
          if sum < tonumber(ARGV[6]) or sum > tonumber(ARGV[7]) then
            return {c or 0, stale, 1}
          end
          if stale == 1 then redis.call('HDEL', key, ARGV[4]) end
          n = redis.call('HINCRBY', key, ARGV[4], ARGV[5])
        end
        if op == 'add' then return {n, stale} end
        local out = {n, stale, 0}
        if ARGV[8] then
          local values = redis.call('HMGET', key, unpack(ARGV, 8))
          for i = 1, #values do out[3 + i] = values[i] end
        end
        return out
      elseif op == 'set' then
        redis.call('HSET', key, ARGV[4], ARGV[5])
      elseif op == 'del' then
        redis.call('HDEL', key, ARGV[4])
      elseif op == 'cas' then
        local current = redis.call('HGET', key, ARGV[4])
        if ARGV[5] == 'i' and (not current or not string.match(current, '^%-?%d+$')) then current = '0' end
        local matches
        if ARGV[6] == '1' then matches = current == ARGV[7] else matches = not current end
        if not matches then return {current} end
        if ARGV[8] == '1' then
          redis.call('HSET', key, ARGV[4], ARGV[9])
        else
          redis.call('HDEL', key, ARGV[4])
        end
      elseif op == 'user' then
        local old = redis.call('HGET', key, '@u')
        if ARGV[5] == '1' then
          redis.call('HSET', key, ARGV[4], ARGV[6], '@u', ARGV[7])
        else
          redis.call('HDEL', key, ARGV[4], '@u')
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
