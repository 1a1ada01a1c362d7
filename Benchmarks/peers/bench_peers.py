#!/usr/bin/env python3
"""policyd against its peers, Cedar (cedarpy) and Casbin (pycasbin): the same decisions, one run.

Run through scripts/bench-peers, which builds policyc, writes the benchmark data and installs the
peers into a virtual environment. Two workloads, each asked of all three engines:

  deck   the deck's data-management-api policy; the route given as a template of the policy
         (`/data/list/{namespace}` with params {"namespace": "testing"}); four callers of five
         groups each, over every route and method of the policy, allowed and denied
  large  the generated 1,000-route policy; concrete paths from queries.jsonl; one caller holding
         the 10,000 groups of caller-groups.json

policyd decides through `policyc eval --batch --timing-rounds N`. The peers cannot express two
things policyd does itself, so this harness does them for them, outside the timed region (see
docs/performance-peers.md):
  - matching a concrete path to the most specific route template, capturing its parameters;
  - substituting {root_group} and request parameters into the roles' group templates.
Each peer is then given the template, the method and the substituted groups, and decides the role
expression itself. Cedar is timed twice: over the whole policy set, and over only the policy of the
request's route and method ("sliced", its most favourable setting). Every engine's answers are
compared; any disagreement fails the run (exit status 1).
"""
import argparse
import gc
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

import casbin
import cedarpy
from casbin.model import FastModel

TARGET_RATIO = 30.0


# --------------------------------------------------------------------------------------------
# The policy model (spec section 2), as much of it as the peers need prepared for them.
# --------------------------------------------------------------------------------------------

@dataclass
class Policy:
    name: str
    root_group: str
    roles: dict  # role name -> list of group templates
    routes: dict  # route template -> {METHOD: role expression text}

    @staticmethod
    def load(path):
        with open(path) as f:
            source = json.load(f)
        root = source.get("root_group") or "services/" + source["iam_subgroup_name"]
        routes = {template: {ascii_upper(method): expression for method, expression in methods.items()}
                  for template, methods in source["routes"].items()}
        return Policy(source["name"], root, source["roles"], routes)


def parse_expression(text):
    """Parses a role expression (spec 2.1) into nested tuples: ("role", name), ("not", x),
    ("and", x, y), ("or", x, y). The policies are valid (policyd loads them), so errors are
    reported plainly rather than with positions."""
    tokens = re.findall(r"\(|\)|[^ \t\r\n()]+", text)
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else None

    def take(expected=None):
        nonlocal position
        token = peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"role expression {text!r}: expected {expected or 'more'} at token {position}")
        position += 1
        return token

    def parse_or():
        node = parse_and()
        while peek() == "or":
            take()
            node = ("or", node, parse_and())
        return node

    def parse_and():
        node = parse_unary()
        while peek() == "and":
            take()
            node = ("and", node, parse_unary())
        return node

    def parse_unary():
        if peek() == "not":
            take()
            return ("not", parse_unary())
        if peek() == "(":
            take()
            node = parse_or()
            take(")")
            return node
        return ("role", take())

    node = parse_or()
    if peek() is not None:
        raise ValueError(f"role expression {text!r}: unexpected {peek()!r}")
    return node


def roles_of(node):
    """The role names an expression mentions, in first-mention order."""
    if node[0] == "role":
        return [node[1]]
    names = []
    for child in node[1:]:
        names += [name for name in roles_of(child) if name not in names]
    return names


def render(node, role_text, parent=None):
    """Writes an expression with the C-style operators both Cedar and Casbin matchers use;
    `role_text(name)` writes one role's condition. A chain of one operator is written flat and
    parenthesised inside another; `!` always takes parentheses, since in Cedar it binds tighter
    than `in`."""
    kind = node[0]
    if kind == "role":
        return role_text(node[1])
    if kind == "not":
        return f"!({render(node[1], role_text)})"
    text = (" && " if kind == "and" else " || ").join(render(child, role_text, kind) for child in node[1:])
    return text if parent in (None, kind) else f"({text})"


# --------------------------------------------------------------------------------------------
# Route resolution and group substitution: what the harness does for the peers (spec 2.2, 2.3,
# 2.5), outside every timed region.
# --------------------------------------------------------------------------------------------

BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def percent_decode(segment):
    """Decodes once; None when the encoding is invalid or the bytes are not UTF-8."""
    if BAD_PERCENT.search(segment):
        return None
    try:
        return urllib.parse.unquote_to_bytes(segment).decode("utf-8")
    except UnicodeDecodeError:
        return None


class RouteTable:
    """The templates of one policy, grouped by segment count, each with a specificity key: a
    literal segment (0) sorts before a parameter (1), so the smallest key among the matching
    templates is the one "whose first differing segment is literal"."""

    def __init__(self, templates):
        self.exact = set(templates)
        self.by_length = {}
        for template in templates:
            segments = template.strip("/").split("/") if template != "/" else []
            pattern = [(s[1:-1], None) if s.startswith("{") else (None, s) for s in segments]
            key = tuple(0 if literal is not None else 1 for _, literal in pattern)
            self.by_length.setdefault(len(segments), []).append((key, template, pattern))

    def resolve(self, route):
        """Returns (template, captured parameters) or (None, None) when nothing matches."""
        if route in self.exact:
            return route, {}
        if not route.startswith("/") or "?" in route or "#" in route:
            return None, None
        segments = route[1:].split("/")
        if any(s == "" for s in segments) or any(percent_decode(s) is None for s in segments):
            return None, None
        best = None
        for key, template, pattern in self.by_length.get(len(segments), []):
            if best is not None and key >= best[0]:
                continue
            if all(literal is None or literal == s for (_, literal), s in zip(pattern, segments)):
                captured = {name: percent_decode(s) for (name, _), s in zip(pattern, segments) if name}
                best = (key, template, captured)
        return (best[1], best[2]) if best else (None, None)


def usable(value):
    """A parameter value a group template may use (spec 2.5), as text; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if -2**63 <= value < 2**63 else None
    if isinstance(value, str) and value and not any(c in value for c in "/{}"):
        return value
    return None


def agrees(supplied, captured):
    """A supplied parameter agrees with a captured path segment (spec 2.5): a string of the same
    text, or a usable integer whose decimal rendering is the segment."""
    if isinstance(supplied, str):
        return supplied == captured
    return usable(supplied) == captured


def ascii_upper(text):
    """Methods are upper-cased in ASCII letters only (spec 2.5); str.upper would also fold 'ß'."""
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in text)


def normalise(group):
    """Exactly one leading '/' removed, from templates and callers' groups alike."""
    return group[1:] if group.startswith("/") else group


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def substitute(template, root_group, parameters):
    """The group a template names for this request, normalised; None when a parameter is
    missing or unusable (then the template matches nothing)."""
    unusable = False

    def value(match):
        nonlocal unusable
        name = match.group(1)
        text = root_group if name == "root_group" else usable(parameters.get(name))
        if text is None:
            unusable = True
            return ""
        return text

    group = PLACEHOLDER.sub(value, template)
    return None if unusable else normalise(group)


# --------------------------------------------------------------------------------------------
# Workloads
# --------------------------------------------------------------------------------------------

@dataclass
class Query:
    route: str
    method: str
    params: dict
    caller: str


@dataclass
class Prepared:
    """A query as the peers receive it. `template` is None when no route matched or a parameter
    conflicts with the path: the peers are then asked about a resource no rule names."""
    template: str | None
    method: str
    caller: str
    role_groups: dict  # role -> [substituted group or None], for the roles the expression names


@dataclass
class Workload:
    name: str
    description: str
    policy_path: str
    callers: dict  # caller name -> groups, as a token would carry them
    queries: list
    policyd_rounds: int
    peer_rounds: int
    policy: Policy = None
    expressions: dict = field(default_factory=dict)  # (template, METHOD) -> parsed expression

    def __post_init__(self):
        self.policy = Policy.load(self.policy_path)
        self.expressions = {(template, method): parse_expression(text)
                            for template, methods in self.policy.routes.items()
                            for method, text in methods.items()}

    def prepare(self):
        table = RouteTable(self.policy.routes)
        return [self._prepare(table, query) for query in self.queries]

    def _prepare(self, table, query):
        method = ascii_upper(query.method or "GET")
        template, captured = table.resolve(query.route)
        if template is None or any(name in query.params and not agrees(query.params[name], value)
                                   for name, value in captured.items()):
            return Prepared(None, method, query.caller, {})
        parameters = {**query.params, **captured}
        expression = self.expressions.get((template, method))
        role_groups = {}
        for role in roles_of(expression) if expression else []:
            role_groups[role] = [substitute(t, self.policy.root_group, parameters) for t in self.policy.roles[role]]
        return Prepared(template, method, query.caller, role_groups)


