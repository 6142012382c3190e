#!/usr/bin/env python3
"""Recompute a paired difference from a committed results.json (standard library only).

    python3 docs/experiments/recompute.py RESULTS.json SETTING METHOD REFERENCE [METRIC] [PROTOCOL]

Prints the mean of (METHOD - REFERENCE) over the seeds of SETTING (and PROTOCOL, default "honest"), its 95 %
Student t-interval and the seeds won, the same figures the Markdown tables print. METRIC defaults to AUC (use
"accuracy" for the sentiment results). With "--list SETTING" it lists the methods of a setting.
"""
import json
import math
import sys

# Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def rows_of(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["runs"]


def paired(rows, setting, method, reference, metric="AUC", protocol="honest"):
    def values(name):
        return {r["seed"]: r["test"][metric] for r in rows
                if r["setting"] == setting and r["method"] == name and r.get("protocol", "honest") == protocol}
    a, b = values(method), values(reference)
    seeds = sorted(set(a) & set(b))
    if not seeds:
        raise SystemExit(f"no seeds with both '{method}' and '{reference}' in '{setting}'")
    d = [a[s] - b[s] for s in seeds]
    mean = sum(d) / len(d)
    wins = sum(1 for x in d if x > 0)
    if len(d) < 2:
        return mean, float("nan"), float("nan"), wins, len(d)
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (len(d) - 1))
    half = T95[min(len(d) - 1, 30) - 1] * sd / math.sqrt(len(d))
    return mean, mean - half, mean + half, wins, len(d)


def main(argv):
    if len(argv) == 3 and argv[1] == "--list":
        rows = rows_of(argv[0])
        seen = []
        for r in rows:
            if r["setting"] == argv[2] and r["method"] not in seen:
                seen.append(r["method"])
        print("\n".join(seen))
        return
    if len(argv) < 4:
        raise SystemExit(__doc__)
    path, setting, method, reference = argv[:4]
    metric = argv[4] if len(argv) > 4 else "AUC"
    protocol = argv[5] if len(argv) > 5 else "honest"
    mean, low, high, wins, n = paired(rows_of(path), setting, method, reference, metric, protocol)
    print(f"{method} - {reference} ({setting}, {metric}): {mean:+.4f} [{low:+.4f}, {high:+.4f}], {wins}/{n} won")


if __name__ == "__main__":
    main(sys.argv[1:])
