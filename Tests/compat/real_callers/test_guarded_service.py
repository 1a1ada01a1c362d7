"""A real FastAPI service (guarded_service.py, under uvicorn) guarded by policyd as the SRCNet services
guard theirs, driven over HTTP. The policy is fixtures/compat/policies/demo-data-api.json.

Every test checks two sides: what the service answered its caller, and what policyd answered the
service (recorded by the service's permissions client): a 200 with a boolean ``is_authorised`` for
every decision, the route sent being the FastAPI template without ``/v1`` and the body the request's
path parameters.
"""

import fastapi
import pytest

from conftest import BASE, SESSION

SERVICE = "demo-data-api"
AUDIENCE = "demo-data-api"


def fastapi_version():
    return tuple(int(part) for part in fastapi.__version__.split(".")[:2])


@pytest.fixture(scope="module")
def admin_group(policy):
    document = policy("route", SERVICE)
    assert document is not None, f"route policy {SERVICE} is not loaded (fixtures/compat/policies)"
    return (document.get("root_group") or "services/" + document["iam_subgroup_name"]) + "/roles/admin"


def ask(service, method, path, token=None, **kwargs):
    """Calls the guarded service; returns its answer and the calls it made to policyd meanwhile, each
    checked to be a decision: status 200 and a boolean is_authorised."""
    before = len(service.calls())
    response = getattr(service, method)(path, token, **kwargs)
    calls = service.calls()[before:]
    for call in calls:
        assert call["status"] == 200, call
        assert isinstance(call["answer"], dict) and isinstance(call["answer"].get("is_authorised"), bool), call
    return response, calls


def only_call(calls):
    assert len(calls) == 1, calls
    return calls[0]


def test_ping_is_not_guarded(guarded_service):
    response, calls = ask(guarded_service, "get", "/v1/ping")
    assert response.status_code == 200 and response.json() == {"status": "UP"}
    assert calls == []


def test_viewer_lists_own_namespace_and_not_another(guarded_service, mint):
    viewer = mint(AUDIENCE, ["data/namespaces/testing/viewer"])
    response, calls = ask(guarded_service, "get", "/v1/data/list/testing", viewer)
    assert response.status_code == 200, response.text
    call = only_call(calls)
    assert call["service"] == SERVICE
    assert call["query"] == {"route": "/data/list/{namespace}", "method": "GET", "version": "1"}
    assert call["body"] == {"namespace": "testing"}
    assert call["answer"]["is_authorised"] is True

    response, calls = ask(guarded_service, "get", "/v1/data/list/prod", viewer)
    assert response.status_code == 403, response.text
    call = only_call(calls)
    assert call["body"] == {"namespace": "prod"}
    assert call["answer"]["is_authorised"] is False


def test_nested_name_is_located_through_the_namespace_role(guarded_service, mint):
    viewer = mint(AUDIENCE, ["data/namespaces/testing/viewer"])
    response, calls = ask(guarded_service, "get", "/v1/data/locate/testing/deep/dir/x.fits", viewer)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "deep/dir/x.fits"
    call = only_call(calls)
    assert call["query"]["route"] == "/data/locate/{namespace}/{name:path}"
    assert call["body"] == {"namespace": "testing", "name": "deep/dir/x.fits"}
    assert call["answer"]["is_authorised"] is True

    response, calls = ask(guarded_service, "get", "/v1/data/locate/prod/deep/dir/x.fits", viewer)
    assert response.status_code == 403
    assert only_call(calls)["answer"]["is_authorised"] is False


def test_role_needing_name_grants_one_segment_names_only(guarded_service, mint):
    # file-owner is data/namespaces/{namespace}/files/{name}/owner: a {name} with '/' matches nothing
    # (spec 2.2), even for a caller whose group is exactly what a naive substitution would give.
    flat_owner = mint(AUDIENCE, ["data/namespaces/testing/files/x.fits/owner"])
    response, calls = ask(guarded_service, "get", "/v1/data/files/testing/x.fits", flat_owner)
    assert response.status_code == 200, response.text
    assert only_call(calls)["answer"]["is_authorised"] is True

    slashed_owner = mint(AUDIENCE, ["data/namespaces/testing/files/deep/dir/x.fits/owner"])
    for path, token in [("/v1/data/files/testing/deep/dir/x.fits", slashed_owner),
                        ("/v1/data/locate/testing/deep/dir/x.fits", slashed_owner),
                        ("/v1/data/files/testing/deep/dir/x.fits", flat_owner)]:
        response, calls = ask(guarded_service, "get", path, token)
        assert response.status_code == 403, (path, response.text)
        call = only_call(calls)
        assert call["body"]["name"] == "deep/dir/x.fits"
        assert call["answer"]["is_authorised"] is False, (path, call)


