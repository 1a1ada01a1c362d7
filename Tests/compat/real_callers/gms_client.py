"""What CANFAR's skaha and cavern send to a GMS, and how they read its answers, byte for byte, as
opencadc's libraries do it (sources: github.com/opencadc/ac cadc-gms ``IvoaGroupClient`` and
``GroupURI``; github.com/opencadc/reg cadc-registry ``RegistryClient``, ``CapabilitiesReader``,
``Capability.findInterface``; github.com/opencadc/core cadc-util ``HttpTransfer``; skaha's
``SkahaAction.initRequest`` in github.com/opencadc/science-platform; cavern's ``CreateNodeAction`` and
``VOSpaceAuthorizer.hasMembership`` in github.com/opencadc/vos).

- The registry resolves the GMS's resource ID (``ivo://skao.int/gms``) to its capabilities URL and
  GETs it; ``CapabilitiesReader`` takes the ``capability`` children of a VOSICapabilities 1.0 root,
  each ``interface``'s ``xsi:type`` resolved through the namespaces in scope, its ``accessURL`` text
  and its ``securityMethod`` ``standardID``s. ``IvoaGroupClient`` then finds the
  ``ivo://ivoa.net/std/GMS#search-1.0`` capability and in it the first interface of type
  ``http://www.ivoa.net/xml/VODataService/v1.1#ParamHTTP`` with the security method
  ``ivo://ivoa.net/sso#token`` (the caller holds a token), and takes its access URL.
- skaha (``getMemberships(serviceID)``): ``GET <accessURL>``, no query: every group the caller holds.
- cavern (``getMemberships(Set<GroupURI>)``): the candidate names in ``TreeSet`` order, appended raw
  (never percent-encoded): ``?group=<name>&group=<name>...``.
- cadc-util's ``HttpTransfer`` adds ``Authorization: <type> <credentials>`` (the token type as the
  caller presented it) for hosts the token's domains cover, and its ``User-Agent``; Java's
  ``HttpURLConnection`` adds ``Host``, its default ``Accept`` and ``Connection: keep-alive``.
- The answer is read a line at a time (``LineNumberReader``: ``\\n``, ``\\r`` or ``\\r\\n`` end a line),
  each line trimmed and made a ``GroupURI`` (``serviceID?name``); a name outside
  ``[a-zA-Z0-9/_\\-.~]+`` throws, and the whole call fails. A status >= 400 throws (401:
  ``NotAuthenticatedException`` with the body as its message).
"""

import http.client
import io
import re
import socket
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import urlsplit

from java_client import Transfer

USER_AGENT = "OpenCADC/ca.nrc.cadc.net/Java 17.0.9;Eclipse Adoptium/Linux 5.15.0-91-generic"
JAVA_ACCEPT = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
VOSI_NS = "http://www.ivoa.net/xml/VOSICapabilities/v1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GMS_SEARCH_10 = "ivo://ivoa.net/std/GMS#search-1.0"
SECURITY_METHOD_TOKEN = "ivo://ivoa.net/sso#token"
SECURITY_METHOD_ANON = "ivo://ivoa.net/sso#anon"
PARAM_HTTP = "http://www.ivoa.net/xml/VODataService/v1.1#ParamHTTP"
GROUP_NAME = re.compile(r"[a-zA-Z0-9/_\-.~]+")
JAVA_TRIMMED = "".join(chr(code) for code in range(0x21))


class GMSError(IOError):
    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


def java_get(url, authorization=None, timeout=10):
    """One GET as cadc-util's HttpGet over HttpURLConnection sends it; a status >= 400 raises."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1"]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    lines += [f"User-Agent: {USER_AGENT}", f"Host: {parts.hostname}:{parts.port}", f"Accept: {JAVA_ACCEPT}",
              "Connection: keep-alive"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection, method="GET")
        response.begin()
        transfer = Transfer(request, response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        response.close()
    if transfer.status >= 400:
        raise GMSError(transfer.body.decode("utf-8", "replace"), transfer.status, transfer.body)
    return transfer


@dataclass
class Interface:
    type: str
    access_url: str
    use: str
    security_methods: list


def read_capabilities(document):
    """``CapabilitiesReader``: {standardID: [Interface]}."""
    root = ElementTree.fromstring(document)
    if root.tag != f"{{{VOSI_NS}}}capabilities":
        raise GMSError(f"not a VOSI capabilities document: {root.tag}")
    namespaces = _namespaces(document)
    capabilities = {}
    for capability in root.findall("capability"):
        interfaces = []
        for element in capability.findall("interface"):
            prefix, _, local = element.get(f"{{{XSI_NS}}}type").partition(":")
            access = element.find("accessURL")
            methods = [method.get("standardID") or SECURITY_METHOD_ANON for method in element.findall("securityMethod")]
            interfaces.append(Interface(f"{namespaces[prefix]}#{local}", access.text, access.get("use"), methods))
        capabilities[capability.get("standardID")] = interfaces
    return capabilities


def _namespaces(document):
    """Every prefix the document declares, all on its root here, so in scope for every interface."""
    return dict(namespace for _, namespace in ElementTree.iterparse(io.BytesIO(document), events=["start-ns"]))


def search_url(capabilities):
    """``IvoaGroupClient``: the GMS search capability's ParamHTTP interface for a token caller."""
    for interface in capabilities.get(GMS_SEARCH_10, []):
        if interface.type == PARAM_HTTP and SECURITY_METHOD_TOKEN in interface.security_methods:
            return interface.access_url
    raise GMSError(f"service does not implement {GMS_SEARCH_10} with {SECURITY_METHOD_TOKEN}")


class IvoaGroupClient:
    def __init__(self, service_id, capabilities_url, token, token_type="Bearer"):
        self.service_id = service_id
        self.capabilities_url = capabilities_url
        self.authorization = f"{token_type} {token}"
        self.transfers = []

    def capabilities(self):
        # The registry client fetches within the caller's Subject: the token goes to a trusted host too.
        transfer = java_get(self.capabilities_url, self.authorization)
        self.transfers.append(transfer)
        return read_capabilities(transfer.body)

    def get_memberships(self, names=None):
        """skaha with ``names`` None, cavern with the candidate names; the GroupURIs the answer holds."""
        url = search_url(self.capabilities())
        if names:
            url += "".join(f"{'?' if index == 0 else '&'}group={name}" for index, name in enumerate(sorted(set(names))))
        transfer = java_get(url, self.authorization)
        self.transfers.append(transfer)
        return {f"{self.service_id}?{name}" for name in read_names(transfer.body)}


def read_names(body):
    """``LineNumberReader.readLine`` (a line ends at ``\\n``, ``\\r`` or ``\\r\\n``), ``String.trim`` (every
    char up to U+0020) and ``GroupURI``: every line a name, or the whole call fails."""
    text = body.decode("utf-8")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    names = []
    for line in lines:
        name = line.strip(JAVA_TRIMMED)
        if not GROUP_NAME.fullmatch(name):
            raise ValueError(f"invalid group name: {name!r}")
        names.append(name)
    return names
