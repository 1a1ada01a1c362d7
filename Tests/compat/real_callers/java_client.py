"""What opencadc's Java ``PermissionsAPIClient`` (org.opencadc.permissions.client.srcnet) sends to the
Permissions API, byte for byte, over a plain socket.

- Base URL ``http://127.0.0.1:<port>/api`` (a trailing ``/`` dropped), to which it appends
  ``/v1/authorise/{exchange|route|plugin}/{service}``.
- The query is built by hand with ``java.net.URLEncoder.encode(value, UTF-8)`` (``java_url_encode``
  below): parameters in the order ``route``, ``token``, ``method`` (omitted when null or empty, sent
  as the caller spells it), ``version`` (omitted when null or empty).
- Every call is a POST with ``Accept: application/json`` and ``Content-Type: application/json``; the
  exchange call has an empty body (``Content-Length: 0``), route and plugin calls a compact JSON body
  (``org.json.JSONObject.toString()``: ``{"username":"alice"}``, ``{}``).
- An answer with status >= 400 raises (cadc-util's ``HttpPost.prepare()``); ``is_authorised`` is read
  with a strict boolean getter (missing, or not a JSON boolean: raises), and on exchange answers
  ``audience`` must be present and a string or null.
- Optionally the transport adds ``Authorization: Bearer <the caller's own token>`` beside the query
  token, as an authenticated HTTP client of a CADC service does.

The services then do ``exchange`` first and, when allowed, exchange the user's token at the Auth API
for one whose audience is the answer's ``audience``, and call ``route`` or ``plugin`` with that
exchanged token: ``exchange_then_route`` and ``exchange_then_plugin``.
"""

import http.client
import json
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

JAVA_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-*_")
USER_AGENT = "Java/21.0.5"


def java_url_encode(value):
    """``java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)``: ``A-Z a-z 0-9 . - * _`` stay,
    space becomes ``+``, every other byte of the UTF-8 encoding is ``%XX`` in upper-case hex. An
    unpaired surrogate is encoded as ``?`` (``%3F``), as Java's UTF-8 encoder replaces it."""
    out = []
    for byte in value.encode("utf-8", errors="replace"):
        if byte in JAVA_UNRESERVED:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def org_json(body):
    """``org.json.JSONObject.toString()`` for the flat bodies the services send: compact, no spaces."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


class PermissionsAPIError(IOError):
    """The Java client's IOException: a status >= 400, or an answer that is not JSON."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class JSONException(PermissionsAPIError):
    """org.json's JSONException: an answer without the member, or of another type."""


@dataclass
class Transfer:
    """One request as sent and its answer as received."""
    request: bytes
    status: int
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class AuthorisationResult:
    is_authorised: bool
    reason: object = None
    audience: object = None
    transfer: Transfer = None


@dataclass
class FlowResult:
    """An exchange, and (when it allowed) the decision asked with the exchanged token."""
    exchange: AuthorisationResult
    decision: AuthorisationResult = None
    exchanged_token: str = None

    @property
    def is_authorised(self):
        return self.exchange.is_authorised and self.decision is not None and self.decision.is_authorised


def get_boolean(document, name):
    """A strict ``getBoolean``: the member must be present and a JSON boolean."""
    if not isinstance(document, dict) or name not in document:
        raise JSONException(f"JSONObject[\"{name}\"] not found.")
    value = document[name]
    if not isinstance(value, bool):
        raise JSONException(f"JSONObject[\"{name}\"] is not a Boolean: {value!r}")
    return value


def get_string_or_null(document, name):
    """``audience``: must be present, and a string or null."""
    if not isinstance(document, dict) or name not in document:
        raise JSONException(f"JSONObject[\"{name}\"] not found.")
    value = document[name]
    if value is not None and not isinstance(value, str):
        raise JSONException(f"JSONObject[\"{name}\"] is not a string or null: {value!r}")
    return value