DECK_CALLERS = {
    # The caller of the target: a namespace viewer and four groups that grant nothing here.
    "viewer": ["data/namespaces/testing/viewer", "/ska/users", "services/site-capabilities-api/roles/site-a/viewer",
               "compute/operators", "astronomers"],
    "admin": ["/services/data-management-api/roles/admin", "/ska/users", "compute/operators", "astronomers",
              "data/namespaces/lofar/owner"],
    "developer": ["services/data-management-api/roles/developer", "/ska/users", "data/namespaces/lofar/editor",
                  "compute/operators", "astronomers"],
    # Near misses only: every role of every expression is tried and fails.
    "outsider": ["/ska/users", "data/namespaces/testing/viewers", "services/data-management-api/roles/admins",
                 "data/namespaces/Testing/viewer", "astronomers"],
}


def deck_queries(policy):
    """Every route and method of the deck's policy, for each caller and two namespaces, plus a
    method the route does not allow and a query missing its namespace."""
    queries = []
    for caller in DECK_CALLERS:
        for namespace in ("testing", "lofar"):
            params = {"namespace": namespace, "name": "PTF10tce.fits",
                      "storage_area_uuid": "5c4f1a9e-7d1b-4c38-9a2e-0f3d6b8e2a11"}
            for template, methods in policy.routes.items():
                for method in methods:
                    queries.append(Query(template, method, params, caller))
            queries.append(Query("/data/list/{namespace}", "POST", params, caller))
        queries.append(Query("/data/locate/{namespace}/{name}", "GET", {"name": "PTF10tce.fits"}, caller))
    return queries


def deck_workload(policy_path):
    workload = Workload("deck", "deck policy, exact template, 5 groups", policy_path, DECK_CALLERS, [],
                        policyd_rounds=20000, peer_rounds=200)
    workload.queries = deck_queries(workload.policy)
    return workload


def large_workload(data, count):
    with open(os.path.join(data, "caller-groups.json")) as f:
        groups = json.load(f)
    queries = []
    with open(os.path.join(data, "queries.jsonl")) as f:
        for line in f:
            if line.strip() and len(queries) < count:
                source = json.loads(line)
                queries.append(Query(source["route"], source.get("method"), source.get("params") or {}, "big"))
    return Workload("large", f"1,000 routes, concrete path, {len(groups):,} groups",
                    os.path.join(data, "large", "route-policy.json"), {"big": groups}, queries,
                    policyd_rounds=2000, peer_rounds=20)


# --------------------------------------------------------------------------------------------
# Timing: every engine is timed the same way. A round decides every query of the workload once;
# its time divided by the number of queries is one sample; the figure is the median sample.
# --------------------------------------------------------------------------------------------

PEER_SECONDS = 1.0  # the peers run at least this long (and at least their workload's rounds)


def median_ns_per_decision(decide_all, count, min_rounds):
    """(median ns per decision, rounds run). Rounds go on until both `min_rounds` and
    PEER_SECONDS are reached, so a fast engine gets as many samples as a slow one needs time."""
    decide_all()  # warm-up, untimed
    samples, spent = [], 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: a collection would land in whichever round it happened to hit
    try:
        while len(samples) < min_rounds or spent < PEER_SECONDS * 1e9:
            start = time.perf_counter_ns()
            decide_all()
            elapsed = time.perf_counter_ns() - start
            samples.append(elapsed / count)
            spent += elapsed
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(samples), len(samples)


@dataclass
class Result:
    engine: str
    decisions: list  # is_authorised per query
    median_ns: float
    rounds: int
    notes: list = field(default_factory=list)  # reasons (policyd only), for disagreement reports
    detail: str = ""  # printed under the table


# --------------------------------------------------------------------------------------------
# policyd
# --------------------------------------------------------------------------------------------

TIMING = re.compile(r"timing: (\d+) decisions x (\d+) rounds: median (\d+) ns per decision \((\d+) allowed\)")


def write_batch(workload, path):
    """JSON lines of `policyc eval --batch`; each caller's groups are serialised once, since the
    large caller's 10,000 groups are repeated on every line."""
    groups_json = {name: json.dumps(groups) for name, groups in workload.callers.items()}
    with open(path, "w") as f:
        for query in workload.queries:
            head = json.dumps({"type": "route", "service": workload.policy.name, "version": None,
                               "route": query.route, "method": query.method, "params": query.params})
            f.write(head[:-1] + ', "groups": ' + groups_json[query.caller] + "}\n")


