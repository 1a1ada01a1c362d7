#!/usr/bin/env python3
"""The two `policyc eval --batch` workloads of scripts/bench-batch and scripts/bench-peers,
deterministic (same seed, same bytes, every machine):

  deck   200,000 queries of the deck's data-management-api policy, the route as the template the
         service declares, callers of 1 to 8 groups (1,000 distinct callers), about half allowed
  large  5,000 queries of a generated policy of 1,000 routes and 30 roles, concrete paths,
         callers of 1,000 groups each (100 distinct callers)

Writes OUT/deck/{policies/,queries.jsonl} and OUT/large/{policies/,queries.jsonl}, and a
manifest OUT/workloads.json naming each workload's files, policy and callers (for the peers).
"""
import argparse
import json
import os
import random
import shutil

NAMESPACES = ["testing", "lofar", "ska", "prod", "meerkat", "askap", "mwa", "lsst", "vla", "alma"]
DECK_ROLE_GROUPS = [
    "data/namespaces/{ns}/viewer", "data/namespaces/{ns}/editor", "data/namespaces/{ns}/owner",
    "/services/data-management-api/roles/admin", "services/data-management-api/roles/developer",
]
NOISE = ["/ska/users", "astronomers", "compute/operators", "services/site-capabilities-api/roles/site-a/viewer",
         "data/namespaces/testing/viewers", "services/data-management-api/roles/admins", "prototyping-groups/mini-src",
         "data/namespaces/Testing/viewer", "/escape/users", "services/compute-api/roles/user"]


def deck(rng, deck_policy, count, out):
    with open(deck_policy) as f:
        policy = json.load(f)
    callers = {}
    for index in range(1000):
        size = rng.randint(1, 8)
        groups = []
        for _ in range(size):
            if rng.random() < 0.45:
                template = rng.choice(DECK_ROLE_GROUPS)
                groups.append(template.replace("{ns}", rng.choice(NAMESPACES[:4])))
            else:
                groups.append(rng.choice(NOISE))
        callers[f"u{index:04d}"] = groups
    rules = [(template, method) for template, methods in policy["routes"].items() for method in methods]
    queries = []
    for _ in range(count):
        template, method = rng.choice(rules)
        if rng.random() < 0.03:
            method = rng.choice(["DELETE", "PUT", "get"])
        params = {"namespace": rng.choice(NAMESPACES[:4]), "name": "PTF10tce.fits",
                  "storage_area_uuid": "5c4f1a9e-7d1b-4c38-9a2e-0f3d6b8e2a11"}
        queries.append({"route": template, "method": method, "params": params, "caller": rng.choice(list(callers))})
    return write(out, "deck", "deck policy, template routes, callers of 1 to 8 groups", [deck_policy], policy["name"],
                 callers, queries)


WORDS = ["data", "jobs", "sites", "files", "items", "search", "status", "logs", "users", "areas",
         "storage", "compute", "meta", "replicas", "staging", "rules", "tokens", "quota", "links", "ops"]
PARAMS = ["namespace", "name", "site", "project", "item", "area", "job", "file"]


