package io.redwire.runtime.ratelimit;

import io.redwire.runtime.script.Script;

/**
 * The decision scripts, one per algorithm. Each takes every limit of one method (one key each, all on one
 * Cluster slot) and {@code ARGV = limit1, perMicros1, burst1, limit2, ...}, reads the server clock
 * ({@code TIME}, microseconds), admits the call only if every limit admits it, and then updates every
 * key; a refused call changes nothing. Reply: {@code {admitted, index, remaining, retryAfterMicros,
 * resetMicros}} where {@code index} (1-based) is the limit that refused (the one with the longest wait),
 * or, when admitted, the one with the fewest calls left. Every key written expires exactly when its
 * limit has fully reset.
 */
final class RateLimitScripts {

  private RateLimitScripts() {}

  private static final String CLOCK = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local n = #KEYS
      local deny, denyRetry, denyReset = 0, -1, 0
      local best, bestRemaining, bestReset = 1, -1, 0
      """;

  private static final String REPLY = """
      if deny > 0 then
        return {0, deny, 0, math.ceil(denyRetry), math.ceil(denyReset)}
      end
      """;

  /**
   * GCRA: the key holds the theoretical arrival time (TAT, microseconds since the epoch). A call is
   * admitted when {@code TAT + T - burst * T <= now} with {@code T = per / limit}; then TAT moves to
   * {@code max(TAT, now) + T} and the key expires at the new TAT.
   */
  static final Script GCRA = new Script("redwire-ratelimit-gcra", CLOCK + """
      local tats = {}
      for i = 1, n do
        local limit, per, burst = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
        local interval = per / limit
        local tat = tonumber(redis.call('GET', KEYS[i]) or 0) or 0
        if tat < now then tat = now end
        local newTat = tat + interval
        local allowAt = newTat - burst * interval
        if allowAt > now then
          if allowAt - now > denyRetry then
            deny, denyRetry, denyReset = i, allowAt - now, tat - now
          end
        end
        tats[i] = newTat
      end
      """ + REPLY + """
      for i = 1, n do
        local limit, per, burst = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
        local interval = per / limit
        local left = tats[i] - now
        redis.call('SET', KEYS[i], string.format('%.17g', tats[i]), 'PX', math.ceil(left / 1000))
        local remaining = math.floor((burst * interval - left) / interval + 1e-9)
        if bestRemaining < 0 or remaining < bestRemaining then
          best, bestRemaining, bestReset = i, remaining, left
        end
      end
      return {1, best, bestRemaining, 0, math.ceil(bestReset)}
      """);

  /**
   * Sliding window (exact): a sorted set of the admission times of the last {@code per}; entries older
   * than the window are trimmed on every decision, so it never holds more than {@code limit} entries.
   */
  static final Script SLIDING_WINDOW = new Script("redwire-ratelimit-sliding", CLOCK + """
      local counts = {}
      for i = 1, n do
        local limit, per = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1])
        redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - per)
        local count = redis.call('ZCARD', KEYS[i])
        if count >= limit then
          local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
          local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
          local retry = tonumber(oldest[2]) + per - now
          if retry > denyRetry then
            deny, denyRetry, denyReset = i, retry, tonumber(newest[2]) + per - now
          end
        end
        counts[i] = count
      end
      """ + REPLY + """
      for i = 1, n do
        local limit, per = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1])
        redis.call('ZADD', KEYS[i], now, string.format('%d-%d', now, counts[i]))
        redis.call('PEXPIRE', KEYS[i], math.ceil(per / 1000))
        local remaining = limit - counts[i] - 1
        if bestRemaining < 0 or remaining < bestRemaining then
          best, bestRemaining, bestReset = i, remaining, per
        end
      end
      return {1, best, bestRemaining, 0, math.ceil(bestReset)}
      """);

  /**
   * Fixed window: the key holds {@code "<window number>:<count>"}; windows are aligned to multiples of
   * {@code per} since the epoch, and the key expires at the end of its window.
   */
  static final Script FIXED_WINDOW = new Script("redwire-ratelimit-fixed", CLOCK + """
      local counts, windows = {}, {}
      for i = 1, n do
        local limit, per = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1])
        local w = math.floor(now / per)
        local count = 0
        local v = redis.call('GET', KEYS[i])
        if v then
          local sep = string.find(v, ':', 1, true)
          if sep and tonumber(string.sub(v, 1, sep - 1)) == w then
            count = tonumber(string.sub(v, sep + 1)) or 0
          end
        end
        local left = (w + 1) * per - now
        if count >= limit and left > denyRetry then
          deny, denyRetry, denyReset = i, left, left
        end
        counts[i], windows[i] = count, w
      end
      """ + REPLY + """
      for i = 1, n do
        local limit, per = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1])
        local left = (windows[i] + 1) * per - now
        redis.call('SET', KEYS[i], string.format('%d:%d', windows[i], counts[i] + 1), 'PX', math.ceil(left / 1000))
        local remaining = limit - counts[i] - 1
        if bestRemaining < 0 or remaining < bestRemaining then
          best, bestRemaining, bestReset = i, remaining, left
        end
      end
      return {1, best, bestRemaining, 0, math.ceil(bestReset)}
      """);
}