def run_policyd(policyc, workload, scratch):
    # --policies takes a directory: give it one holding only this workload's policy.
    policies = os.path.join(scratch, workload.name, "policies")
    os.makedirs(policies, exist_ok=True)
    shutil.copy(workload.policy_path, os.path.join(policies, "policy.json"))
    batch = os.path.join(scratch, workload.name, "batch.jsonl")
    write_batch(workload, batch)
    command = [policyc, "eval", "--policies", policies, "--batch", batch,
               "--timing-rounds", str(workload.policyd_rounds)]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({finished.returncode}):\n{finished.stderr}")
    answers = [json.loads(line) for line in finished.stdout.splitlines() if line.strip()]
    timing = TIMING.search(finished.stderr)
    if timing is None:
        raise RuntimeError(f"no timing line from policyc on standard error:\n{finished.stderr}")
    decided, rounds, median, allowed = map(int, timing.groups())
    decisions = [answer["is_authorised"] for answer in answers]
    if len(answers) != len(workload.queries) or decided != len(answers):
        raise RuntimeError(f"policyc answered {len(answers)} lines and timed {decided}, for {len(workload.queries)} queries")
    if allowed != rounds * sum(decisions):
        raise RuntimeError(f"policyc's timed rounds allowed {allowed}, expected {rounds} x {sum(decisions)}")
    return Result("policyd", decisions, float(median), rounds, [answer.get("reason", "") for answer in answers])


# --------------------------------------------------------------------------------------------
# Cedar
#
# One `permit` per route and method, its scope naming the action (the method) and the resource
# (the route template), its `when` the role expression. The caller is a User entity whose
# parents are its groups (Group entities), so "holds a group" is Cedar's own `principal in ...`,
# answered from the entity hierarchy Cedar computes when the entities are parsed. A role is
# `principal in context["role"]`, the context carrying the role's templates as substituted for
# this request (the set is empty when none is usable); a role with no groups is `true`.
# --------------------------------------------------------------------------------------------

def cedar_string(text):
    return '"' + "".join({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}.get(c, c)
                         for c in text) + '"'


def cedar_policies(workload):
    """(template, METHOD) -> the Cedar `permit` of that route and method."""
    roles = workload.policy.roles

    def role_text(name):
        return "true" if not roles[name] else f"principal in context[{cedar_string(name)}]"

    return {(template, method):
            f"permit (principal, action == Action::{cedar_string(method)}, resource == Route::{cedar_string(template)})\n"
            f"when {{ {render(expression, role_text)} }};"
            for (template, method), expression in sorted(workload.expressions.items())}


def cedar_entities(workload):
    return [{"uid": {"type": "User", "id": name}, "attrs": {},
             "parents": [{"type": "Group", "id": g} for g in dict.fromkeys(normalise(g) for g in groups)]}
            for name, groups in workload.callers.items()]


def cedar_request(prepared):
    context = {role: [{"__entity": {"type": "Group", "id": g}} for g in groups if g is not None]
               for role, groups in prepared.role_groups.items()}
    return {"principal": {"type": "User", "id": prepared.caller},
            "action": {"type": "Action", "id": prepared.method},
            "resource": {"type": "Route", "id": prepared.template or ""},
            # Serialised here, untimed: cedarpy accepts the context as a JSON string.
            "context": json.dumps(context)}


def check_cedar_answers(answers):
    errors = [(i, a.diagnostics.errors) for i, a in enumerate(answers) if a.diagnostics.errors]
    if errors:
        raise RuntimeError(f"cedar evaluation errors (the translation is wrong): {errors[:3]}")
    return [a.allowed for a in answers]


def cedar_own_time(answers):
    """Cedar reports the time its authoriser took, in whole microseconds, binding excluded: it
    shows how much of a decision is Cedar and how much the Python binding around it."""
    micros = statistics.median(a.metrics.get("authz_duration_micros", 0) for a in answers)
    return f"Cedar's own authorisation time (metrics.authz_duration_micros): median {micros:g} us per request"


