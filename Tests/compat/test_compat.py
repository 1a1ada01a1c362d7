"""Compatibility test: calls a running policyd exactly as the SRCNet services' Python client calls the
Permissions API, on the shipped policies.

The client (``ska_src_permissions_api`` as the Data Management API uses it) does, per request::

    POST {base}/v1/authorise/route/{service}?route=<template>&method=<METHOD>&version=<v>&token=<t>
    body: the request's path parameters as a JSON object

and reads ``is_authorised`` from the answer, treating anything else (no field, an error document, an
error status) as a denial. The exchange and plugin calls have the same shape.

Environment:
  POLICYD_URL          base URL of the server, e.g. http://127.0.0.1:8080 (required)
  POLICYD_MINT         a command that prints a token when given ``--issuer I --audience A [--group G]...
                       [--scope S] [--lifetime N]``, e.g. ``.build/debug/policyc token mint --key
                       fixtures/dev/signing-key.pem``; the server must trust its key (``policyd --dev``)
  POLICYD_TOKENS_FILE  instead of POLICYD_MINT: a JSON object of pre-minted tokens by the names of
                       ``SCENARIOS`` below; tests whose token is missing are skipped
"""

import http.client
import json
import os
import shlex
import socket
import subprocess
from functools import lru_cache

import pytest
import requests

BASE = os.environ.get("POLICYD_URL", "").rstrip("/")
if not BASE:
    pytest.skip("POLICYD_URL is not set", allow_module_level=True)

SESSION = requests.Session()
TIMEOUT = 10


# -- the client, as the SRCNet services call it -------------------------------------------------------

def is_authorised(response):
    """The client's reading of an answer: only a JSON ``is_authorised: true`` allows."""
    try:
        return response.ok and response.json().get("is_authorised") is True
    except ValueError:
        return False


def authorise_route(service, route, method=None, version=None, token=None, body=None, headers=None):
    params = {"route": route, "method": method, "version": version, "token": token}
    return SESSION.post(f"{BASE}/v1/authorise/route/{service}", params=params, json=body or {},
                        headers=headers, timeout=TIMEOUT)


def authorise_exchange(service, token, version=None, body=None):
    params = {"token": token, "version": version}
    return SESSION.post(f"{BASE}/v1/authorise/exchange/{service}", params=params, json=body or {},
                        timeout=TIMEOUT)


def authorise_plugin(service, token, body, version=None):
    params = {"token": token, "version": version}
    return SESSION.post(f"{BASE}/v1/authorise/plugin/{service}", params=params, json=body, timeout=TIMEOUT)


# -- tokens ----------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def policy(kind, service):
    response = SESSION.get(f"{BASE}/v1/policies/{kind}/{service}/latest", timeout=TIMEOUT)
    assert response.status_code == 200, f"{kind} policy {service} is not loaded"
    return response.json()


def root_group(document):
    return document.get("root_group") or "services/" + document["iam_subgroup_name"]


# name: (policy type, service, groups (with {root_group}), extra claims)
SCENARIOS = {
    "dm_viewer_testing": ("route", "data-management-api", ["data/namespaces/testing/viewer"], {}),
    "dm_admin": ("route", "data-management-api", ["/{root_group}/roles/admin"], {}),
    "dm_nobody": ("route", "data-management-api", [], {}),
    "dm_no_scope": ("route", "data-management-api", ["data/namespaces/testing/viewer"], {"scope": None}),
    "dm_expired": ("route", "data-management-api", ["data/namespaces/testing/viewer"], {"lifetime": -600}),
    "dm_wrong_audience": ("route", "data-management-api", ["data/namespaces/testing/viewer"],
                          {"audience": "someone-else"}),
    "sites_viewer_skao": ("route", "site-capabilities-api", ["{root_group}/roles/SKAO/viewer"], {}),
    "exchange_service": ("exchange", "data-management-api", ["services/authn-api/roles/service"], {}),
    "exchange_user": ("exchange", "data-management-api", ["users"], {}),
    "exchange_blocked_user": ("exchange", "data-management-api", ["users", "{root_group}/blocked"], {}),
    "storage_reader_a1": ("plugin", "storage", ["{root_group}/areas/a1/read"], {}),
    "echo_member": ("plugin", "echo", ["/services/SKAOSRC/echo/37ff3e9e-0b7e-4bc4-9fe8-8a1e1b0e2f6d"], {}),
    "echo_other_member": ("plugin", "echo", ["services/SKAOSRC/echo/0a3bf4d9-c097-4e13-89a5-b1d8560d8297"], {}),
    "echo_admin": ("plugin", "echo", ["{root_group}/roles/admin"], {}),
}


