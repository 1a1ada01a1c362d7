#!/usr/bin/env python3
"""Three policyd replicas on loopback behind a real HAProxy, under steady load, every answer checked.

What an operator of the central Permissions API does, proven end to end (issue #24, docs/deployment.md
"Replicas behind HAProxy"):

1. Rolling restart: each replica in turn gets SIGTERM (its /v1/health turns 503 for --drain-seconds,
   HAProxy's health check takes it out, it answers what is in flight and exits), is started again on
   the same port and audit log, and is back in HAProxy's pool before the next goes. No answer may be
   lost or wrong.
2. Policy change: one policy file of the directory all replicas watch is replaced (atomically, as a
   ConfigMap update or a deployment tool does). Each replica must serve the new set within the watch
   interval plus a second; afterwards all report one revision, equal to `policyc revision`.
3. Audit: the audit records of all replicas add up to the decisions answered.
4. Shadow: every replica runs the changed set as its --shadow-policies candidate from the start, so
   that the change is seen on live traffic before it is made: each call the live set allows and the
   candidate would deny carries a `shadow` member in its audit record, and `policyc shadow-report`
   over the replicas' audit logs is printed (the README shows one).

Every answer is checked against the policy revision that made it (the answer's X-Policy-Revision):
a caller the old set allows and the new set denies must be allowed exactly by the old revision.

Standard library only. Usage: replica_test.py --policyd BIN --policyc BIN --haproxy BIN --work DIR
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

ISSUER = "https://ska-iam.stfc.ac.uk"
SERVICE = "data-management-api"
LIST_ROUTE = "/data/list/{namespace}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fail(message):
    print(f"test-replicas: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


class Replica:
    def __init__(self, index, arguments, work):
        self.name = f"r{index}"
        self.port = free_port()
        self.audit_log = os.path.join(work, f"audit-{self.name}.log")
        self.log = os.path.join(work, f"policyd-{self.name}.log")
        self.arguments = arguments + ["--port", str(self.port), "--audit-log", self.audit_log]
        self.process = None

    def start(self):
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(self.arguments, stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"{self.name} exited at start: see {self.log}:\n{open(self.log).read()[-2000:]}")
            try:
                if self.health()["status"] == "UP":
                    return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        fail(f"{self.name} never served /v1/health")

    def health(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/v1/health")
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            fail(f"{self.name} did not exit within 30 s of SIGTERM")
        if code != 0:
            fail(f"{self.name} exited {code} on SIGTERM: see {self.log}")


class HAProxy:
    def __init__(self, binary, work, replicas, drain):
        self.port = free_port()
        self.socket_path = os.path.join(work, "haproxy.sock")
        self.configuration = os.path.join(work, "haproxy.cfg")
        template = open(os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "haproxy", "policyd.cfg")).read()
        servers = "\n".join(
            f"    server {replica.name} 127.0.0.1:{replica.port} check" for replica in replicas
        )
        text = (template.replace("127.0.0.1:8000", f"127.0.0.1:{self.port}")
                .replace("/run/haproxy/admin.sock", self.socket_path))
        # The shipped file names one example server; the test puts its three replicas there.
        marker = "    server policyd-1 127.0.0.1:8080 check\n"
        if marker not in text:
            fail("deploy/haproxy/policyd.cfg no longer has its example server line")
        text = text.replace(marker, servers + "\n")
        with open(self.configuration, "w") as out:
            out.write(text)
        check = subprocess.run([binary, "-c", "-f", self.configuration], capture_output=True, text=True)
        if check.returncode != 0:
            fail(f"haproxy -c refused the configuration:\n{check.stdout}{check.stderr}")
        self.log = os.path.join(work, "haproxy.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([binary, "-db", "-f", self.configuration], stdout=log, stderr=log)

    def command(self, text):
        with socket.socket(socket.AF_UNIX) as admin:
            admin.connect(self.socket_path)
            admin.sendall(text.encode() + b"\n")
            chunks = []
            while True:
                chunk = admin.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks).decode()

    def server_states(self):
        """Each server's operational state as `show stat` reports it (UP, DOWN, NOLB, MAINT...)."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        states = {}
        for line in lines[1:]:
            fields = dict(zip(header, line.split(",")))
            if fields.get("pxname") == "policyd_replicas" and fields.get("svname") not in ("FRONTEND", "BACKEND"):
                states[fields["svname"]] = fields["status"]
        return states

    def wait_until(self, name, wanted, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.server_states().get(name, "").startswith(wanted):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        fail(f"HAProxy never saw {name} {wanted} within {seconds} s: {self.server_states()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Load:
    """Threads sending authorisation calls through HAProxy, each answer checked against the revision
    that made it. `expected(call, revision)` gives the answer a revision must give."""

    def __init__(self, port, calls, expected, threads):
        self.port, self.calls, self.expected = port, calls, expected
        self.lock = threading.Lock()
        self.answers = 0
        self.errors = []
        self.wrong = []
        self.revisions = {}
        self.by_call_and_revision = {}
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(index,), daemon=True) for index in range(threads)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def counts(self):
        with self.lock:
            return self.answers, len(self.errors), len(self.wrong)

    def run(self, index):
        connection = None
        turn = index
        while not self.stopping.is_set():
            call = self.calls[turn % len(self.calls)]
            turn += 1
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("POST", call["target"], body=call["body"], headers=call["headers"])
                response = connection.getresponse()
                body = response.read()
                revision = response.getheader("X-Policy-Revision")
                if response.status != 200:
                    raise RuntimeError(f"status {response.status}: {body[:200]!r}")
                answer = json.loads(body)["is_authorised"]
            except Exception as error:  # every failure of a call is counted, never hidden
                with self.lock:
                    self.errors.append(f"{call['name']}: {error!r}")
                if connection is not None:
                    connection.close()
                connection = None
                continue
            with self.lock:
                self.answers += 1
                self.revisions[revision] = self.revisions.get(revision, 0) + 1
                key = (call["name"], revision)
                self.by_call_and_revision[key] = self.by_call_and_revision.get(key, 0) + 1
                wanted = self.expected(call["name"], revision)
                if wanted is None or answer != wanted:
                    self.wrong.append(f"{call['name']} under {revision}: {answer}, expected {wanted}")
        if connection is not None:
            connection.close()


def mint(policyc, group, subject):
    return subprocess.run(
        [policyc, "token", "mint", "--key", "fixtures/dev/signing-key.pem", "--issuer", ISSUER,
         "--audience", SERVICE, "--scope", f"{SERVICE}-service", "--group", group, "--subject", subject,
         "--lifetime", "3600"],
        check=True, capture_output=True, text=True).stdout.strip()


def revision_of(policyc, directory):
    return subprocess.run([policyc, "revision", directory], check=True, capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policyd", required=True)
    parser.add_argument("--policyc", required=True)
    parser.add_argument("--haproxy", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--watch-interval", type=float, default=1)
    parser.add_argument("--drain-seconds", type=float, default=1)
    parser.add_argument("--steady-seconds", type=float, default=2)
    options = parser.parse_args()

    live = os.path.join(options.work, "policies")
    shutil.copytree("policies", live)
    policy_file = os.path.join(live, f"{SERVICE}.json")
    before = revision_of(options.policyc, live)
    # The change: a namespace viewer may no longer list the namespace (the deck's policy without
    # `namespace-viewer` on GET /data/list/{namespace}).
    changed = json.load(open(policy_file))
    rule = changed["routes"][LIST_ROUTE]["GET"]
    changed["routes"][LIST_ROUTE]["GET"] = rule.replace(" or namespace-viewer", "")
    if changed["routes"][LIST_ROUTE]["GET"] == rule:
        fail(f"the shipped {SERVICE} policy no longer grants namespace-viewer on GET {LIST_ROUTE}")
    candidate = os.path.join(options.work, "candidate")
    shutil.copytree(live, candidate)
    with open(os.path.join(candidate, f"{SERVICE}.json"), "w") as out:
        json.dump(changed, out, indent=2)
    after = revision_of(options.policyc, candidate)
    if after == before:
        fail("the changed policy set has the revision of the old one")

    viewer = mint(options.policyc, "data/namespaces/testing/viewer", "replica-viewer")
    editor = mint(options.policyc, "data/namespaces/testing/editor", "replica-editor")
    outsider = mint(options.policyc, "data/namespaces/other/viewer", "replica-outsider")
    query = f"route={LIST_ROUTE.replace('/', '%2F').replace('{', '%7B').replace('}', '%7D')}&method=GET"
    target = f"/v1/authorise/route/{SERVICE}?{query}"
    body = json.dumps({"namespace": "testing"})
    calls = [
        {"name": "viewer lists testing", "token": viewer},
        {"name": "editor lists testing", "token": editor},
        {"name": "outsider lists testing", "token": outsider},
    ]
    for call in calls:
        call.update(target=target, body=body,
                    headers={"Authorization": f"Bearer {call.pop('token')}", "Content-Type": "application/json"})
    answers = {
        before: {"viewer lists testing": True, "editor lists testing": True, "outsider lists testing": False},
        after: {"viewer lists testing": False, "editor lists testing": True, "outsider lists testing": False},
    }

    def expected(name, revision):
        return answers.get(revision, {}).get(name)

    arguments = [options.policyd, "--dev", "--host", "127.0.0.1", "--policies", live, "--shadow-policies", candidate,
                 "--watch-interval", f"{options.watch_interval:g}", "--drain-seconds", f"{options.drain_seconds:g}",
                 "--log-level", "warning"]
    replicas = [Replica(index, arguments, options.work) for index in range(1, options.replicas + 1)]
    for replica in replicas:
        replica.start()
        served = replica.health().get("policy_revision")
        if served != before:
            fail(f"{replica.name} serves revision {served}, policyc revision says {before}")
    haproxy = HAProxy(options.haproxy, options.work, replicas, options.drain_seconds)
    for replica in replicas:
        haproxy.wait_until(replica.name, "UP", 10)

    load = Load(haproxy.port, calls, expected, options.threads)
    started = time.monotonic()
    load.start()
    time.sleep(options.steady_seconds)
    figures = {"steady": load.counts()}

    # 1. Rolling restart.
    restarts = []
    for replica in replicas:
        begun = time.monotonic()
        replica.stop()
        stopped = time.monotonic()
        replica.start()
        haproxy.wait_until(replica.name, "UP", 15)
        restarts.append((replica.name, stopped - begun, time.monotonic() - begun))
    figures["rolling restart"] = load.counts()
    time.sleep(options.steady_seconds / 2)

    # 2. A policy change, written as a deployment tool writes it: a new file renamed over the old.
    staging = policy_file + ".new"
    shutil.copyfile(os.path.join(candidate, f"{SERVICE}.json"), staging)
    changed_at = time.monotonic()
    os.replace(staging, policy_file)
    convergence = {}
    limit = options.watch_interval + 1
    while len(convergence) < len(replicas) and time.monotonic() - changed_at < limit + 5:
        for replica in replicas:
            if replica.name not in convergence and replica.health().get("policy_revision") == after:
                convergence[replica.name] = time.monotonic() - changed_at
        time.sleep(0.02)
    time.sleep(options.steady_seconds / 2)
    load.stop()
    elapsed = time.monotonic() - started
    figures["policy change"] = load.counts()
    served = {replica.name: replica.health().get("policy_revision") for replica in replicas}

    # 3. Stopping flushes every audit log; their records must add up to the answers.
    for replica in replicas:
        replica.stop()
    haproxy.stop()
    audited = {}
    shadowed = 0
    for replica in replicas:
        with open(replica.audit_log) as log:
            records = [json.loads(line) for line in log if line.strip()]
        audited[replica.name] = sum(1 for record in records if record.get("endpoint") == "authorise")
        shadowed += sum(1 for record in records if "shadow" in record)
    differing = load.by_call_and_revision.get(("viewer lists testing", before), 0)
    report = subprocess.run(
        [options.policyc, "shadow-report", "--format", "markdown"] + [replica.audit_log for replica in replicas],
        capture_output=True, text=True)

    answered, errors, wrong = load.counts()
    print(f"replicas: {len(replicas)} policyd behind HAProxy, {options.threads} client threads, {elapsed:.1f} s")
    print(f"  answers: {answered} ({answered / elapsed:.0f}/s), errors: {errors}, wrong: {wrong}")
    for phase, (phase_answers, phase_errors, phase_wrong) in figures.items():
        print(f"  after {phase}: {phase_answers} answers, {phase_errors} errors, {phase_wrong} wrong")
    for name, stop_seconds, back_seconds in restarts:
        print(f"  restart {name}: stopped after {stop_seconds:.2f} s (drain), back in the pool after {back_seconds:.2f} s")
    for replica in replicas:
        took = convergence.get(replica.name)
        print(f"  policy change reached {replica.name} in " + (f"{took:.2f} s" if took is not None else "never"))
    print(f"  revisions served: before {before}, after {after}; answers by revision: {load.revisions}")
    print(f"  audit records: {audited} = {sum(audited.values())}")
    print(f"  shadow differences recorded: {shadowed} (the viewer's calls the old revision allowed: {differing})")
    print("policyc shadow-report --format markdown (the replicas' audit logs):")
    print(report.stdout)

    problems = []
    if errors:
        problems.append(f"{errors} calls failed, first: {load.errors[:3]}")
    if wrong:
        problems.append(f"{wrong} wrong answers, first: {load.wrong[:3]}")
    late = [name for name in served if convergence.get(name) is None or convergence[name] > limit]
    if late:
        problems.append(f"the change did not reach {late} within {limit:g} s")
    if set(served.values()) != {after}:
        problems.append(f"replicas serve {served}, policyc revision says {after}")
    if sum(audited.values()) != answered:
        problems.append(f"audit records {sum(audited.values())} != answers {answered}")
    if shadowed != differing:
        problems.append(f"{shadowed} shadow differences recorded, {differing} calls the candidate would deny")
    if report.returncode != 0 or f"| 0 | {differing} |" not in report.stdout:
        problems.append(f"policyc shadow-report failed, or does not show the {differing} would-deny: {report.stderr[-500:]}")
    if before not in load.revisions or after not in load.revisions:
        problems.append(f"answers did not come from both revisions: {load.revisions}")
    if problems:
        fail("; ".join(problems))
    print("test-replicas: passed")


if __name__ == "__main__":
    main()
