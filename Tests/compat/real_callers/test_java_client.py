"""opencadc's Java PermissionsAPIClient against policyd, byte for byte (java_client.py), on the shipped
CANFAR policies: canfar-api (Cavern asks PUT /home/{username}), skaha (Skaha asks /skaha) and the
echo plugin (the site gatekeepers' echo: its entry chosen by the body's service.method, spec 2.6), each
asked after an exchange whose answer's ``audience`` is what the user's token is exchanged for. The
fixture exchange policies of fixtures/compat/policies/ pin the audience fallbacks.

Users (groups as policies/ name them):
- alice: a platform user (prototyping-groups/mini-src/platform-users) with a CANFAR home group
  (services/canfar-api/users/alice) and a member of one echo service (services/SKAOSRC/echo/<uuid>);
- carol: a platform user without a home group;
- mallory: a platform user blocked for canfar-api, skaha and echo (services/<service>/blocked);
- eve: only in ``users``, not a platform user;
- admin: services/canfar-api/roles/admin only (may PUT any home, but is no platform user, so may not
  exchange: the exchange comes first).
"""

import pytest

from conftest import BASE, SESSION, mint_token, policy_document
from java_client import (JSONException, PermissionsAPIClient, PermissionsAPIError, exchange_then_plugin,
                         exchange_then_route, get_boolean, get_string_or_null, java_url_encode, org_json)

PLATFORM_USERS = "prototyping-groups/mini-src/platform-users"
ECHO_UUID = "37ff3e9e-0b7e-4bc4-9fe8-8a1e1b0e2f6d"
USERS = {
    "alice": [PLATFORM_USERS, "services/canfar-api/users/alice", f"services/SKAOSRC/echo/{ECHO_UUID}"],
    "carol": [PLATFORM_USERS],
    "mallory": [PLATFORM_USERS, "services/canfar-api/blocked", "services/skaha/blocked", "services/echo/blocked"],
    "eve": ["users"],
    "admin": ["services/canfar-api/roles/admin"],
}
USER_TOKEN_AUDIENCE = "authn-api"  # the expected_token_audience of every shipped exchange policy


def user_token(name):
    """The user's own token, as the Auth API gave it (audience authn-api)."""
    return mint_token(USER_TOKEN_AUDIENCE, USERS[name], subject=name)


def scope_for(audience):
    """The scope the Auth API would put into a token for that audience: the expected_service_token_scope
    of the policy that expects it (none for the CANFAR services)."""
    for entry in SESSION.get(f"{BASE}/api/v1/policies", timeout=10).json():
        if entry["type"] in ("route", "plugin"):
            document = policy_document(entry["type"], entry["name"])
            if document and document.get("expected_token_audience") == audience:
                return document.get("expected_service_token_scope")
    return None


def exchanger(name):
    """The Auth API's token exchange for user ``name``: a token for ``audience`` with the same user."""
    def exchange(audience):
        return mint_token(audience, USERS[name], subject=name, scope=scope_for(audience))
    return exchange


CLIENTS = []


@pytest.fixture
def java():
    """Makes Java clients on the /api base URL; after the test, checks that every answer policyd gave
    them was a decision: status 200, a JSON object with a boolean is_authorised."""
    made = []

    def make(authorization_token=None):
        client = PermissionsAPIClient(f"{BASE}/api", authorization_token=authorization_token)
        made.append(client)
        CLIENTS.append(client)
        return client
    yield make
    for client in made:
        for transfer in client.transfers:
            if transfer.status < 400:
                assert transfer.status == 200, transfer
                assert isinstance(transfer.json.get("is_authorised"), bool), transfer


# -- the bytes (no server needed) -------------------------------------------------------------------

@pytest.mark.offline
@pytest.mark.parametrize("value,encoded", [
    ("/home/{username}", "%2Fhome%2F%7Busername%7D"),
    ("abcXYZ019.-*_", "abcXYZ019.-*_"),
    ("a b+c", "a+b%2Bc"),
    ("~!'()", "%7E%21%27%28%29"),
    ("PUT", "PUT"),
    ("é", "%C3%A9"),
    ("😀", "%F0%9F%98%80"),
    ("\ud800", "%3F"),
    ("a=b&c", "a%3Db%26c"),
    ("", ""),
])
def test_java_url_encoder(value, encoded):
    assert java_url_encode(value) == encoded


