#!/usr/bin/env python3
"""Times `policyc access who` over whole policies (process start to last line), for docs/policyc.md.

Workloads, each answered for every rule of every policy given:
  shipped      policies/ of this repository
  bench-1000   the 1,000-route policy of scripts/generate-bench-data (2,026 rules, up to 4 groups each)
  large-rules  written here, deterministic: 200 route rules naming 17 to 40 distinct groups each
               (`or` of roles, some `a and not b`, some `a and (b or c)`; every fourth role with a
               `{namespace}` template too), a role of 3,000 groups alone (3,000 alternatives, more than
               the default limit) and under `not`

Usage: bench_access.py --bench-data DIR [--runs N] POLICYC [POLICYC...]
Each POLICYC (e.g. the release build before and after a change) is timed on each workload, runs
interleaved, and the median, the fastest and the slowest wall-clock time and the peak RSS printed,
with how many rules each answered and how many it did not list.
"""
import argparse
import json
import os
import random
import re
import statistics
import subprocess
import tempfile


def large_rules_policy():
    rng = random.Random(20261206)
    roles = {f"r{i}": [f"groups/r{i}"] + ([f"data/{{namespace}}/r{i}"] if i % 4 == 0 else []) for i in range(120)}
    roles["listed"] = [f"people/p{i:04d}" for i in range(3000)]
    names = sorted(name for name in roles if name.startswith("r"))
    routes = {}
    for route in range(200):
        chosen = rng.sample(names, rng.randint(17, 40))
        terms, index = [], 0
        while index < len(chosen):
            kind = rng.random()
            if kind < 0.6 or len(chosen) - index < 3:
                terms.append(chosen[index])
                index += 1
            elif kind < 0.8:
                terms.append(f"({chosen[index]} and not {chosen[index + 1]})")
                index += 2
            else:
                terms.append(f"({chosen[index]} and ({chosen[index + 1]} or {chosen[index + 2]}))")
                index += 3
        routes[f"/large/{route}/{{namespace}}"] = {"GET": " or ".join(terms)}
    routes["/people"] = {"GET": "listed", "POST": "r1 and not listed"}
    return {"name": "large-rules", "type": "route", "iam_subgroup_name": "large-rules",
            "expected_token_issuer": "https://ska-iam.stfc.ac.uk", "expected_token_audience": "large-rules",
            "version_number": 1, "roles": roles, "routes": routes}


def run(policyc, policies):
    """Wall-clock seconds, peak RSS in MB, rules answered and rules not listed."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", policyc, "access", "who", "--policies", policies],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    rules = sum(1 for line in result.stdout.splitlines() if re.match(r"  \S", line) and not line.startswith("  rule "))
    unlisted = len(re.findall(r"\((too many to list|too large to analyse)", result.stdout))
    return float(seconds), int(kilobytes) / 1024, rules, unlisted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench-data", required=True, help="the --out directory of scripts/generate-bench-data")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("policyc", nargs="+")
    arguments = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with tempfile.TemporaryDirectory() as scratch:
        large = os.path.join(scratch, "large-rules.json")
        with open(large, "w") as file:
            json.dump(large_rules_policy(), file)
        workloads = [("shipped", os.path.join(root, "policies")),
                     ("bench-1000", os.path.join(arguments.bench_data, "large", "route-policy.json")),
                     ("large-rules", large)]
        print(f"machine: {os.cpu_count()} CPUs; {arguments.runs} runs each, interleaved")
        for name, policies in workloads:
            samples = {policyc: [] for policyc in arguments.policyc}
            for _ in range(arguments.runs):
                for policyc in arguments.policyc:
                    samples[policyc].append(run(policyc, policies))
            for policyc, rows in samples.items():
                times = [row[0] for row in rows]
                print(f"{name:12} {policyc}: median {statistics.median(times):.2f} s (min {min(times):.2f}, "
                      f"max {max(times):.2f}), peak RSS {max(row[1] for row in rows):.0f} MB, "
                      f"{rows[0][2]} rules, {rows[0][3]} not listed")


if __name__ == "__main__":
    main()
