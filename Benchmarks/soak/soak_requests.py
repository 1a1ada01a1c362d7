#!/usr/bin/env python3
"""The request mix of scripts/soak, with the answer each request must get.

Writes OUT/requests.lua: a Lua table that soak.lua sends round robin. Every request carries its
expectation: an HTTP status, and for a decision whether it allows and (where PolicyCore decides
it) the exact reason. The decisions of requests with valid tokens are PolicyCore's own, asked
through `policyc eval --batch` with the token's groups, so the soak checks the server against the
engine, not against itself.
"""
import argparse
import json
import subprocess
import urllib.parse

ISSUER = "https://ska-iam.stfc.ac.uk"

# service type, service, audience, scope: as the shipped policies expect.
SERVICES = {
    "dm": ("route", "data-management-api", "data-management-api", "data-management-api-service"),
    "sites": ("route", "site-capabilities-api", "site-capabilities-api", "site-capabilities-api-service"),
    "exchange": ("exchange", "data-management-api", "authn-api", None),
    "storage": ("plugin", "storage", "storage", None),
}

CALLERS = {
    "dm": {
        "viewer-testing": ["data/namespaces/testing/viewer"],
        "editor-lofar": ["/data/namespaces/lofar/editor"],
        "admin": ["services/data-management-api/roles/admin"],
        "developer": ["services/data-management-api/roles/developer"],
        "nobody": [],
    },
    "sites": {
        "viewer-a": ["services/site-capabilities-api/roles/site-a/viewer"],
        "manager-b": ["services/site-capabilities-api/roles/site-b/manager"],
        "admin": ["services/site-capabilities-api/roles/admin"],
        "nobody": [],
    },
    "exchange": {
        "service": ["services/authn-api/roles/service"],
        "user": ["users"],
        "blocked-user": ["users", "services/data-management-api/blocked"],
        "nobody": [],
    },
    "storage": {
        "reader-a1": ["services/storage/areas/a1/read"],
        "operator": ["services/storage/operators"],
        "nobody": [],
    },
}

NAMESPACES = ["testing", "lofar", "", "a/b", "..", "{namespace}", "x" * 2000, "caf\u00e9"]

QUERIES = {
    "dm": [("/data/list", "GET", {}), ("/data/list", "DELETE", {})]
    + [("/data/list/{namespace}", "GET", {"namespace": n}) for n in NAMESPACES]
    + [("/data/locate/{namespace}/{name}", "GET", {"namespace": n, "name": "PTF10tce.fits"}) for n in ["testing", "lofar"]]
    + [("/data/move", "POST", {"namespace": n}) for n in ["testing", "lofar", 42, None, ["testing"]]]
    + [("/data/download/u-1/testing/PTF10tce.fits", "GET", {}), ("/data/download/u-1/lofar/a%2Fb", "GET", {}),
       ("/data/list/testing", "get", {}), ("/data/list/testing/", "GET", {}), ("/data/../data/list", "GET", {}),
       ("/data/list/testing", "GET", {"namespace": "lofar"})],
    "sites": [("/sites", "GET", {}), ("/sites", "POST", {})]
    + [("/sites/{site}", m, {"site": s}) for m in ["GET", "PUT", "DELETE"] for s in ["site-a", "site-b", "site-a/x"]]
    + [("/sites/site-a/storages", "GET", {}), ("/sites/site-b/compute", "GET", {})],
    "exchange": [(None, None, {}), (None, None, {"user": "alice"})],
    "storage": [(None, None, {"action": a, "area": r}) for a in ["stat", "read", "write", "purge", "Purge"] for r in ["a1", "a2"]]
    + [(None, None, {"area": "a1"})],
}


def mint(policyc, key, audience, groups, scope=None, lifetime=7200, kid="dev"):
    command = [policyc, "token", "mint", "--key", key, "--issuer", ISSUER, "--audience", audience,
               f"--lifetime={lifetime}", "--kid", kid]
    for group in groups:
        command += ["--group", group]
    if scope:
        command += ["--scope", scope]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def path_of(kind, service, route, method):
    if kind != "route":
        return f"/v1/authorise/{kind}/{service}"
    query = {"route": route}
    if method is not None:
        query["method"] = method
    return f"/v1/authorise/route/{service}?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


def request(name, path, token=None, body="", headers=None, **expectation):
    all_headers = {"Content-Type": "application/json"}
    if token:
        all_headers["Authorization"] = "Bearer " + token
    all_headers.update(headers or {})
    return {"name": name, "method": "POST", "path": path, "headers": all_headers, "body": body, **expectation}