@pytest.mark.offline
def test_exchange_request_bytes():
    client = PermissionsAPIClient("http://127.0.0.1:8080/api/")
    query = client.query([("token", "a.b.c"), ("version", "1")])
    request = client.build_request(client.path("exchange", "canfar-api"), query, b"")
    assert request == (b"POST /api/v1/authorise/exchange/canfar-api?token=a.b.c&version=1 HTTP/1.1\r\n"
                       b"Accept: application/json\r\n"
                       b"Content-Type: application/json\r\n"
                       b"User-Agent: Java/21.0.5\r\n"
                       b"Host: 127.0.0.1:8080\r\n"
                       b"Connection: keep-alive\r\n"
                       b"Content-Length: 0\r\n"
                       b"\r\n")


@pytest.mark.offline
def test_route_request_bytes_with_the_callers_own_token_in_a_header():
    client = PermissionsAPIClient("http://127.0.0.1:8080/api", authorization_token="own.tok.en")
    query = client.query([("route", "/home/{username}"), ("token", "ex.tok.en"), ("method", "put"),
                          ("version", "1")])
    body = org_json({"username": "alice"}).encode()
    request = client.build_request(client.path("route", "canfar-api"), query, body)
    head, sent_body = request.split(b"\r\n\r\n", 1)
    assert head.split(b"\r\n")[0] == (b"POST /api/v1/authorise/route/canfar-api"
                                      b"?route=%2Fhome%2F%7Busername%7D&token=ex.tok.en&method=put&version=1 HTTP/1.1")
    assert b"\r\nAuthorization: Bearer own.tok.en\r\n" in head + b"\r\n"
    assert b"\r\nContent-Length: 20\r\n" in head + b"\r\n"
    assert sent_body == b'{"username":"alice"}'


@pytest.mark.offline
def test_unset_method_and_version_are_left_out_in_order():
    assert PermissionsAPIClient.query([("route", "/skaha"), ("token", "t"), ("method", None), ("version", None)]) \
        == "route=%2Fskaha&token=t"
    assert PermissionsAPIClient.query([("route", "/skaha"), ("token", "t"), ("method", ""), ("version", "1")]) \
        == "route=%2Fskaha&token=t&version=1"
    assert org_json({}) == "{}" and org_json({"x": 1}) == '{"x":1}'


@pytest.mark.offline
def test_strict_getters():
    assert get_boolean({"is_authorised": False}, "is_authorised") is False
    for document in ({}, {"is_authorised": "true"}, {"is_authorised": 1}, {"is_authorised": None}, []):
        with pytest.raises(JSONException):
            get_boolean(document, "is_authorised")
    assert get_string_or_null({"audience": None}, "audience") is None
    assert get_string_or_null({"audience": "skaha"}, "audience") == "skaha"
    for document in ({}, {"audience": 1}, {"audience": ["skaha"]}, {"audience": True}):
        with pytest.raises(JSONException):
            get_string_or_null(document, "audience")


# -- what policyd answers: errors raise ---------------------------------------------------------------

def test_error_statuses_raise(java):
    client = java()
    with pytest.raises(PermissionsAPIError) as error:
        client.authorise_route("no-such-service", "/x", user_token("alice"))
    assert error.value.status == 404
    with pytest.raises(PermissionsAPIError) as error:
        client.authorise_exchange("canfar-api", user_token("alice"), version="2.0")
    assert error.value.status == 422


def test_exchange_is_sent_with_an_empty_body(java):
    # The exchange call's bytes, read here without the audience getter (see the audience tests).
    client = java()
    query = client.query([("token", user_token("alice")), ("version", "1")])
    transfer = client.post(client.path("exchange", "canfar-api"), query, b"")
    assert transfer.request.startswith(b"POST /api/v1/authorise/exchange/canfar-api?token=")
    assert b"&version=1 HTTP/1.1\r\n" in transfer.request
    assert transfer.request.endswith(b"\r\nContent-Length: 0\r\n\r\n")
    assert transfer.status == 200
    assert get_boolean(transfer.json, "is_authorised") is True
    query = client.query([("token", user_token("eve")), ("version", "1")])
    transfer = client.post(client.path("exchange", "canfar-api"), query, b"")
    assert transfer.status == 200 and get_boolean(transfer.json, "is_authorised") is False