def test_job_owner_by_integer_job_id(guarded_service, mint):
    owner_42 = mint(AUDIENCE, ["jobs/42/owner"])
    owner_43 = mint(AUDIENCE, ["jobs/43/owner"])
    response, calls = ask(guarded_service, "get", "/v1/jobs/42", owner_42)
    assert response.status_code == 200, response.text
    call = only_call(calls)
    assert call["query"]["route"] == "/jobs/{job_id:int}"
    assert call["body"] == {"job_id": 42} and type(call["body"]["job_id"]) is int
    assert call["answer"]["is_authorised"] is True

    response, calls = ask(guarded_service, "get", "/v1/jobs/42", owner_43)
    assert response.status_code == 403
    assert only_call(calls)["answer"]["is_authorised"] is False

    response, calls = ask(guarded_service, "get", "/v1/jobs/43", owner_43)
    assert response.status_code == 200
    assert only_call(calls)["answer"]["is_authorised"] is True


def test_non_integer_job_id_never_reaches_policyd(guarded_service, mint, admin_group):
    # {job_id:int} is Starlette's convertor: /v1/jobs/abc matches no route, so FastAPI answers 404
    # before any dependency runs (a 422 comes only from a plain {job_id} annotated int: below).
    admin = mint(AUDIENCE, [admin_group])
    response, calls = ask(guarded_service, "get", "/v1/jobs/abc", admin)
    assert response.status_code == 404, response.text
    assert calls == []


def test_plain_parameter_annotated_int_asks_policyd_before_fastapi_validates(guarded_service, mint, admin_group):
    # /v1/jobs/{job_id}/log with job_id: int. FastAPI runs the guard (so asks policyd, with the
    # string "abc") before it validates the path parameter: a denial is the guard's 403, and only a
    # caller policyd allows gets FastAPI's own 422.
    owner_42 = mint(AUDIENCE, ["jobs/42/owner"])
    admin = mint(AUDIENCE, [admin_group])
    response, calls = ask(guarded_service, "get", "/v1/jobs/abc/log", owner_42)
    assert response.status_code == 403
    call = only_call(calls)
    assert call["query"]["route"] == "/jobs/{job_id}/log" and call["body"] == {"job_id": "abc"}
    assert call["answer"]["is_authorised"] is False

    response, calls = ask(guarded_service, "get", "/v1/jobs/abc/log", admin)
    assert response.status_code == 422, response.text
    assert only_call(calls)["answer"]["is_authorised"] is True

    response, calls = ask(guarded_service, "get", "/v1/jobs/42/log", owner_42)
    assert response.status_code == 200, response.text
    assert only_call(calls)["body"] == {"job_id": "42"}


def test_missing_or_non_bearer_credentials_are_refused_by_httpbearer(guarded_service):
    # FastAPI's HTTPBearer answers 403 "Not authenticated" up to 0.121 and 401 (with
    # WWW-Authenticate: Bearer) from 0.122 on; either way policyd is never asked.
    expected = 401 if fastapi_version() >= (0, 122) else 403
    for headers in ({}, {"Authorization": "Basic YWxpY2U6c2VjcmV0"}, {"Authorization": "Bearer"}):
        response = guarded_service.session.get(guarded_service.url + "/v1/data/list/testing", headers=headers,
                                               timeout=10)
        assert response.status_code == expected, (headers, response.status_code, response.text)
        assert response.json() == {"detail": "Not authenticated"}
    response, calls = ask(guarded_service, "get", "/v1/data/list/testing", None)
    assert response.status_code == expected and calls == []


def test_token_for_another_audience_is_denied(guarded_service, mint):
    other = mint("data-management-api", ["data/namespaces/testing/viewer"])
    response, calls = ask(guarded_service, "get", "/v1/data/list/testing", other)
    assert response.status_code == 403
    call = only_call(calls)
    assert call["answer"]["is_authorised"] is False
    assert "wrong audience" in call["answer"].get("reason", "")