def large_policy(rng):
    roles = {"any": []}
    for index in range(29):
        parameter = PARAMS[index % len(PARAMS)]
        kind = index % 3
        if kind == 0:
            roles[f"role{index:02d}"] = [f"{{root_group}}/roles/r{index:02d}"]
        elif kind == 1:
            roles[f"role{index:02d}"] = [f"groups/{parameter}/{{{parameter}}}/r{index:02d}"]
        else:
            roles[f"role{index:02d}"] = [f"{{root_group}}/{parameter}s/{{{parameter}}}/member", f"/shared/r{index:02d}"]
    names = [name for name in roles if name != "any"]
    templates, shapes = [], set()
    while len(templates) < 1000:
        segments, used = [], set()
        for position in range(rng.randint(2, 5)):
            if position > 0 and rng.random() < 0.4:
                name = rng.choice(PARAMS)
                if name in used:
                    name = f"{name}{position}"
                used.add(name)
                segments.append("{" + name + "}")
            else:
                segments.append(rng.choice(WORDS) + ("" if rng.random() < 0.7 else str(rng.randint(1, 99))))
        shape = "/".join("{}" if s.startswith("{") else s for s in segments)
        if shape not in shapes:
            shapes.add(shape)
            templates.append("/" + "/".join(segments))
    routes = {}
    for template in templates:
        routes[template] = {}
        for method in rng.sample(["GET", "POST", "PUT", "DELETE"], rng.randint(1, 3)):
            chosen = rng.sample(names, rng.randint(2, 5))
            expression = " or ".join(chosen[:-1])
            if rng.random() < 0.3:
                expression = f"({expression}) and not {chosen[-1]}"
            else:
                expression += f" or {chosen[-1]}"
            routes[template][method] = expression
    return {"name": "large-api", "type": "route", "iam_subgroup_name": "large-api",
            "expected_token_issuer": "https://ska-iam.stfc.ac.uk", "expected_token_audience": "large-api",
            "version_number": 1, "description": "generated for bench-batch", "roles": roles, "routes": routes}


def large(rng, count, out):
    policy = large_policy(rng)
    path = os.path.join(out, "large-policy.json")
    with open(path, "w") as f:
        json.dump(policy, f, indent=2)
    values = ["testing", "lofar", "ska", "site-a", "PTF10tce.fits", "42", "prod"]
    callers = {}
    for index in range(100):
        groups = [f"noise/{rng.randrange(10**6):06d}/member" for _ in range(960)]
        for _ in range(40):
            role = rng.randrange(29)
            parameter = PARAMS[role % len(PARAMS)]
            if role % 3 == 0:
                groups.append(f"services/large-api/roles/r{role:02d}")
            elif role % 3 == 1:
                groups.append(f"groups/{parameter}/{rng.choice(values)}/r{role:02d}")
            else:
                groups.append(f"services/large-api/{parameter}s/{rng.choice(values)}/member")
        rng.shuffle(groups)
        callers[f"big{index:03d}"] = groups
    templates = list(policy["routes"])
    queries = []
    for _ in range(count):
        template = rng.choice(templates)
        segments = []
        for segment in template.strip("/").split("/"):
            segments.append(rng.choice(values) if segment.startswith("{") else segment)
        method = rng.choice(list(policy["routes"][template]))
        queries.append({"route": "/" + "/".join(segments), "method": method, "params": {},
                        "caller": rng.choice(list(callers))})
    return write(out, "large", "1,000 routes, 30 roles, concrete paths, callers of 1,000 groups", [path],
                 policy["name"], callers, queries)


def write(out, name, description, policy_files, service, callers, queries):
    directory = os.path.join(out, name)
    policies = os.path.join(directory, "policies")
    os.makedirs(policies, exist_ok=True)
    for file in policy_files:
        shutil.copy(file, os.path.join(policies, "policy.json"))
    batch = os.path.join(directory, "queries.jsonl")
    with open(batch, "w") as f:
        for query in queries:
            line = {"type": "route", "service": service, "version": None, "route": query["route"],
                    "method": query["method"], "params": query["params"], "groups": callers[query["caller"]]}
            f.write(json.dumps(line) + "\n")
    with open(os.path.join(directory, "callers.json"), "w") as f:
        json.dump({"callers": callers, "queries": queries}, f)
    return {"name": name, "description": description, "policies": policies, "batch": batch,
            "policy": os.path.join(policies, "policy.json"), "callers": os.path.join(directory, "callers.json"),
            "queries": len(queries), "bytes": os.path.getsize(batch)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--deck-policy", required=True)
    parser.add_argument("--deck-queries", type=int, default=200_000)
    parser.add_argument("--large-queries", type=int, default=5_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    # Absolute paths in the manifest: its readers run from other folders.
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    workloads = [deck(rng, args.deck_policy, args.deck_queries, args.out), large(rng, args.large_queries, args.out)]
    with open(os.path.join(args.out, "workloads.json"), "w") as f:
        json.dump(workloads, f, indent=2)
    for workload in workloads:
        print(f"{workload['name']}: {workload['queries']:,} queries, {workload['bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