# -- the exchange answer's audience -------------------------------------------------------------------

@pytest.mark.parametrize("service,audience", [
    ("canfar-api", "canfar-api"),          # exchanged_token_audience
    ("skaha", "skaha"),                    # exchanged_token_audience
    ("echo", "echo"),                      # exchanged_token_audience
    ("data-management-api", "data-management-api"),  # no exchanged_token_audience: its route policy's
    ("demo-data-api", "demo-data-api"),    # the route policy's, not its plugin policy's (demo-data-plugin)
    ("storage", "storage"),                # no route policy: its plugin policy's
    ("no-target", None),                   # neither: null
])
def test_exchange_answer_names_the_audience(java, service, audience):
    groups = [PLATFORM_USERS] if service in ("canfar-api", "skaha", "echo") else ["users"]
    token = mint_token(USER_TOKEN_AUDIENCE, groups, subject="alice")
    answer = java().authorise_exchange(service, token)
    assert answer.is_authorised is True, answer.reason
    assert answer.audience == audience


def test_denied_exchange_still_answers_with_an_audience_member(java):
    answer = java().authorise_exchange("canfar-api", user_token("eve"))
    assert answer.is_authorised is False
    assert answer.audience in ("canfar-api", None)


def test_allowed_exchange_without_an_audience_stops_the_java_flow(java):
    token = mint_token(USER_TOKEN_AUDIENCE, ["users"], subject="alice")
    with pytest.raises(PermissionsAPIError, match="names no audience"):
        exchange_then_route(java(), "no-target", token, exchanger("alice"), "/x", "GET", {})


# -- the decisions alone: route and plugin calls with a token for the service (no exchange) ----------

def service_token(name, audience):
    """What the exchange gives ``name`` for ``audience`` (minted directly: no exchange asked)."""
    return exchanger(name)(audience)


def test_canfar_home_decisions(java):
    client = java()
    for name, username, expected in [("alice", "alice", True), ("alice", "bob", False), ("carol", "carol", False),
                                     ("admin", "anyone", True), ("eve", "eve", False)]:
        answer = client.authorise_route("canfar-api", "/home/{username}", service_token(name, "canfar-api"), "PUT",
                                        {"username": username})
        assert answer.is_authorised is expected, (name, username, answer.reason)
    answer = client.authorise_route("canfar-api", "/nodes/home/{username}", service_token("alice", "canfar-api"),
                                    "PUT", {"username": "alice"})
    assert answer.is_authorised is True, answer.reason
    # A token for another service is refused by its audience.
    answer = client.authorise_route("canfar-api", "/home/{username}", service_token("alice", "skaha"), "PUT",
                                    {"username": "alice"})
    assert answer.is_authorised is False and "wrong audience" in answer.reason
    # The user's own authn-api token is not a canfar-api token either: the exchange is needed.
    answer = client.authorise_route("canfar-api", "/home/{username}", user_token("alice"), "PUT",
                                    {"username": "alice"})
    assert answer.is_authorised is False and "wrong audience" in answer.reason


def test_lower_case_method_is_accepted(java):
    answer = java().authorise_route("canfar-api", "/home/{username}", service_token("alice", "canfar-api"), "put",
                                    {"username": "alice"})
    assert b"&method=put&version=1 HTTP/1.1\r\n" in answer.transfer.request
    assert answer.is_authorised is True, answer.reason