def test_garbage_and_expired_tokens_are_denials(guarded_service, mint):
    expired = mint(AUDIENCE, ["data/namespaces/testing/viewer"], lifetime=-600)
    for token, reason in [("not-a-token", "malformed token"), (expired, "token expired")]:
        response, calls = ask(guarded_service, "get", "/v1/data/list/testing", token)
        assert response.status_code == 403
        call = only_call(calls)
        assert call["answer"]["is_authorised"] is False
        assert reason in call["answer"].get("reason", ""), call


def test_move_forwards_path_parameters_only(guarded_service, mint, admin_group):
    # The guard sends request.path_params, which POST /v1/data/move has none of: the body model's
    # namespace never reaches policyd, so namespace-editor cannot hold there and only admin moves.
    body = {"namespace": "testing", "name": "x.fits", "destination": "prod"}
    admin = mint(AUDIENCE, [admin_group])
    response, calls = ask(guarded_service, "post", "/v1/data/move", admin, json=body)
    assert response.status_code == 200, response.text
    call = only_call(calls)
    assert call["query"] == {"route": "/data/move", "method": "POST", "version": "1"}
    assert call["body"] == {}
    assert call["answer"]["is_authorised"] is True

    editor = mint(AUDIENCE, ["data/namespaces/testing/editor"])
    response, calls = ask(guarded_service, "post", "/v1/data/move", editor, json=body)
    assert response.status_code == 403
    assert only_call(calls)["answer"]["is_authorised"] is False


@pytest.mark.parametrize("path,groups,expected", [
    ("/jobs/42", ["jobs/42/owner"], True),
    ("/jobs/42", ["jobs/43/owner"], False),
    ("/jobs/abc", ["jobs/abc/owner"], False),                       # {job_id:int} takes digits only
    ("/data/locate/testing/deep/dir/x.fits", ["data/namespaces/testing/viewer"], True),  # {name:path}
    ("/data/locate/prod/deep/dir/x.fits", ["data/namespaces/testing/viewer"], False),
    ("/data/files/testing/x.fits", ["data/namespaces/testing/files/x.fits/owner"], True),
    ("/data/files/testing/deep/dir/x.fits", ["data/namespaces/testing/files/deep/dir/x.fits/owner"], False),
])
def test_concrete_paths_are_matched_by_the_convertor_templates(mint, path, groups, expected):
    # A caller that sends the concrete path (a gateway, or a service sending request.url.path without
    # /v1) rather than the template: the segments captured by {job_id:int} and {name:path} are the
    # parameters job_id and name.
    response = SESSION.post(f"{BASE}/api/v1/authorise/route/{SERVICE}",
                            params={"route": path, "method": "GET", "version": "1", "token": mint(AUDIENCE, groups)},
                            json={}, timeout=10)
    assert response.status_code == 200
    answer = response.json()
    assert isinstance(answer.get("is_authorised"), bool)
    assert answer["is_authorised"] is expected, answer


@pytest.mark.parametrize("path,groups,body,query,expected", [
    ("/jobs/42", ["jobs/43/owner"], {"job_id": 43}, {}, False),
    ("/jobs/42", ["jobs/43/owner"], {}, {"job_id": "43"}, False),
    ("/jobs/42", ["jobs/42/owner"], {"job_id": 42}, {}, True),      # the integer 42 is the segment 42
    ("/data/files/testing/y.fits", ["data/namespaces/testing/files/x.fits/owner"], {"name": "x.fits"}, {}, False),
])
def test_a_parameter_contradicting_a_convertor_capture_is_denied(mint, path, groups, body, query, expected):
    # Spec 2.3: a body or query parameter with the name of a captured segment and another value
    # denies, whoever the caller is; a convertor's capture is named by the parameter alone
    # ({job_id:int} captures job_id), so the owner of job 43 cannot reach /jobs/42 by adding job_id=43.
    params = dict(query, route=path, method="GET", version="1", token=mint(AUDIENCE, groups))
    response = SESSION.post(f"{BASE}/api/v1/authorise/route/{SERVICE}", params=params, json=body, timeout=10)
    assert response.status_code == 200
    answer = response.json()
    assert answer["is_authorised"] is expected, answer
    if not expected:
        assert "conflicts with the path" in answer["reason"], answer


def test_every_answer_policyd_gave_the_service_was_a_decision(guarded_service):
    calls = guarded_service.calls()
    if not calls:
        pytest.skip("no guarded-service test ran before this one")
    for call in calls:
        assert call["status"] == 200, call
        assert isinstance(call["answer"].get("is_authorised"), bool), call