class PermissionsAPIClient:
    def __init__(self, base_url, authorization_token=None, timeout=10):
        """``base_url``: e.g. ``http://127.0.0.1:8080/api``. ``authorization_token``: when given, the
        transport adds ``Authorization: Bearer <it>`` to every request (the caller's own credential)."""
        base_url = base_url[:-1] if base_url.endswith("/") else base_url
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("this client only talks plain HTTP to loopback")
        self.base_url = base_url
        self.host = parts.hostname
        self.port = parts.port or 80
        self.base_path = parts.path
        self.authorization_token = authorization_token
        self.timeout = timeout
        self.transfers = []

    # -- the calls ------------------------------------------------------------------------------------

    def authorise_exchange(self, service, token, version="1"):
        self._assert_arg(service, "serviceName")
        self._assert_arg(token, "token")
        query = self.query([("token", token), ("version", version)])
        transfer = self.post(self.path("exchange", service), query, b"")
        document = self._document(transfer)
        return AuthorisationResult(get_boolean(document, "is_authorised"), document.get("reason"),
                                   get_string_or_null(document, "audience"), transfer)

    def authorise_route(self, service, route, token, method=None, body=None, version="1"):
        self._assert_arg(service, "serviceName")
        self._assert_arg(route, "route")
        self._assert_arg(token, "token")
        query = self.query([("route", route), ("token", token), ("method", method), ("version", version)])
        transfer = self.post(self.path("route", service), query, org_json(body or {}).encode("utf-8"))
        document = self._document(transfer)
        return AuthorisationResult(get_boolean(document, "is_authorised"), document.get("reason"),
                                   transfer=transfer)

    def authorise_plugin(self, service, token, body=None, version="1"):
        self._assert_arg(service, "serviceName")
        self._assert_arg(token, "token")
        query = self.query([("token", token), ("version", version)])
        transfer = self.post(self.path("plugin", service), query, org_json(body or {}).encode("utf-8"))
        document = self._document(transfer)
        return AuthorisationResult(get_boolean(document, "is_authorised"), document.get("reason"),
                                   transfer=transfer)

    # -- the bytes ------------------------------------------------------------------------------------

    def path(self, kind, service):
        return f"{self.base_path}/v1/authorise/{kind}/{service}"

    @staticmethod
    def query(pairs):
        """``name=URLEncoder.encode(value)`` joined by ``&``, skipping null or empty values (as the
        Java client skips an unset method or version)."""
        return "&".join(f"{name}={java_url_encode(value)}" for name, value in pairs if value)

    def build_request(self, path, query, body):
        target = f"{path}?{query}" if query else path
        lines = [f"POST {target} HTTP/1.1",
                 "Accept: application/json",
                 "Content-Type: application/json"]
        if self.authorization_token:
            lines.append(f"Authorization: Bearer {self.authorization_token}")
        lines += [f"User-Agent: {USER_AGENT}",
                  f"Host: {self.host}:{self.port}",
                  "Connection: keep-alive",
                  f"Content-Length: {len(body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body

    def post(self, path, query, body):
        """Sends one request exactly as built; any status >= 400 raises."""
        request = self.build_request(path, query, body)
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as connection:
            connection.sendall(request)
            response = http.client.HTTPResponse(connection, method="POST")
            response.begin()
            transfer = Transfer(request, response.status, {k.lower(): v for k, v in response.getheaders()},
                                response.read())
            response.close()
        self.transfers.append(transfer)
        if transfer.status >= 400:
            raise PermissionsAPIError(f"HTTP transfer failed: {transfer.status}: "
                                      f"{transfer.body.decode('utf-8', 'replace')}", transfer.status, transfer.body)
        return transfer

    @staticmethod
    def _document(transfer):
        try:
            return transfer.json
        except ValueError as error:
            raise PermissionsAPIError("invalid JSON response", transfer.status, transfer.body) from error

    @staticmethod
    def _assert_arg(value, name):
        if not value:
            raise ValueError(f"invalid {name}: null or empty")


# -- the services' flows: exchange first, then the decision with the exchanged token ------------------

def _exchange(client, service, user_token, exchange_token):
    exchange = client.authorise_exchange(service, user_token)
    if not exchange.is_authorised:
        return exchange, None
    if exchange.audience is None:
        raise PermissionsAPIError(f"exchange for {service} allowed, but the answer names no audience to "
                                  "exchange the token for")
    return exchange, exchange_token(exchange.audience)


def exchange_then_route(client, service, user_token, exchange_token, route, method=None, body=None):
    """``exchange_token(audience)`` stands for the Auth API: it returns the user's token exchanged for
    one whose audience is ``audience``."""
    exchange, exchanged = _exchange(client, service, user_token, exchange_token)
    if exchanged is None:
        return FlowResult(exchange)
    return FlowResult(exchange, client.authorise_route(service, route, exchanged, method, body), exchanged)


def exchange_then_plugin(client, service, user_token, exchange_token, body=None):
    exchange, exchanged = _exchange(client, service, user_token, exchange_token)
    if exchanged is None:
        return FlowResult(exchange)
    return FlowResult(exchange, client.authorise_plugin(service, exchanged, body), exchanged)
