"""skaha and cavern asking policyd's GMS as opencadc's ``IvoaGroupClient`` asks (gms_client.py), byte for
byte: the capabilities read as the registry client reads them, then the search without ``group=``
(skaha) and with raw ``group=`` values (cavern), the answers read a line at a time as the client reads
them. policyd runs with ``--root-path api`` and ``--gms-public-url $POLICYD_URL/api/v1/gms``
(scripts/run-real-callers); the site registry would point ``ivo://skao.int/gms`` at
``$POLICYD_URL/api/v1/gms/capabilities``.
"""

import pytest

from conftest import BASE, mint_token
from gms_client import GMSError, IvoaGroupClient, java_get, read_capabilities, read_names, search_url

SERVICE_ID = "ivo://skao.int/gms"
# Groups as SKA IAM writes them in a token; two cannot be written as GroupURI names.
ALICE = ["/prototyping-groups/mini-src/platform-users", "services/canfar-api/users/alice", "skaha/users",
         "projects/a b", "projets/\u00e9t\u00e9"]
USER_AUDIENCE = "authn-api"  # the user's own token, as skaha and cavern receive it


def client(groups=ALICE, token_type="Bearer", token=None):
    return IvoaGroupClient(SERVICE_ID, f"{BASE}/api/v1/gms/capabilities",
                           token or mint_token(USER_AUDIENCE, groups), token_type)


def test_the_capabilities_name_the_search_for_token_callers():
    caps = client().capabilities()
    assert search_url(caps) == f"{BASE}/api/v1/gms/search"
    vosi = caps["ivo://ivoa.net/std/VOSI#capabilities"][0]
    assert vosi.access_url == f"{BASE}/api/v1/gms/capabilities"
    assert vosi.use == "full"
    assert caps["ivo://ivoa.net/std/GMS#search-1.0"][0].use == "base"


def test_skaha_gets_every_group_held_that_it_can_read():
    gms = client()
    assert gms.get_memberships() == {
        f"{SERVICE_ID}?prototyping-groups/mini-src/platform-users",
        f"{SERVICE_ID}?services/canfar-api/users/alice",
        f"{SERVICE_ID}?skaha/users",
    }
    request = gms.transfers[-1].request.decode("ascii")
    assert request.startswith("GET /api/v1/gms/search HTTP/1.1\r\n")
    assert gms.transfers[-1].headers["content-type"].startswith("text/plain")


def test_cavern_gets_the_candidate_groups_held():
    gms = client()
    candidates = ["skaha/users", "services/canfar-api/users/bob", "prototyping-groups/mini-src/platform-users"]
    assert gms.get_memberships(candidates) == {
        f"{SERVICE_ID}?prototyping-groups/mini-src/platform-users", f"{SERVICE_ID}?skaha/users"}
    request = gms.transfers[-1].request.decode("ascii")
    assert request.startswith("GET /api/v1/gms/search?group=prototyping-groups/mini-src/platform-users"
                              "&group=services/canfar-api/users/bob&group=skaha/users HTTP/1.1\r\n")
    # None held: an empty answer, no membership.
    assert client().get_memberships(["services/canfar-api/users/bob"]) == set()


def test_a_token_type_as_the_caller_spelt_it():
    assert client(token_type="bearer").get_memberships(["skaha/users"]) == {f"{SERVICE_ID}?skaha/users"}


@pytest.mark.parametrize("token", ["not-a-token", None])
def test_no_usable_token_is_not_authenticated(token):
    expired = mint_token(USER_AUDIENCE, ALICE, lifetime=-600)
    presented = token or expired
    with pytest.raises(GMSError) as refused:
        client(token=presented).get_memberships()
    assert refused.value.status == 401
    assert presented not in str(refused.value)


def test_a_line_the_client_cannot_read_would_fail_the_whole_call():
    """The reader is as strict as the Java client's: what policyd leaves out would have failed it."""
    with pytest.raises(ValueError):
        read_names(b"skaha/users\r\nprojects/a b\r\n")
    assert read_names(b"") == []


def test_the_capabilities_need_no_token():
    assert search_url(read_capabilities(java_get(f"{BASE}/api/v1/gms/capabilities").body)) == f"{BASE}/api/v1/gms/search"