def test_tap_like_caller_with_an_empty_method_means_get(java):
    # A TAP-like caller puts method= in the query with no value (the Java client leaves an unset
    # method out): that is GET (spec 2.5), so /skaha (GET allowed) is allowed and /home/{username}
    # (PUT only) is not.
    client = java()
    for service, route, expected in [("skaha", "/skaha", True), ("canfar-api", "/skaha", True),
                                     ("canfar-api", "/home/{username}", False)]:
        token = service_token("alice", service)
        query = f"route={java_url_encode(route)}&token={java_url_encode(token)}&method=&version=1"
        transfer = client.post(client.path("route", service), query, b'{"username":"alice"}')
        assert b"&method=&version=1 HTTP/1.1\r\n" in transfer.request
        assert transfer.status == 200
        assert get_boolean(transfer.json, "is_authorised") is expected, (service, route, transfer.json)


def test_skaha_decisions(java):
    client = java()
    for method in ("GET", "POST", "DELETE", "get"):
        answer = client.authorise_route("skaha", "/skaha", service_token("carol", "skaha"), method, {})
        assert answer.is_authorised is True, (method, answer.reason)
        assert answer.transfer.request.endswith(b"\r\nContent-Length: 2\r\n\r\n{}")
    assert client.authorise_route("skaha", "/skaha", service_token("carol", "skaha"), "PUT", {}).is_authorised is False
    assert client.authorise_route("skaha", "/skaha", service_token("eve", "skaha"), "GET", {}).is_authorised is False
    # Without a method the server's default, GET, applies.
    answer = client.authorise_route("skaha", "/skaha", service_token("carol", "skaha"), None, {})
    assert b"&method=" not in answer.transfer.request and answer.is_authorised is True


def echo_body(method="GET"):
    """What a site gatekeeper sends about a request to the echo service it guards (spec 2.6)."""
    return {"service": {"node": "SKAOSRC", "type": "echo", "uuid": ECHO_UUID, "path": "/echo", "method": method,
                        "parameters": {"ID": "test"}, "body": {}}}


def test_echo_plugin_decisions(java):
    client = java()
    token = service_token("alice", "echo")
    answer = client.authorise_plugin("echo", token, echo_body())
    assert answer.is_authorised is True, answer.reason
    assert client.transfers[-1].request.endswith(b"\r\n\r\n" + org_json(echo_body()).encode())
    assert client.authorise_plugin("echo", token, echo_body("DELETE")).is_authorised is True
    assert client.authorise_plugin("echo", token, echo_body("PROPFIND")).is_authorised is False
    # The client's own tests send {} or an action: no service.method, so no entry is chosen.
    for body in ({"action": "echo", "x": 1}, {"x": 1}, {}):
        answer = client.authorise_plugin("echo", token, body)
        assert answer.is_authorised is False and answer.reason == "missing or unknown action", (body, answer.reason)
    assert client.authorise_plugin("echo", service_token("carol", "echo"), echo_body()).is_authorised is False
    assert client.authorise_plugin("echo", service_token("eve", "echo"), echo_body()).is_authorised is False


# -- the flows: exchange, then the decision with the exchanged token ----------------------------------

# canfar-api: Cavern allocating a home

@pytest.mark.parametrize("header", ["no header", "own token in header"])
def test_canfar_home_allocation(java, header):
    def client_for(name):
        return java(user_token(name) if header != "no header" else None)

    def put_home(name, username, method="PUT"):
        return exchange_then_route(client_for(name), "canfar-api", user_token(name), exchanger(name),
                                   "/home/{username}", method, {"username": username})

    alice = put_home("alice", "alice")
    assert alice.exchange.is_authorised and alice.exchange.audience == "canfar-api"
    assert alice.decision.is_authorised is True, alice.decision.reason
    assert alice.decision.transfer.request.endswith(b'\r\n\r\n{"username":"alice"}')

    other_home = put_home("alice", "bob")
    assert other_home.exchange.is_authorised and other_home.decision.is_authorised is False

    carol = put_home("carol", "carol")
    assert carol.exchange.is_authorised and carol.decision.is_authorised is False

    for name in ("mallory", "eve", "admin"):
        flow = put_home(name, name)
        assert flow.exchange.is_authorised is False, (name, flow.exchange.reason)
        assert flow.decision is None


# skaha: Skaha asking /skaha

