#!/usr/bin/env python3
"""Prints the Markdown tables of BENCHMARKS.md from benchmarks/target/results/<mode>/*.json.

Usage: python3 benchmarks/summarize.py [quick|full]
Per row: throughput (ops/s), allocation (B/op, -prof gc), SampleTime p50/p99 (us), and throughput
ratios to the hand-written baseline of the group. A missing file or row prints as "-".
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

def table(title, prefix, rows, baseline, kinds):
    print(f"\n**{title}**\n")
    print("| peer | threads | ops/s | vs baseline | B/op | p50 us | p99 us | mean us |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t, (thr, smp) in kinds:
        for label, method in rows:
            a = thr.get(prefix + method, {}); s = smp.get(prefix + method, {})
            b = thr.get(prefix + baseline, {}).get("thrpt")
            ratio = a.get("thrpt") / b if a.get("thrpt") and b else None
            print(f"| {label} | {t} | {f(a.get('thrpt'))} | {f(ratio, '{:.2f}x')} | {f(a.get('bop'))} | "
                  f"{f(s.get('p50'), '{:,.1f}')} | {f(s.get('p99'), '{:,.1f}')} | {f(s.get('mean'), '{:,.1f}')} |")

cache = [(t, (load(f"cache-t{t}-thrpt"), load(f"cache-t{t}-sample"))) for t in (1, 8)]
peers = [("Redwire proxy", "redwire"), ("hand-written Jedis (baseline)", "jedisHandWritten"),
         ("Spring @Cacheable + Lettuce", "springLettuce"), ("Spring @Cacheable + Jedis", "springJedis"),
         ("Redisson RBucket", "redissonBucket")]
table("Cache hit", "hit_", peers, "jedisHandWritten", cache)
table("Cache miss + load + store", "miss_", peers, "jedisHandWritten", cache)
rl = [(t, (load(f"ratelimit-t{t}-thrpt"), load(f"ratelimit-t{t}-sample"))) for t in (1, 8)]
table("Rate-limit decision", "", [("Redwire proxy", "redwire"), ("hand-written GCRA script (floor)", "gcraHandWritten"),
      ("Bucket4j Jedis (CAS)", "bucket4jJedis"), ("Redisson RRateLimiter", "redissonRateLimiter")],
      "gcraHandWritten", rl)
lk = [(1, (load("lock-uncontended-thrpt"), load("lock-uncontended-sample")))]
table("Lock + unlock, uncontended", "uncontended_", [("Redwire proxy", "redwire"),
      ("hand-written SET NX PX + CAD script (floor)", "jedisHandWritten"), ("Redisson RLock", "redisson"),
      ("Spring Integration RedisLockRegistry", "springIntegration"), ("ShedLock Jedis provider", "shedLock")],
      "jedisHandWritten", lk)
ho = [(1, ({}, load("lock-handoff")))]
table("Lock hand-off: holder's unlock -> waiter running (SampleTime only)", "handoff_",
      [("Redwire proxy", "redwire"), ("Redisson RLock (pub/sub)", "redisson"),
       ("Spring Integration RedisLockRegistry (PUB_SUB_LOCK)", "springIntegration")], "redisson", ho)