def run_cedar(workload, prepared):
    """Two figures. `cedarpy`: one batch call over the whole policy set, which is what Cedar is
    given when it holds the service's policy; Cedar has no index, so it tries every policy's scope
    for every request. `cedarpy, sliced`: each request is asked of a policy set holding only its
    own route and method's policy (Cedar's "policy slicing", done here by the harness), one batch
    call per slice: the most favourable setting for Cedar."""
    # Parsed once, outside the timed region, and reused: policyd too compiles its policies at
    # load and hashes a caller's groups once per token.
    statements = cedar_policies(workload)
    entities = cedarpy.Entities.from_json_str(json.dumps(cedar_entities(workload)))
    requests = [cedar_request(p) for p in prepared]
    whole = cedarpy.PolicySet.from_str("\n\n".join(statements.values()))

    def decide_whole():
        return cedarpy.is_authorized_batch(requests, whole, entities)

    median, rounds = median_ns_per_decision(decide_whole, len(requests), workload.peer_rounds)
    answers = decide_whole()  # warm, so that Cedar's own timings are representative
    results = [Result("cedarpy", check_cedar_answers(answers), median, rounds, detail=cedar_own_time(answers))]

    slices = {}  # (template, METHOD) -> (policy set, request indices, requests)
    for index, p in enumerate(prepared):
        key = (p.template, p.method)
        if key not in slices:
            slices[key] = (cedarpy.PolicySet.from_str(statements.get(key, "")), [], [])
        slices[key][1].append(index)
        slices[key][2].append(requests[index])

    def decide_sliced():
        answers = [None] * len(requests)
        for policy_set, indices, batch in slices.values():
            for index, answer in zip(indices, cedarpy.is_authorized_batch(batch, policy_set, entities)):
                answers[index] = answer
        return answers

    median, rounds = median_ns_per_decision(decide_sliced, len(requests), workload.peer_rounds)
    answers = decide_sliced()
    results.append(Result("cedarpy, sliced", check_cedar_answers(answers), median, rounds,
                          detail=cedar_own_time(answers)))
    return results


# --------------------------------------------------------------------------------------------
# Casbin
#
# Casbin's ABAC-with-rules model: one policy line per route and method, (rule, template,
# method), the rule being the role expression written as a matcher condition and evaluated by
# `eval(p.rule)`. FastEnforcer indexes the lines by (template, method), so a request is matched
# against the one line of its route and method rather than all of them. A role is
# `hasGroup(r.sub, r.t.<role>_<n>) || ...` over its templates, as substituted for this request
# (None when unusable); hasGroup is a custom matcher function looking the group up in the
# caller's frozenset, built once per caller.
#
# Why not Casbin's `g` for groups: its default role manager answers has_link by walking every
# role of the user, about 1 ms per check for a caller of 10,000 groups. Why not `x in
# r.sub.groups`: the expression evaluator (simpleeval) inspects every element of any container
# an expression yields, also O(10,000) per check. The custom function avoids both.
# --------------------------------------------------------------------------------------------

CASBIN_MODEL = """
[request_definition]
r = sub, obj, act, t

[policy_definition]
p = rule, obj, act

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.obj == p.obj && r.act == p.act && eval(p.rule)
"""


class CasbinCaller:
    """The request subject. Casbin formats every request into a log line, enabled or not, so
    its text is kept short."""
    __slots__ = ("name", "groups")

    def __init__(self, name, groups):
        self.name = name
        self.groups = frozenset(normalise(g) for g in groups)

    def __repr__(self):
        return self.name


class CasbinGroups:
    """The substituted templates of a request, one attribute per (role, template)."""

    def __init__(self, values):
        self.__dict__.update(values)

    def __repr__(self):
        return "groups"


def casbin_attributes(roles):
    """(role, template index) -> an attribute name simpleeval accepts: an identifier not
    starting with '_', unique even when two role names differ only in punctuation."""
    names, taken = {}, set()
    for role, templates in roles.items():
        for index in range(len(templates)):
            base = "role_" + re.sub(r"\W", "_", role) + f"_{index}"
            name, suffix = base, 1
            while name in taken:
                name, suffix = f"{base}_{suffix}", suffix + 1
            taken.add(name)
            names[(role, index)] = name
    return names


def casbin_rule(expression, roles, attributes):
    def role_text(name):
        if not roles[name]:
            return "True"
        checks = [f"hasGroup(r.sub, r.t.{attributes[(name, i)]})" for i in range(len(roles[name]))]
        return checks[0] if len(checks) == 1 else "(" + " || ".join(checks) + ")"

    return render(expression, role_text)