@pytest.mark.parametrize("header", ["no header", "own token in header"])
def test_skaha_sessions(java, header):
    def ask(name, method):
        client = java(user_token(name) if header != "no header" else None)
        return exchange_then_route(client, "skaha", user_token(name), exchanger(name), "/skaha", method, {})

    for method in ("GET", "POST", "DELETE"):
        flow = ask("alice", method)
        assert flow.exchange.audience == "skaha"
        assert flow.decision.is_authorised is True, (method, flow.decision.reason)
        assert flow.decision.transfer.request.endswith(b"\r\n\r\n{}")
    assert ask("carol", "GET").decision.is_authorised is True
    assert ask("alice", "PUT").decision.is_authorised is False  # /skaha has no PUT
    for name in ("mallory", "eve"):
        flow = ask(name, "GET")
        assert flow.exchange.is_authorised is False and flow.decision is None


# echo: the plugin

@pytest.mark.parametrize("header", ["no header", "own token in header"])
def test_echo_plugin(java, header):
    def ask(name, body):
        client = java(user_token(name) if header != "no header" else None)
        return exchange_then_plugin(client, "echo", user_token(name), exchanger(name), body)

    flow = ask("alice", echo_body())
    assert flow.exchange.audience == "echo"
    assert flow.decision.is_authorised is True, flow.decision.reason
    assert flow.decision.transfer.request.endswith(b"\r\n\r\n" + org_json(echo_body()).encode())
    assert ask("carol", echo_body()).decision.is_authorised is False  # a platform user, not in the service's group
    assert ask("alice", {"action": "echo"}).decision.is_authorised is False
    assert ask("alice", {"x": 1}).decision.is_authorised is False
    for name in ("mallory", "eve"):
        flow = ask(name, echo_body())
        assert flow.exchange.is_authorised is False and flow.decision is None


# -- the token authorised is the query's ----------------------------------------------------------------

def test_a_stray_header_token_changes_nothing(java):
    route, body = "/home/{username}", {"username": "alice"}
    alice_exchanged = exchanger("alice")("canfar-api")
    eve_exchanged = exchanger("eve")("canfar-api")
    admin_exchanged = exchanger("admin")("canfar-api")

    # Allowed by its query token, whatever the header carries.
    for header in (user_token("alice"), user_token("eve"), eve_exchanged, "not-a-token"):
        answer = java(header).authorise_route("canfar-api", route, alice_exchanged, "PUT", body)
        assert answer.is_authorised is True, (header[:12], answer.reason)

    # Denied by its query token, even beside a header token that would be allowed.
    for header in (admin_exchanged, alice_exchanged):
        answer = java(header).authorise_route("canfar-api", route, eve_exchanged, "PUT", body)
        assert answer.is_authorised is False
        assert answer.reason == "PUT /home/{username}: expression false", answer.reason


# -- a route sent with its API prefix -----------------------------------------------------------------

@pytest.mark.parametrize("service,route,method,body,meant", [
    ("canfar-api", "/v1/home/{username}", "PUT", {"username": "alice"}, "/home/{username}"),
    ("canfar-api", "/api/v1/home/{username}", "PUT", {"username": "alice"}, "/home/{username}"),
    ("canfar-api", "/v1/home/alice", "PUT", {}, "/home/{username}"),
    ("skaha", "/v1/skaha", "GET", {}, "/skaha"),
])
def test_route_with_its_api_prefix_is_a_denial_naming_the_template(java, service, route, method, body, meant):
    exchanged = exchanger("alice")(service)
    answer = java().authorise_route(service, route, exchanged, method, body)
    assert answer.transfer.status == 200
    assert answer.is_authorised is False
    assert meant in (answer.reason or ""), answer.reason


def test_every_answer_policyd_gave_the_java_client_was_a_decision():
    transfers = [transfer for client in CLIENTS for transfer in client.transfers]
    if not transfers:
        pytest.skip("no Java client test ran before this one")
    for transfer in transfers:
        if transfer.status >= 400:
            continue  # 404 and 422 in test_error_statuses_raise: not decisions
        assert transfer.status == 200, transfer
        assert isinstance(transfer.json.get("is_authorised"), bool), transfer
