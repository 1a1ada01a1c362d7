"""Fixtures of the real-callers suite (scripts/run-real-callers).

Environment:
  POLICYD_URL   base URL of a running policyd started with ``--root-path api`` (the callers ask
                ``/api/v1/...``), e.g. http://127.0.0.1:8080 (required: without it every test is skipped)
  POLICYD_MINT  a command that prints a token when given ``--issuer I --audience A [--group G]...
                [--scope S] [--subject U] [--lifetime=N]``, e.g. ``.build/debug/policyc token mint --key
                fixtures/dev/signing-key.pem``; policyd must trust its key (``policyd --dev``)
"""

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
BASE = os.environ.get("POLICYD_URL", "").rstrip("/")
MINT = os.environ.get("POLICYD_MINT", "")
ISSUER = "https://ska-iam.stfc.ac.uk"
TIMEOUT = 10

SESSION = requests.Session()
SESSION.trust_env = False  # loopback only


def pytest_collection_modifyitems(config, items):
    if BASE and MINT:
        return
    skip = pytest.mark.skip(reason="POLICYD_URL and POLICYD_MINT are not set (scripts/run-real-callers sets them)")
    for item in items:
        if item.get_closest_marker("offline") is None:
            item.add_marker(skip)


def _interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    config.addinivalue_line("markers", "offline: runs without policyd (no POLICYD_URL needed)")
    # SIGTERM (scripts/run-real-callers stopping the run) interrupts like Ctrl-C, so that fixtures are
    # torn down and the guarded service's uvicorn is stopped rather than left running.
    signal.signal(signal.SIGTERM, _interrupted)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@lru_cache(maxsize=None)
def _mint(audience, groups, subject, scope, lifetime):
    command = shlex.split(MINT) + ["--issuer", ISSUER, "--audience", audience, "--subject", subject,
                                   f"--lifetime={lifetime}"]
    if scope:
        command += ["--scope", scope]
    for group in groups:
        command += ["--group", group]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def mint_token(audience, groups=(), subject="alice", scope=None, lifetime=600):
    """A development token of the SKA IAM issuer (cached: one mint per distinct token)."""
    return _mint(audience, tuple(groups), subject, scope, lifetime)


@pytest.fixture(scope="session")
def mint():
    return mint_token


@lru_cache(maxsize=None)
def policy_document(kind, service):
    """The latest loaded policy of that type and service, as policyd serves it (None when absent)."""
    response = SESSION.get(f"{BASE}/api/v1/policies/{kind}/{service}/latest", timeout=TIMEOUT)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="session")
def policy():
    return policy_document


def root_group(document):
    return document.get("root_group") or "services/" + document["iam_subgroup_name"]


# -- the guarded FastAPI service, in a uvicorn subprocess -----------------------------------------------

class GuardedService:
    """The running FastAPI service, and what it asked policyd."""

    def __init__(self, url, record):
        self.url = url
        self.record = Path(record)
        self.session = requests.Session()
        self.session.trust_env = False

    def get(self, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.session.get(self.url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def post(self, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.session.post(self.url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def calls(self):
        """Every call to policyd so far, in order: dicts of service, query (no token), body, status, answer."""
        if not self.record.exists():
            return []
        with open(self.record, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


def _wait_until_serving(url, process, log_path):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait()
    pytest.fail(f"the guarded service never answered {url}:\n{Path(log_path).read_text()}")


@pytest.fixture(scope="session")
def guarded_service():
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="real-callers-"))
    record = workdir / "policyd-answers.jsonl"
    log_path = workdir / "uvicorn.log"
    env = dict(os.environ, POLICYD_URL=BASE, GUARDED_SERVICE_NAME="demo-data-api",
               GUARDED_SERVICE_VERSION="1", GUARDED_SERVICE_RECORD=str(record), PYTHONDONTWRITEBYTECODE="1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "guarded_service:app", "--app-dir", str(HERE),
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}/v1/ping", process, log_path)
        yield GuardedService(f"http://127.0.0.1:{port}", record)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output = log_path.read_text() if log_path.exists() else ""
        if "Traceback" in output:
            sys.stderr.write("== guarded service log\n" + output)
        shutil.rmtree(workdir, ignore_errors=True)