def casbin_enforcer(workload, attributes):
    model = FastModel([1, 2])  # index policy lines by p[1], p[2]: template and method
    model.load_model_from_text(CASBIN_MODEL)
    enforcer = casbin.FastEnforcer(model, None, cache_key_order=[1, 2])
    enforcer.add_function("hasGroup", lambda caller, group: group in caller.groups)
    lines = [[casbin_rule(expression, workload.policy.roles, attributes), template, method]
             for (template, method), expression in sorted(workload.expressions.items())]
    enforcer.add_policies(lines)
    return enforcer


def casbin_decide(enforcer, request):
    try:
        return enforcer.enforce(*request)
    except RuntimeError as error:
        # pycasbin raises, rather than denying, when no policy line exists for the request's
        # (template, method) and the matcher uses eval(): no line, no permission.
        if "rule exists in policy" in str(error):
            return False
        raise


def run_casbin(workload, prepared):
    attributes = casbin_attributes(workload.policy.roles)
    enforcer = casbin_enforcer(workload, attributes)
    callers = {name: CasbinCaller(name, groups) for name, groups in workload.callers.items()}
    requests = []
    for p in prepared:
        values = {attributes[(role, i)]: group for role, groups in p.role_groups.items()
                  for i, group in enumerate(groups)}
        requests.append((callers[p.caller], p.template or "", p.method, CasbinGroups(values)))

    def decide_all():
        return [casbin_decide(enforcer, request) for request in requests]

    median, rounds = median_ns_per_decision(decide_all, len(requests), workload.peer_rounds)
    return Result("casbin", decide_all(), median, rounds)


# --------------------------------------------------------------------------------------------
# Agreement and the report
# --------------------------------------------------------------------------------------------

def disagreements(workload, results):
    found = []
    reference = results[0]
    for index, query in enumerate(workload.queries):
        answers = {r.engine: r.decisions[index] for r in results}
        if len(set(answers.values())) > 1:
            groups = workload.callers[query.caller]
            shown = groups if len(groups) <= 8 else f"<{len(groups):,} groups of caller {query.caller!r}>"
            found.append(f"  {workload.name} query {index}: route={query.route!r} method={query.method!r} "
                         f"params={json.dumps(query.params)} groups={shown}\n"
                         f"    answers {answers}; policyd's reason: {reference.notes[index]}")
    return found


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs, {model}, {platform.system()} {platform.machine()}"