def decided_requests(policyc, policies, key):
    """Valid tokens: every caller asks every query of its service; PolicyCore gives the answers."""
    requests, batch = [], []
    for short, (kind, service, audience, scope) in SERVICES.items():
        for caller, groups in CALLERS[short].items():
            token = mint(policyc, key, audience, groups, scope)
            for route, method, params in QUERIES[short]:
                body = json.dumps(params)
                requests.append(request(f"{short}/{caller} {method or ''} {route or kind} {body[:40]}",
                                        path_of(kind, service, route, method), token, body))
                query = {"type": kind, "service": service, "version": None, "params": params, "groups": groups}
                if kind == "route":
                    query.update(route=route, method=method)
                batch.append(query)
    lines = "".join(json.dumps(query) + "\n" for query in batch)
    answers = subprocess.run([policyc, "eval", "--policies", policies, "--batch", "-"], input=lines,
                             check=True, capture_output=True, text=True).stdout.splitlines()
    assert len(answers) == len(requests), "policyc answered a different number of queries"
    for entry, answer in zip(requests, map(json.loads, answers)):
        entry.update(status=200, authorised=answer["is_authorised"], reason=answer["reason"])
    return requests


def refused_requests(policyc, key):
    """Tokens that must be refused, and requests that must not reach a decision."""
    kind, service, audience, scope = SERVICES["dm"]
    viewer = CALLERS["dm"]["viewer-testing"]
    good = mint(policyc, key, audience, viewer, scope)
    header, payload, signature = good.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    list_testing = path_of(kind, service, "/data/list/{namespace}", "GET")
    body = json.dumps({"namespace": "testing"})
    denied = {"status": 200, "authorised": False}
    tokens = {
        "expired": mint(policyc, key, audience, viewer, scope, lifetime=-600),
        "wrong audience": mint(policyc, key, "site-capabilities-api", viewer, scope),
        "no scope": mint(policyc, key, audience, viewer, None),
        "unknown kid": mint(policyc, key, audience, viewer, scope, kid="other"),
        "altered signature": f"{header}.{payload}.{flipped}",
        "stripped signature": f"{header}.{payload}.",
        "alg none": "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + payload + ".",
        "garbage": "not.a.token",
        "huge": "a" * 20000,
    }
    requests = [request(f"token: {name}", list_testing, token, body, **denied) for name, token in tokens.items()]
    requests.append(request("token: none", list_testing, None, body, **denied))
    requests += [
        request("body: not JSON", list_testing, good, "{namespace", status=422),
        request("body: an array", list_testing, good, '["testing"]', status=422),
        request("body: nested 10,000 deep", list_testing, good, "[" * 10000, status=422),
        request("body: a member twice", list_testing, good, '{"namespace":"lofar","namespace":"testing"}', status=422),
        request("body: 100 parameters", list_testing, good, json.dumps({f"p{i}": i for i in range(100)}), status=422),
        request("no route", f"/v1/authorise/route/{service}", good, body, status=422),
        request("unknown service", "/v1/authorise/route/no-such-api?route=%2Fx", good, body, status=404),
        request("unknown version", list_testing + "&version=99", good, body, status=404),
        request("bad version", list_testing + "&version=-1", good, body, status=422),
        request("bad percent-encoding", f"/v1/authorise/route/{service}?route=%2Fdata%ZZ", good, body, status=400),
    ]
    return requests


def lua_string(text):
    out = []
    for byte in text.encode():
        if byte in (34, 92) or byte < 32 or byte > 126:
            out.append("\\%03d" % byte)
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


def lua_entry(entry):
    fields = [f"name = {lua_string(entry['name'])}", f"method = {lua_string(entry['method'])}",
              f"path = {lua_string(entry['path'])}", f"body = {lua_string(entry['body'])}",
              "headers = {" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in entry["headers"].items()) + "}",
              f"status = {entry['status']}"]
    if "authorised" in entry:
        fields.append(f"authorised = {'true' if entry['authorised'] else 'false'}")
    if "reason" in entry:
        fields.append(f"reason = {lua_string(chr(34) + 'reason' + chr(34) + ':' + json.dumps(entry['reason'], ensure_ascii=False))}")
    return "  {" + ", ".join(fields) + "},\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policyc", required=True)
    parser.add_argument("--policies", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    requests = decided_requests(args.policyc, args.policies, args.key) + refused_requests(args.policyc, args.key)
    with open(f"{args.out}/requests.lua", "w") as out:
        out.write("return {\n" + "".join(lua_entry(entry) for entry in requests) + "}\n")
    allowed = sum(1 for entry in requests if entry.get("authorised"))
    print(f"soak mix: {len(requests)} distinct requests ({allowed} allowed, "
          f"{sum(1 for e in requests if e['status'] != 200)} refused before a decision)")


if __name__ == "__main__":
    main()
