#!/usr/bin/env python3
"""Prints the Markdown tables of BENCHMARKS.md from benchmarks/target/results/<mode>/*.json.

Usage: python3 benchmarks/summarize.py [quick|full]
Per row: throughput (ops/s), allocation (B/op, -prof gc), SampleTime p50/p99/mean (us), and the
throughput ratio to the hand-written baseline (floor) of the group. After each table, every Redwire row
is set against every other row of the group (the floor, each peer, and the other Redwire rows):
throughput, p50, p99 and B/op ratios (Redwire / other) and the p50 and B/op differences (Redwire -
other). A missing file or row prints as "-", and is listed on stderr at the end (hand-off rows have
no throughput run, so only their latency is expected).
"""
import json, os, sys

mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
base = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "results", mode)

def load(name):
    path = os.path.join(base, name + ".json")
    if not os.path.exists(path):
        return {}
    out = {}
    for r in json.load(open(path)):
        m = r["benchmark"].rsplit(".", 1)[1]
        e = out.setdefault(m, {})
        pm = r["primaryMetric"]
        if r["mode"] == "thrpt":
            e["thrpt"] = pm["score"]
            sec = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if sec:
                e["bop"] = sec["score"]
        else:
            e["mean"] = pm["score"]
            e["p50"] = pm["scorePercentiles"]["50.0"]
            e["p99"] = pm["scorePercentiles"]["99.0"]
    return out

def f(v, fmt="{:,.0f}"):
    return "-" if v is None else fmt.format(v)

def ratio(a, b):
    return a / b if a is not None and b else None

def diff(a, b):
    return a - b if a is not None and b is not None else None

missing = []

def table(title, prefix, rows, baseline, kinds):
    print(f"\n**{title}**\n")
    print("| peer | threads | ops/s | vs baseline | B/op | p50 us | p99 us | mean us |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    got = {}  # (threads, label) -> merged metrics
    for t, (thr, smp) in kinds:
        has_thrpt = thr is not None  # None: a latency-only group (hand-off)
        thr = thr or {}
        for label, method in rows:
            a = thr.get(prefix + method, {}); s = smp.get(prefix + method, {})
            got[(t, label)] = {**a, **s}
            wanted = (["thrpt", "bop"] if has_thrpt else []) + ["p50", "p99", "mean"]
            lacks = [k for k in wanted if got[(t, label)].get(k) is None]
            if lacks:
                missing.append(f"{title} / {label} / {t} thread(s): no {', '.join(lacks)}")
            b = thr.get(prefix + baseline, {}).get("thrpt")
            print(f"| {label} | {t} | {f(a.get('thrpt'))} | {f(ratio(a.get('thrpt'), b), '{:.2f}x')} | {f(a.get('bop'))} | "
                  f"{f(s.get('p50'), '{:,.1f}')} | {f(s.get('p99'), '{:,.1f}')} | {f(s.get('mean'), '{:,.1f}')} |")
    ours = [label for label, _ in rows if label.startswith("Redwire")]
    print(f"\n*{title}: Redwire against each row* (ratios are Redwire / other: ops/s above 1x, latency and "
          f"B/op below 1x favour Redwire; differences are Redwire - other)\n")
    print("| Redwire row | against | threads | ops/s ratio | p50 ratio | p99 ratio | B/op ratio | p50 diff us | B/op diff |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, _ in kinds:
        for mine in ours:
            m = got[(t, mine)]
            for label, _ in rows:
                if label == mine:
                    continue
                o = got[(t, label)]
                print(f"| {mine} | {label} | {t} | {f(ratio(m.get('thrpt'), o.get('thrpt')), '{:.2f}x')} | "
                      f"{f(ratio(m.get('p50'), o.get('p50')), '{:.2f}x')} | {f(ratio(m.get('p99'), o.get('p99')), '{:.2f}x')} | "
                      f"{f(ratio(m.get('bop'), o.get('bop')), '{:.2f}x')} | {f(diff(m.get('p50'), o.get('p50')), '{:+,.1f}')} | "
                      f"{f(diff(m.get('bop'), o.get('bop')), '{:+,.0f}')} |")

cache = [(t, (load(f"cache-t{t}-thrpt"), load(f"cache-t{t}-sample"))) for t in (1, 8)]
peers = [("Redwire proxy", "redwire"), ("hand-written Jedis (baseline)", "jedisHandWritten"),
         ("Spring @Cacheable + Lettuce", "springLettuce"), ("Spring @Cacheable + Jedis", "springJedis"),
         ("Redisson RBucket", "redissonBucket")]
table("Cache hit", "hit_", peers, "jedisHandWritten", cache)
table("Cache miss + load + store", "miss_", peers, "jedisHandWritten", cache)
rl = [(t, (load(f"ratelimit-t{t}-thrpt"), load(f"ratelimit-t{t}-sample"))) for t in (1, 8)]
table("Rate-limit decision", "", [("Redwire proxy (@RateLimited GCRA)", "redwire"),
      ("hand-written GCRA script (floor)", "gcraHandWritten"),
      ("Bucket4j Jedis (CAS)", "bucket4jJedis"), ("Redisson RRateLimiter", "redissonRateLimiter")],
      "gcraHandWritten", rl)
lk = [(1, (load("lock-uncontended-thrpt"), load("lock-uncontended-sample")))]
table("Lock + unlock, uncontended", "uncontended_", [("Redwire proxy, lease = 30s", "redwire"),
      ("Redwire proxy, watchdog (no lease)", "redwireWatchdog"),
      ("hand-written SET NX PX + CAD script (floor)", "jedisHandWritten"), ("Redisson RLock", "redisson"),
      ("Spring Integration RedisLockRegistry", "springIntegration"), ("ShedLock Jedis provider", "shedLock")],
      "jedisHandWritten", lk)
ho = [(1, (None, load("lock-handoff")))]
table("Lock hand-off: holder's unlock -> waiter running (SampleTime only)", "handoff_",
      [("Redwire proxy (two Redwire instances)", "redwire"), ("Redisson RLock (pub/sub)", "redisson"),
       ("Spring Integration RedisLockRegistry (PUB_SUB_LOCK)", "springIntegration")], "redisson", ho)

if missing:
    print(f"\n{len(missing)} row(s) incomplete in {base}:", file=sys.stderr)
    for m in missing:
        print("  " + m, file=sys.stderr)