@lru_cache(maxsize=None)
def token(name):
    kind, service, groups, extra = SCENARIOS[name]
    tokens_file = os.environ.get("POLICYD_TOKENS_FILE")
    mint = os.environ.get("POLICYD_MINT")
    if not mint:
        if tokens_file:
            with open(tokens_file) as handle:
                tokens = json.load(handle)
            if name in tokens:
                return tokens[name]
        pytest.skip(f"no token for scenario {name}: set POLICYD_MINT or POLICYD_TOKENS_FILE")
    document = policy(kind, service)
    command = shlex.split(mint) + [
        "--issuer", document["expected_token_issuer"],
        "--audience", extra.get("audience", document["expected_token_audience"]),
        f"--lifetime={extra.get('lifetime', 600)}",
    ]
    scope = extra.get("scope", document.get("expected_service_token_scope"))
    if scope:
        command += ["--scope", scope]
    for group in groups:
        command += ["--group", group.replace("{root_group}", root_group(document))]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


# -- service endpoints -----------------------------------------------------------------------------------

def test_ping():
    response = SESSION.get(f"{BASE}/v1/ping", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.json()["status"] == "UP"
    assert response.json()["version"]


def test_health_is_up_in_development_mode():
    response = SESSION.get(f"{BASE}/v1/health", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "UP"


def test_policy_listings():
    listing = SESSION.get(f"{BASE}/v1/policies", timeout=TIMEOUT).json()
    names = {(entry["type"], entry["name"]) for entry in listing}
    assert ("route", "data-management-api") in names
    for entry in listing:
        assert set(entry) == {"type", "name", "versions", "latest"}
        assert entry["latest"] == max(entry["versions"])
    types = SESSION.get(f"{BASE}/v1/policies/types", timeout=TIMEOUT).json()
    assert types == sorted({kind for kind, _ in names})
    routes = SESSION.get(f"{BASE}/v1/policies/route/", timeout=TIMEOUT).json()
    assert {entry["name"] for entry in routes} == {name for kind, name in names if kind == "route"}
    entry = SESSION.get(f"{BASE}/v1/policies/route/data-management-api", timeout=TIMEOUT).json()
    assert entry["type"] == "route" and entry["name"] == "data-management-api"
    document = SESSION.get(f"{BASE}/v1/policies/route/data-management-api/1", timeout=TIMEOUT).json()
    assert document["routes"]["/data/list/{namespace}"]["GET"]
    missing = SESSION.get(f"{BASE}/v1/policies/route/no-such-service", timeout=TIMEOUT)
    assert missing.status_code == 404 and "detail" in missing.json()


# -- route authorisation, as the Data Management API asks ------------------------------------------------

def test_namespace_viewer_may_list_the_namespace():
    response = authorise_route("data-management-api", "/data/list/{namespace}", "GET", None,
                               token("dm_viewer_testing"), {"namespace": "testing"})
    assert response.status_code == 200
    assert response.json()["is_authorised"] is True
    assert is_authorised(response)


def test_namespace_viewer_may_not_list_another_namespace():
    response = authorise_route("data-management-api", "/data/list/{namespace}", "GET", None,
                               token("dm_viewer_testing"), {"namespace": "other"})
    assert response.status_code == 200
    assert response.json()["is_authorised"] is False


def test_absent_method_means_get_and_version_may_be_given():
    for version in (None, "1", "latest"):
        response = authorise_route("data-management-api", "/data/list/{namespace}", None, version,
                                   token("dm_viewer_testing"), {"namespace": "testing"})
        assert is_authorised(response), (version, response.text)


def test_admin_lists_everything_and_moves_data():
    assert is_authorised(authorise_route("data-management-api", "/data/list", "GET", "1", token("dm_admin")))
    assert is_authorised(authorise_route("data-management-api", "/data/move", "POST", "1", token("dm_admin")))
    # /data/move has no GET.
    assert not is_authorised(authorise_route("data-management-api", "/data/move", "GET", "1", token("dm_admin")))


def test_download_needs_a_role_on_the_namespace():
    route = "/data/download/{storage_area_uuid}/{namespace}/{name}"
    body = {"storage_area_uuid": "4a6e1f0c", "namespace": "testing", "name": "PTF10tce.fits"}
    assert is_authorised(authorise_route("data-management-api", route, "GET", None, token("dm_viewer_testing"), body))
    assert not is_authorised(authorise_route("data-management-api", route, "GET", None, token("dm_nobody"), body))


def test_bearer_header_is_accepted_instead_of_the_query_token():
    response = authorise_route("data-management-api", "/data/list/{namespace}", "GET", None, None,
                               {"namespace": "testing"},
                               headers={"Authorization": "Bearer " + token("dm_viewer_testing")})
    assert is_authorised(response)


def test_site_scoped_roles():
    viewer = token("sites_viewer_skao")
    assert is_authorised(authorise_route("site-capabilities-api", "/sites/{site}", "GET", None, viewer, {"site": "SKAO"}))
    assert not is_authorised(authorise_route("site-capabilities-api", "/sites/{site}", "GET", None, viewer,
                                             {"site": "OTHER"}))
    assert not is_authorised(authorise_route("site-capabilities-api", "/sites/{site}", "DELETE", None, viewer,
                                             {"site": "SKAO"}))


# -- token failures are denials, never errors ------------------------------------------------------------

@pytest.mark.parametrize("name,reason", [
    ("dm_expired", "token expired"),
    ("dm_wrong_audience", "wrong audience"),
    ("dm_no_scope", "missing scope"),
])
def test_invalid_tokens_are_denied_with_a_reason(name, reason):
    response = authorise_route("data-management-api", "/data/list/{namespace}", "GET", None, token(name),
                               {"namespace": "testing"})
    assert response.status_code == 200
    assert response.json()["is_authorised"] is False
    assert reason in response.json()["reason"]


def test_garbage_and_missing_tokens_are_denied():
    for bad in ("not-a-token", None):
        response = authorise_route("data-management-api", "/data/list/{namespace}", "GET", None, bad,
                                   {"namespace": "testing"})
        assert response.status_code == 200
        assert response.json()["is_authorised"] is False


def test_unknown_service_and_missing_route_are_errors_the_client_reads_as_denials():
    unknown = authorise_route("no-such-service", "/x", "GET", None, token("dm_viewer_testing"))
    assert unknown.status_code == 404 and unknown.json()["detail"]
    assert not is_authorised(unknown)
    missing_route = SESSION.post(f"{BASE}/v1/authorise/route/data-management-api",
                                 params={"token": token("dm_viewer_testing")}, json={}, timeout=TIMEOUT)
    assert missing_route.status_code == 422 and missing_route.json()["detail"]
    assert not is_authorised(missing_route)


# -- exchange and plugin calls ---------------------------------------------------------------------------

def test_exchange():
    assert is_authorised(authorise_exchange("data-management-api", token("exchange_service")))
    assert is_authorised(authorise_exchange("data-management-api", token("exchange_user"), body={"user": "alice"}))
    assert not is_authorised(authorise_exchange("data-management-api", token("exchange_blocked_user"),
                                                body={"user": "mallory"}))
    assert not is_authorised(authorise_exchange("data-management-api", token("dm_viewer_testing")))


def test_plugin():
    reader = token("storage_reader_a1")
    assert is_authorised(authorise_plugin("storage", reader, {"action": "read", "area": "a1"}))
    assert not is_authorised(authorise_plugin("storage", reader, {"action": "read", "area": "a2"}))
    assert not is_authorised(authorise_plugin("storage", reader, {"action": "purge", "area": "a1"}))
    assert is_authorised(authorise_plugin("storage", reader, {"action": "stat"}, version="1"))
    missing_action = authorise_plugin("storage", reader, {"area": "a1"})
    assert missing_action.status_code == 200 and not is_authorised(missing_action)


# -- the site gatekeepers (spec 2.6), byte for byte ------------------------------------------------------
#
# Each site's data-access gatekeeper (nginx with Lua) asks, for every request it guards,
#     POST {base}/v1/authorise/plugin/{service type}?version=latest&token=<the caller's token>
# with no Authorization header, the query in either order (a Lua table's), `token=` empty when the caller
# sent no Bearer token, and the service and the request nested in the body as lua-cjson writes it (members
# in a table's order, `/` escaped as `\/`). Any status but 200 goes to the user as it is.

ECHO_UUID = "37ff3e9e-0b7e-4bc4-9fe8-8a1e1b0e2f6d"


def gatekeeper_body(method="GET", node="SKAOSRC", uuid=ECHO_UUID):
    return ('{"service":{"path":"\\/echo","uuid":"%s","type":"echo","body":{},"node":"%s","method":"%s",'
            '"parameters":{"ID":"test"}}}' % (uuid, node, method)).encode()


def gatekeeper(query, body, service="echo"):
    """One call as the gatekeeper's HTTP client writes it, on a connection of its own: (status, JSON)."""
    host, port = BASE.split("://", 1)[1].split(":")
    request = (f"POST /v1/authorise/plugin/{service}?{query} HTTP/1.1\r\n"
               "Content-Type: application/json\r\n"
               "User-Agent: lua-resty-http/0.17.2 (Lua) ngx_lua/10026\r\n"
               f"Host: {host}:{port}\r\n"
               f"Content-Length: {len(body)}\r\n"
               "\r\n").encode() + body
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, json.loads(response.read())


@pytest.mark.parametrize("order", ["version first", "token first"])
def test_gatekeeper_member_is_granted_every_forwarded_method(order):
    member = token("echo_member")
    query = f"version=latest&token={member}" if order == "version first" else f"token={member}&version=latest"
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        assert gatekeeper(query, gatekeeper_body(method)) == (
            200, {"is_authorised": True, "reason": f"action '{method}' expression true"})


def test_gatekeeper_denials():
    member = f"version=latest&token={token('echo_member')}"
    assert gatekeeper(member, gatekeeper_body(uuid="0a3bf4d9-c097-4e13-89a5-b1d8560d8297")) == (
        200, {"is_authorised": False, "reason": "action 'GET' expression false"})
    assert gatekeeper(f"version=latest&token={token('echo_other_member')}", gatekeeper_body()) == (
        200, {"is_authorised": False, "reason": "action 'GET' expression false"})
    assert gatekeeper(member, gatekeeper_body("PROPFIND")) == (
        200, {"is_authorised": False, "reason": "missing or unknown action"})
    assert gatekeeper(member, b'{"action":"GET"}') == (200, {"is_authorised": False, "reason": "missing or unknown action"})


def test_gatekeeper_empty_node_denies_members_and_admits_admins():
    assert gatekeeper(f"version=latest&token={token('echo_member')}", gatekeeper_body(node="")) == (
        200, {"is_authorised": False, "reason": "action 'GET' expression false"})
    assert gatekeeper(f"version=latest&token={token('echo_admin')}", gatekeeper_body(node="")) == (
        200, {"is_authorised": True, "reason": "action 'GET' expression true"})


@pytest.mark.parametrize("query", ["version=latest&token=", "token=&version=latest"])
def test_gatekeeper_without_a_bearer_token_is_a_denial_with_a_reason(query):
    assert gatekeeper(query, gatekeeper_body()) == (200, {"is_authorised": False, "reason": "missing token"})


def test_gatekeeper_for_a_service_type_without_a_policy_gets_a_not_found():
    status, document = gatekeeper(f"version=latest&token={token('echo_member')}", gatekeeper_body(), service="jupyterhub")
    assert status == 404 and "detail" in document