def print_table(rows):
    header = ("workload", "engine", "decisions", "allowed", "rounds", "median ns/decision", "peer/policyd",
              "policyd >= 30x faster")
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    right = {2, 3, 4, 5, 6}
    for row in [header] + rows:
        print("  ".join(str(cell).rjust(w) if i in right else str(cell).ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())


# --------------------------------------------------------------------------------------------
# Whole process: policyc's whole run (start, load, read, decide, write) on the batch workloads of
# scripts/bench-batch, against Cedar's calls alone on the same decisions.
# --------------------------------------------------------------------------------------------

WHOLE_PROCESS_RUNS = 3


def batch_workloads(manifest_path, cedar_sample):
    """The workloads of Benchmarks/batch/batch_workloads.py, as `Workload`s of the first
    `cedar_sample` queries each (Cedar's share of the comparison); the batch files are policyc's."""
    with open(manifest_path) as f:
        manifest = json.load(f)
    workloads = []
    for entry in manifest:
        with open(entry["callers"]) as f:
            source = json.load(f)
        queries = [Query(q["route"], q["method"], q["params"], q["caller"]) for q in source["queries"][:cedar_sample[entry["name"]]]]
        workload = Workload(f"{entry['name']} (batch)", entry["description"], entry["policy"], source["callers"], queries,
                            policyd_rounds=1, peer_rounds=3)
        workloads.append((entry, workload))
    return workloads


def run_policyc_whole(policyc, entry):
    """The median wall time of policyc's whole process over WHOLE_PROCESS_RUNS runs, and its answers."""
    times, answers = [], None
    for _ in range(WHOLE_PROCESS_RUNS):
        start = time.perf_counter_ns()
        finished = subprocess.run([policyc, "eval", "--policies", entry["policies"], "--batch", entry["batch"]],
                                  capture_output=True)
        times.append(time.perf_counter_ns() - start)
        if finished.returncode != 0:
            raise RuntimeError(f"policyc eval --batch {entry['batch']} failed:\n{finished.stderr.decode()}")
        answers = finished.stdout
    return statistics.median(times), [b'"is_authorised": true' in line for line in answers.splitlines()]


def whole_process(policyc, manifest_path):
    rows, problems = [], []
    for entry, workload in batch_workloads(manifest_path, {"deck": 20_000, "large": 300}):
        print(f"{workload.name}: policyc's whole process on {entry['queries']:,} queries "
              f"({entry['bytes'] / 1e6:.0f} MB), median of {WHOLE_PROCESS_RUNS}; Cedar's calls on the first "
              f"{len(workload.queries):,}", flush=True)
        wall_ns, decisions = run_policyc_whole(policyc, entry)
        cedar = run_cedar(workload, workload.prepare())[0]
        for index, allowed in enumerate(cedar.decisions):
            if decisions[index] != allowed:
                problems.append(f"  {workload.name} query {index}: policyc {decisions[index]}, cedarpy {allowed}")
        per_decision = wall_ns / entry["queries"]
        ratio = cedar.median_ns / per_decision
        rows.append((workload.name, "policyc, whole process", entry["queries"], f"{wall_ns / 1e9:.2f} s",
                     f"{per_decision:,.0f}", "-"))
        rows.append((workload.name, "cedarpy, calls alone", len(cedar.decisions), "-", f"{cedar.median_ns:,.0f}",
                     f"{ratio:,.1f}x " + ("met" if ratio >= TARGET_RATIO else "NOT met")))
    header = ("workload", "engine", "decisions", "wall", "ns/decision", "policyc faster")
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    print()
    for row in [header] + rows:
        print("  ".join(str(cell).rjust(w) if i in (2, 3, 4, 5) else str(cell).ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policyc", required=True, help="the policyc executable (a release build)")
    parser.add_argument("--deck-policy", required=True, help="policies/data-management-api.json")
    parser.add_argument("--data", required=True, help="the output of scripts/generate-bench-data")
    parser.add_argument("--large-queries", type=int, default=200,
                        help="the first N lines of queries.jsonl (each batch line carries 10,000 groups)")
    parser.add_argument("--scratch", help="where to write policyc's batch files (default: a temporary directory, removed)")
    parser.add_argument("--batch-workloads", help="workloads.json of Benchmarks/batch/batch_workloads.py: also "
                        "compare policyc's whole process on them with Cedar's calls")
    args = parser.parse_args()

    workloads = [deck_workload(args.deck_policy), large_workload(args.data, args.large_queries)]
    print(f"policyd vs cedarpy {importlib.metadata.version('cedarpy')} and casbin {importlib.metadata.version('casbin')} "
          f"(simpleeval {importlib.metadata.version('simpleeval')}), Python {platform.python_version()}")
    print(f"machine: {machine()}")
    print()

    rows, details, problems = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as temporary:
        scratch = args.scratch or temporary
        for workload in workloads:
            print(f"{workload.name}: {workload.description}; {len(workload.queries)} queries; rounds: "
                  f"policyd {workload.policyd_rounds}, peers at least {workload.peer_rounds} and {PEER_SECONDS:g} s",
                  flush=True)
            prepared = workload.prepare()
            results = [run_policyd(args.policyc, workload, scratch),
                       *run_cedar(workload, prepared),
                       run_casbin(workload, prepared)]
            problems += disagreements(workload, results)
            baseline = results[0].median_ns
            details += [f"{workload.name}, {r.engine}: {r.detail}" for r in results if r.detail]
            for result in results:
                ratio = result.median_ns / baseline
                target = "-" if result.engine == "policyd" else ("met" if ratio >= TARGET_RATIO else "NOT met")
                rows.append((workload.name, result.engine, len(result.decisions), sum(result.decisions),
                             f"{result.rounds:,}", f"{result.median_ns:,.0f}", f"{ratio:,.1f}x", target))

    print()
    print_table(rows)
    print()
    print("\n".join(details))
    if args.batch_workloads:
        print()
        problems += whole_process(args.policyc, args.batch_workloads)
    if problems:
        print(f"\nthe engines disagree on {len(problems)} decisions:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    print("\nall three engines agree on every decision")
    return 0


if __name__ == "__main__":
    sys.exit(main())
