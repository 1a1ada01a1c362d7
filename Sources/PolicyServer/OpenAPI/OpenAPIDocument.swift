/// The OpenAPI 3.1 document of policyd's HTTP API, served as written at `GET /v1/openapi.json`
/// (`OpenAPIEndpoint`). Edit it as JSON: everything between the delimiters is the document, byte for byte
/// (a raw string: backslashes are JSON's own escapes, nothing is interpolated).
///
/// Kept true by `Tests/PolicyServerTests/OpenAPITests.swift` (valid JSON, OpenAPI 3.1, every path the
/// router serves and every method each answers, no more) and by `scripts/check-openapi` (schemathesis
/// against a running policyd: statuses, content types, headers and bodies as documented). A new route
/// or a changed answer is documented here, in the same change.
///
/// What repeats, and why it stays: the three `/v1/authorise/*` path items share every parameter,
/// request body and response through `components` already; what is left in each (its operationId,
/// summary, description, and `route`/`method` for the route call) is what differs, and an OpenAPI
/// path item cannot be parameterised, so a `components/pathItems` entry `$ref`ed three times would
/// give three operations one operationId. Likewise the gateway's eight methods per path: OpenAPI
/// has no "any method", and each operation needs its own operationId.
///
/// Compiled in rather than a SwiftPM resource so that policyd stays one self-contained executable: a
/// resource bundle would have to be shipped beside the binary, and `Bundle.module` stops the process
/// when it is missing.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "policyd: the SRCNet Permissions API",
    "version": "0.1.0",
    "summary": "May the bearer of this token call this route, be exchanged for this service, or perform this plugin action?",
    "description": "The authorisation service of SRCNet, a drop-in for the Python Permissions API (same paths under `/v1`, same query parameters, same `is_authorised` answer), plus gateway checks, the IVOA GMS search that CANFAR's services ask, and operations endpoints. See docs/policyd.md and docs/gateways.md.\n\nEvery path under `/v1` is also served under `ROOT/v1` when policyd runs with `--root-path ROOT`; `/metrics` stays at the root.\n\nAnswers are JSON except `/metrics` and the GMS's (`text/plain` searches, XML capabilities). Every answer carries `X-Request-ID`: the request's own when it came with a usable one, else one policyd made; it, `X-Correlation-ID`, `traceparent`'s trace id and `X-Calling-Service` are recorded in the audit record and the request's log line, and never change an answer but for the echo (spec 4.1). Errors are `{\"detail\": \"...\"}`, including 404 for an unknown path. A method a path does not answer gets 405 with an `Allow` header (the methods it does answer) and a `detail` body; `HEAD` is answered wherever `GET` is. A request head larger than `--max-header-bytes` gets 400 without a body, and the connection is closed. No client input causes a 5xx.\n\nDecisions are always 200, allow or deny (a missing or invalid token included): read `is_authorised`. The gateway endpoints answer in the status instead (200, 401, 403), as nginx `auth_request` and Envoy `ext_authz` read it."
  },
  "servers": [
    {
      "url": "/",
      "description": "The policyd serving this document."
    }
  ],
  "tags": [
    {
      "name": "authorisation",
      "description": "Decisions of the Permissions API: always 200 with `is_authorised`."
    },
    {
      "name": "policies",
      "description": "What is loaded: the policy catalogue and each policy document."
    },
    {
      "name": "gateway",
      "description": "The question a gateway asks before forwarding a request: the answer is in the status."
    },
    {
      "name": "gms",
      "description": "The IVOA Group Membership Service 1.0 search, for CANFAR's skaha and cavern: which groups the caller holds."
    },
    {
      "name": "operations",
      "description": "Liveness, readiness, metrics and this document."
    }
  ],
  "paths": {
    "/v1/authorise/route/{service}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "post": {
        "tags": ["authorisation"],
        "operationId": "authoriseRoute",
        "summary": "May the caller call this route of the service?",
        "description": "Decides on the route policy named `service` (spec 2.3): the route template (or concrete path) and method are looked up, the parameters substituted into the group templates, and the role expression evaluated against the token's groups.\n\nStatus codes, checked in this order: 400 for a query string that is not valid percent-encoded UTF-8; 413 for a body over `--max-body-bytes`; 422 for a missing or empty `route`, an unusable `version`, `route`, `method`, `version` or `explain` given twice, a body that is not a JSON object or has a member twice, or too many parameters (`--max-parameters`); 404 when there is no route policy for the service (or not that version), which needs no token; then 200 with the decision. A missing or invalid token is a 200 denial with the reason.",
        "security": [{"bearer": []}, {"tokenQuery": []}, {}],
        "parameters": [
          {"$ref": "#/components/parameters/service"},
          {
            "name": "route",
            "in": "query",
            "required": true,
            "description": "The route template the service declared (`/data/list/{namespace}`), or a concrete path (`/data/list/testing`). Absent or empty: 422.",
            "schema": {"type": "string", "minLength": 1},
            "example": "/data/list/{namespace}"
          },
          {
            "name": "method",
            "in": "query",
            "description": "The HTTP method of the route. Absent or empty means `GET`.",
            "schema": {"type": "string"},
            "example": "GET"
          },
          {"$ref": "#/components/parameters/version"},
          {"$ref": "#/components/parameters/token"},
          {"$ref": "#/components/parameters/explain"},
          {"$ref": "#/components/parameters/policyParameters"}
        ],
        "requestBody": {"$ref": "#/components/requestBodies/parameters"},
        "responses": {
          "200": {"$ref": "#/components/responses/Decision"},
          "400": {"$ref": "#/components/responses/BadQueryString"},
          "404": {"$ref": "#/components/responses/NoSuchPolicy"},
          "413": {"$ref": "#/components/responses/BodyTooLarge"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/v1/authorise/exchange/{service}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "post": {
        "tags": ["authorisation"],
        "operationId": "authoriseExchange",
        "summary": "May the caller's token be exchanged for a token of the service?",
        "description": "Decides on the exchange policy named `service`, for the token being exchanged. The same query parameters and status codes as the route call, but `route` and `method`: if given, they are ignored (not taken as parameters).",
        "security": [{"bearer": []}, {"tokenQuery": []}, {}],
        "parameters": [
          {"$ref": "#/components/parameters/service"},
          {"$ref": "#/components/parameters/version"},
          {"$ref": "#/components/parameters/token"},
          {"$ref": "#/components/parameters/explain"},
          {"$ref": "#/components/parameters/policyParameters"}
        ],
        "requestBody": {"$ref": "#/components/requestBodies/parameters"},
        "responses": {
          "200": {"$ref": "#/components/responses/Decision"},
          "400": {"$ref": "#/components/responses/BadQueryString"},
          "404": {"$ref": "#/components/responses/NoSuchPolicy"},
          "413": {"$ref": "#/components/responses/BodyTooLarge"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/v1/authorise/plugin/{service}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "post": {
        "tags": ["authorisation"],
        "operationId": "authorisePlugin",
        "summary": "May the caller perform this action of the plugin?",
        "description": "Decides on the plugin policy named `service`; the body's `action` member, or the parameter the policy names in `action_parameter` (the site gatekeepers' `service.method`, spec 2.6), chooses the entry of its `actions`. The same query parameters and status codes as the exchange call.",
        "security": [{"bearer": []}, {"tokenQuery": []}, {}],
        "parameters": [
          {
            "name": "service",
            "in": "path",
            "required": true,
            "description": "The plugin policy's `name` (percent-decoded).",
            "schema": {"type": "string"},
            "example": "storage"
          },
          {"$ref": "#/components/parameters/version"},
          {"$ref": "#/components/parameters/token"},
          {"$ref": "#/components/parameters/explain"},
          {"$ref": "#/components/parameters/policyParameters"}
        ],
        "requestBody": {"$ref": "#/components/requestBodies/parameters"},
        "responses": {
          "200": {"$ref": "#/components/responses/Decision"},
          "400": {"$ref": "#/components/responses/BadQueryString"},
          "404": {"$ref": "#/components/responses/NoSuchPolicy"},
          "413": {"$ref": "#/components/responses/BodyTooLarge"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/v1/policies": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["policies"],
        "operationId": "listPolicies",
        "summary": "Every loaded policy, by type then name.",
        "responses": {
          "200": {
            "description": "One entry per (type, name), with the versions loaded.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/PolicyEntry"}}
              }
            }
          }
        }
      }
    },
    "/v1/policies/types": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["policies"],
        "operationId": "listPolicyTypes",
        "summary": "The types that have at least one loaded policy.",
        "responses": {
          "200": {
            "description": "The types, in alphabetical order.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/PolicyType"}, "uniqueItems": true},
                "example": ["exchange", "plugin", "route"]
              }
            }
          }
        }
      }
    },
    "/v1/policies/{type}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["policies"],
        "operationId": "listPoliciesOfType",
        "summary": "The loaded policies of one type.",
        "description": "Also answered with a trailing `/`. A known type without policies gives `[]`; any other word 404 `no such policy type`.",
        "parameters": [{"$ref": "#/components/parameters/type"}],
        "responses": {
          "200": {
            "description": "The entries of that type, by name.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/PolicyEntry"}}
              }
            }
          },
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/v1/policies/{type}/{service}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["policies"],
        "operationId": "getPolicyEntry",
        "summary": "The versions loaded of one policy.",
        "parameters": [
          {"$ref": "#/components/parameters/type"},
          {"$ref": "#/components/parameters/service"}
        ],
        "responses": {
          "200": {
            "description": "The entry.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/PolicyEntry"},
                "example": {"type": "route", "name": "data-management-api", "versions": [1], "latest": 1}
              }
            }
          },
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/v1/policies/{type}/{service}/{version}": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["policies"],
        "operationId": "getPolicyDocument",
        "summary": "One policy document, as loaded.",
        "parameters": [
          {"$ref": "#/components/parameters/type"},
          {"$ref": "#/components/parameters/service"},
          {
            "name": "version",
            "in": "path",
            "required": true,
            "description": "`latest`, or a positive integer without leading zeros. Anything else: 422.",
            "schema": {"type": "string", "pattern": "^(latest|[1-9][0-9]*)$"},
            "example": "latest"
          }
        ],
        "responses": {
          "200": {
            "description": "The policy document as it was loaded, members in file order.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/PolicyDocument"}
              }
            }
          },
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/v1/gateway/{service}": {
      "description": "For nginx `auth_request`, which calls a fixed URL: the original request is in `X-Original-URI` (path and query, as the client sent it) and `X-Original-Method`, both required (the subrequest's own method is always GET and says nothing). Decided on the path's captured segments only (the query's too with `--gateway-query-parameters`): a role that needs another parameter never holds here. Every method listed is answered.",
      "parameters": [
        {"$ref": "#/components/parameters/gatewayService"},
        {"$ref": "#/components/parameters/originalURI"},
        {"$ref": "#/components/parameters/originalMethod"},
        {"$ref": "#/components/parameters/requestID"},
        {"$ref": "#/components/parameters/correlationID"},
        {"$ref": "#/components/parameters/traceparent"},
        {"$ref": "#/components/parameters/callingService"}
      ],
      "get": {"tags": ["gateway"], "operationId": "gatewayGet", "summary": "Gateway check (GET).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "put": {"tags": ["gateway"], "operationId": "gatewayPut", "summary": "Gateway check (PUT).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "post": {"tags": ["gateway"], "operationId": "gatewayPost", "summary": "Gateway check (POST).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "delete": {"tags": ["gateway"], "operationId": "gatewayDelete", "summary": "Gateway check (DELETE).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "options": {"tags": ["gateway"], "operationId": "gatewayOptions", "summary": "Gateway check (OPTIONS).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "head": {"tags": ["gateway"], "operationId": "gatewayHead", "summary": "Gateway check (HEAD).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "patch": {"tags": ["gateway"], "operationId": "gatewayPatch", "summary": "Gateway check (PATCH).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "trace": {"tags": ["gateway"], "operationId": "gatewayTrace", "summary": "Gateway check (TRACE).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
    },
    "/v1/gateway/{service}/{path}": {
      "description": "For Envoy `ext_authz` with `path_prefix`: the original path follows `/gateway/{service}` in the URL, the original query is this URL's query, and this request's method is the original method. An `X-Original-URI` or `X-Original-Method` that disagrees with them is a 400. Decided on the path's captured segments only (the query's too with `--gateway-query-parameters`). Every method listed is answered.",
      "parameters": [
        {"$ref": "#/components/parameters/gatewayService"},
        {
          "name": "path",
          "in": "path",
          "required": true,
          "description": "The original path without its leading `/`: everything after `/gateway/{service}/`, segments still percent-encoded (matched as a concrete path against the service's route templates, spec 2.3 and 2.5). It may hold `/`.",
          "schema": {"type": "string"},
          "example": "data/list/testing"
        },
        {
          "name": "originalQuery",
          "in": "query",
          "description": "The original request's query: its parameters count only with `--gateway-query-parameters` (then a name given twice with different values denies, and more than `--max-parameters` is a 422).",
          "style": "form",
          "explode": true,
          "schema": {"type": "object", "additionalProperties": {"type": "string"}}
        },
        {"$ref": "#/components/parameters/originalMethod"},
        {"$ref": "#/components/parameters/requestID"},
        {"$ref": "#/components/parameters/correlationID"},
        {"$ref": "#/components/parameters/traceparent"},
        {"$ref": "#/components/parameters/callingService"}
      ],
      "get": {"tags": ["gateway"], "operationId": "gatewayPathGet", "summary": "Gateway check (GET).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "put": {"tags": ["gateway"], "operationId": "gatewayPathPut", "summary": "Gateway check (PUT).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "post": {"tags": ["gateway"], "operationId": "gatewayPathPost", "summary": "Gateway check (POST).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "delete": {"tags": ["gateway"], "operationId": "gatewayPathDelete", "summary": "Gateway check (DELETE).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "options": {"tags": ["gateway"], "operationId": "gatewayPathOptions", "summary": "Gateway check (OPTIONS).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "head": {"tags": ["gateway"], "operationId": "gatewayPathHead", "summary": "Gateway check (HEAD).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "patch": {"tags": ["gateway"], "operationId": "gatewayPathPatch", "summary": "Gateway check (PATCH).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
      "trace": {"tags": ["gateway"], "operationId": "gatewayPathTrace", "summary": "Gateway check (TRACE).", "security": [{"bearer": []}], "responses": {"200": {"$ref": "#/components/responses/GatewayAllowed"}, "400": {"$ref": "#/components/responses/GatewayBadRequest"}, "401": {"$ref": "#/components/responses/GatewayUnauthorized"}, "403": {"$ref": "#/components/responses/GatewayForbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
    },
    "/v1/gms/search": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["gms"],
        "operationId": "gmsSearch",
        "summary": "Which of these groups does the caller hold? The IVOA GMS 1.0 search.",
        "description": "As CANFAR's skaha (no `group`: every group held) and cavern (a `group` per candidate group) ask it through opencadc's `IvoaGroupClient` (spec 4.2). The token is the `Authorization: Bearer` one only; its issuer and audience must be among those `--gms-issuer` and `--gms-audience` name (by default those the loaded policies name), and its groups come from the token or, where the issuer is set so, from introspection or userinfo, as for decisions.\n\nStatus codes, checked in this order: 400 for a query string that is not valid percent-encoded UTF-8; 422 for more than `--max-parameters` query items; 401 for no usable token; then 200.",
        "security": [{"bearer": []}],
        "parameters": [
          {
            "name": "group",
            "in": "query",
            "description": "A group to ask about, as IAM writes it without the leading `/` (URL-decoded; one leading `/` is ignored in the comparison, as for roles). Repeats; empty values are ignored. None: every group the caller holds.",
            "style": "form",
            "explode": true,
            "schema": {"type": "array", "items": {"type": "string"}},
            "example": ["roles/prod/user", "skaha/users"]
          }
        ],
        "responses": {
          "200": {
            "description": "Each group asked and held (written as asked), or with none asked each group held (without its leading `/`), once, a line each with CRLF after it; empty when none. A group whose name has a byte outside `[A-Za-z0-9/_.~-]` is left out: the opencadc client refuses the whole answer for such a line.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {"text/plain": {"schema": {"type": "string"}, "example": "roles/prod/user\r\nskaha/users\r\n"}}
          },
          "400": {"$ref": "#/components/responses/BadQueryString"},
          "401": {"$ref": "#/components/responses/GroupSearchUnauthorized"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/v1/gms/capabilities": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["gms"],
        "operationId": "gmsCapabilities",
        "summary": "The GMS's VOSI capabilities, where a registry points `ivo://.../gms`.",
        "description": "A VOSI 1.0 capabilities document: a `ivo://ivoa.net/std/VOSI#capabilities` capability, and a `ivo://ivoa.net/std/GMS#search-1.0` capability whose `vs:ParamHTTP` interface has the search's public URL (`accessURL use=\"base\"`) and `securityMethod standardID=\"ivo://ivoa.net/sso#token\"`. The URLs are under `--gms-public-url`; no token is needed, and one sent is not looked at.",
        "responses": {
          "200": {
            "description": "The document.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {"text/xml": {"schema": {"type": "string"}}}
          },
          "404": {
            "description": "policyd runs without `--gms-public-url`, so it cannot name the URLs.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}, "example": {"detail": "no GMS capabilities: policyd runs without --gms-public-url"}}}
          }
        }
      }
    },
    "/v1/ping": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["operations"],
        "operationId": "ping",
        "summary": "Liveness: answers as soon as the server listens.",
        "responses": {
          "200": {
            "description": "Up.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["status", "version"],
                  "additionalProperties": false,
                  "properties": {
                    "status": {"const": "UP"},
                    "version": {"type": "string", "description": "policyd's version."}
                  }
                },
                "example": {"status": "UP", "version": "0.1.0"}
              }
            }
          }
        }
      }
    },
    "/v1/health": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["operations"],
        "operationId": "health",
        "summary": "Readiness: policies loaded, every issuer's keys fresh, no shutdown begun.",
        "description": "200 when at least one policy is loaded, every issuer a loaded policy names has fresh keys, and no graceful shutdown has begun; otherwise 503. The body says which part is unwell.",
        "responses": {
          "200": {
            "description": "Ready (`status` is `UP`).",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
          },
          "503": {
            "description": "Not ready (`status` is `DOWN`, or `DRAINING` during a graceful shutdown).",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
          }
        }
      }
    },
    "/v1/openapi.json": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["operations"],
        "operationId": "openapi",
        "summary": "This document.",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document of policyd's HTTP API.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["openapi", "info", "paths"],
                  "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\.[0-9]+$"}}
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "parameters": [{"$ref": "#/components/parameters/requestID"}, {"$ref": "#/components/parameters/correlationID"}, {"$ref": "#/components/parameters/traceparent"}, {"$ref": "#/components/parameters/callingService"}],
      "get": {
        "tags": ["operations"],
        "operationId": "metrics",
        "summary": "Prometheus metrics, at the root (not under `/v1`) where scrapers look.",
        "description": "Every metric in Prometheus's text exposition format: decisions by service, type and outcome; decision and request latency; token cache hits and misses; key fetches; policy reloads; policies loaded.",
        "responses": {
          "200": {
            "description": "The metrics.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
            "content": {
              "text/plain": {
                "schema": {"type": "string"}
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An OIDC access token (compact JWS) of the policy's `expected_token_issuer`, in `Authorization: Bearer ...` (scheme case-insensitive)."
      },
      "tokenQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": "The same token as `?token=`, as the Python clients send it (query strings end up in proxy logs: prefer the header)."
      }
    },
    "parameters": {
      "requestID": {
        "name": "X-Request-ID",
        "in": "header",
        "description": "The request's ID (a proxy's), echoed on the answer and recorded as `request_id` in the audit record and the log line. Taken when given once as printable ASCII of at most 128 bytes; otherwise, or when absent, policyd makes one (32 hex digits). Never read by a decision.",
        "schema": {"type": "string"},
        "example": "f3b2c1d0-9a8b-4c7d-8e6f-5a4b3c2d1e0f"
      },
      "correlationID": {
        "name": "X-Correlation-ID",
        "in": "header",
        "description": "The caller's correlation ID (the Python client's, when given one), recorded as `correlation_id` when given once as printable ASCII of at most 128 bytes, else left out. Never read by a decision.",
        "schema": {"type": "string"}
      },
      "traceparent": {
        "name": "traceparent",
        "in": "header",
        "description": "W3C Trace Context: its trace id is recorded as `trace_id` when the header is given once and well formed, else left out. Never read by a decision.",
        "schema": {"type": "string"},
        "example": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
      },
      "callingService": {
        "name": "X-Calling-Service",
        "in": "header",
        "description": "The calling service's name (the Python client sends it, e.g. `SCAPI`), recorded as `calling_service` when given once as printable ASCII of at most 128 bytes, else left out. Never read by a decision.",
        "schema": {"type": "string"},
        "example": "SCAPI"
      },
      "service": {
        "name": "service",
        "in": "path",
        "required": true,
        "description": "The policy's `name`: the service it governs (percent-decoded).",
        "schema": {"type": "string"},
        "example": "data-management-api"
      },
      "type": {
        "name": "type",
        "in": "path",
        "required": true,
        "description": "A policy type. Any other word: 404 `no such policy type`.",
        "schema": {"$ref": "#/components/schemas/PolicyType"},
        "example": "route"
      },
      "version": {
        "name": "version",
        "in": "query",
        "description": "The policy version: `latest` (also when absent) or a positive integer without leading zeros (`1`, not `1.0`). Anything else, the empty string included: 422. A version not loaded: 404.",
        "schema": {"type": "string", "pattern": "^(latest|[1-9][0-9]*)$"},
        "example": "1"
      },
      "token": {
        "name": "token",
        "in": "query",
        "description": "The token being authorised, as the Python and Java clients send it; may repeat if the values agree (two different ones: a denial, `two different tokens given`). Empty values are ignored. When given, an `Authorization` header beside it is the caller's own credential and is neither used nor refused; without it, the `Authorization: Bearer` token is authorised. Never echoed, never a policy parameter.",
        "schema": {"type": "string"}
      },
      "explain": {
        "name": "explain",
        "in": "query",
        "description": "`true` or `1` (case-insensitive): the answer gains `explanation`. Any other value: no explanation.",
        "schema": {"type": "string"},
        "example": "true"
      },
      "policyParameters": {
        "name": "parameters",
        "in": "query",
        "description": "Every other query parameter is a policy parameter (a string), ranking below the body's members: a body member of the same name wins. Query strings are decoded as HTML forms are (`+` is a space).",
        "style": "form",
        "explode": true,
        "schema": {"type": "object", "additionalProperties": {"type": "string"}}
      },
      "gatewayService": {
        "name": "service",
        "in": "path",
        "required": true,
        "description": "The name of the route policy that protects the service; its latest version decides. No such policy: 403.",
        "schema": {"type": "string"},
        "example": "data-management-api"
      },
      "originalURI": {
        "name": "X-Original-URI",
        "in": "header",
        "required": true,
        "description": "The original request's path and query, raw (nginx: `$request_uri`). Absent, not starting with `/`, or given twice: 400. The path is always a concrete path, never a template.",
        "schema": {"type": "string", "pattern": "^/"},
        "example": "/data/list/testing"
      },
      "originalMethod": {
        "name": "X-Original-Method",
        "in": "header",
        "description": "The original request's method (nginx: `$request_method`), compared with the policy's method keys exactly (case-sensitive). Required with `X-Original-URI`; with the path in the URL it must be absent or equal this request's method. Empty, not an HTTP token, longer than 32 characters or given twice: 400.",
        "schema": {"type": "string"},
        "example": "GET"
      }
    },
    "requestBodies": {
      "parameters": {
        "description": "The parameters, as a JSON object: each member is one (the request's path parameters, as the services send them), and so is each member of its objects, down to level 4, named by joining the names with `.` (`service.node`, spec 2.6); each counts against `--max-parameters`. An empty body, or one of only whitespace, counts as `{}`. The `Content-Type` is not looked at. Not an object, invalid JSON, or a member twice: 422. Larger than `--max-body-bytes` (1 MiB by default): 413.",
        "required": false,
        "content": {
          "application/json": {
            "schema": {"type": "object"},
            "example": {"namespace": "testing"}
          }
        }
      }
    },
    "responses": {
      "Decision": {
        "description": "The decision, allow or deny. A missing or invalid token is a denial, with its reason (`missing token`, `token expired`, `wrong audience`, ...).",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {
          "application/json": {
            "schema": {"$ref": "#/components/schemas/Decision"},
            "example": {"is_authorised": true, "reason": "GET /data/list/{namespace}: expression true"}
          }
        }
      },
      "NoSuchPolicy": {
        "description": "No policy of this type for the service, or not that version (`no such policy`). No token is needed to learn this.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}, "example": {"detail": "no such policy"}}}
      },
      "NotFound": {
        "description": "No such policy type, policy or version.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}, "example": {"detail": "no such policy"}}}
      },
      "Unprocessable": {
        "description": "The request cannot be decided as it stands; `detail` says why.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}, "example": {"detail": "missing route: give the route template or path as ?route="}}}
      },
      "BodyTooLarge": {
        "description": "The body is larger than `--max-body-bytes`.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "BadQueryString": {
        "description": "The query string is not valid percent-encoded UTF-8.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "MethodNotAllowed": {
        "description": "Answered on every path above for a method it does not answer (not listed per operation).",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "Allow": {"required": true, "description": "The methods the path answers, e.g. `GET, HEAD` or `POST`.", "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "GatewayAllowed": {
        "description": "Allowed: the gateway forwards the request.",
        "headers": {
          "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
          "X-Auth-Reason": {"$ref": "#/components/headers/X-Auth-Reason"},
          "X-Auth-Subject": {"required": true, "description": "The token's `sub`; empty when it has none.", "schema": {"type": "string"}},
          "X-Auth-Roles": {"required": true, "description": "The roles the caller holds among those the expression names, comma-separated; may be empty.", "schema": {"type": "string"}}
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GatewayAnswer"}}}
      },
      "GatewayUnauthorized": {
        "description": "No usable token: none (`WWW-Authenticate: Bearer`), or one refused (`WWW-Authenticate: Bearer error=\"invalid_token\"`): expired, wrong audience, bad signature, issuer keys unavailable, ...",
        "headers": {
          "X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"},
          "X-Auth-Reason": {"$ref": "#/components/headers/X-Auth-Reason"},
          "WWW-Authenticate": {"required": true, "schema": {"type": "string"}}
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GatewayAnswer"}}}
      },
      "GatewayForbidden": {
        "description": "Denied: by the expression, no such route, method not allowed, no such service, or a query parameter that disagrees with a captured segment.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "X-Auth-Reason": {"$ref": "#/components/headers/X-Auth-Reason"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GatewayAnswer"}}}
      },
      "GroupSearchUnauthorized": {
        "description": "No usable token: none, or an `Authorization` header that is not Bearer (`WWW-Authenticate: Bearer`); or one refused (`WWW-Authenticate: Bearer error=\"invalid_token\"`): expired, an issuer or audience not accepted, bad signature, the issuer's keys or groups unavailable, ... `detail` says which; the token is never in it.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "WWW-Authenticate": {"required": true, "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}, "example": {"detail": "token expired"}}}
      },
      "GatewayBadRequest": {
        "description": "The original request cannot be read one way only: no original path, one not starting with `/`, a path in the URL and another in `X-Original-URI`, no `X-Original-Method` with `X-Original-URI`, one that disagrees with this request's method in the URL form, an empty or invalid method, a header given twice, or (with `--gateway-query-parameters`) a query string that is not valid percent-encoded UTF-8.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      }
    },
    "headers": {
      "X-Request-ID": {
        "required": true,
        "description": "The request's `X-Request-ID` when it came with a usable one (printable ASCII, at most 128 bytes, given once), else one policyd made (32 hex digits): the `request_id` of its audit record and log line.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 128}
      },
      "X-Auth-Reason": {
        "required": true,
        "description": "The reason, as the Permissions API gives it.",
        "schema": {"type": "string"}
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": ["detail"],
        "additionalProperties": false,
        "properties": {"detail": {"type": "string"}}
      },
      "PolicyType": {
        "type": "string",
        "enum": ["exchange", "plugin", "route"]
      },
      "PolicyEntry": {
        "type": "object",
        "required": ["type", "name", "versions", "latest"],
        "additionalProperties": false,
        "properties": {
          "type": {"$ref": "#/components/schemas/PolicyType"},
          "name": {"type": "string"},
          "versions": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1, "description": "Ascending."},
          "latest": {"type": "integer", "minimum": 1}
        }
      },
      "PolicyDocument": {
        "type": "object",
        "description": "A policy as its file holds it (README, Policies): `routes` for route policies, `exchange` for exchange policies, `actions` for plugin policies.",
        "required": ["name", "type", "version_number", "expected_token_issuer", "expected_token_audience", "roles"],
        "properties": {
          "name": {"type": "string"},
          "type": {"$ref": "#/components/schemas/PolicyType"},
          "version_number": {"type": "integer", "minimum": 1},
          "description": {"type": "string"},
          "iam_subgroup_name": {"type": "string"},
          "root_group": {"type": "string"},
          "expected_token_issuer": {"type": "string"},
          "expected_token_audience": {"type": "string"},
          "expected_service_token_scope": {"type": "string"},
          "roles": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
          "routes": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}}},
          "exchange": {"type": "string"},
          "action_parameter": {"type": "string"},
          "actions": {"type": "object", "additionalProperties": {"type": "string"}}
        }
      },
      "Decision": {
        "type": "object",
        "required": ["is_authorised", "reason"],
        "additionalProperties": false,
        "properties": {
          "is_authorised": {"type": "boolean"},
          "reason": {"type": "string", "description": "Why, in one line."},
          "audience": {"type": ["string", "null"], "description": "Exchange answers only, allowed or denied: the audience of the token the Auth API will mint for the service (the exchange policy's `exchanged_token_audience`, else the `expected_token_audience` of the service's latest route policy, else of its plugin policy), or null when policyd cannot name one."},
          "explanation": {"$ref": "#/components/schemas/Explanation"}
        }
      },
      "Explanation": {
        "type": "object",
        "description": "With `explain=true`, once a policy was found and the token accepted.",
        "required": ["policy", "parameters", "roles"],
        "additionalProperties": false,
        "properties": {
          "policy": {
            "type": "object",
            "required": ["type", "name", "version"],
            "additionalProperties": false,
            "properties": {
              "type": {"$ref": "#/components/schemas/PolicyType"},
              "name": {"type": "string"},
              "version": {"type": "integer", "minimum": 1}
            }
          },
          "route": {"type": "string", "description": "The route template that matched."},
          "method": {"type": "string"},
          "action": {"type": "string"},
          "action_parameter": {"type": "string", "description": "Plugin decisions: the parameter whose value chose the action (the policy's `action_parameter`, spec 2.6)."},
          "expression": {"type": "string", "description": "The role expression that decided, as written in the policy."},
          "parameters": {"type": "object", "description": "The parameters the decision substituted, captured path segments first."},
          "repeated_parameters": {"type": "array", "items": {"type": "string"}, "description": "Names the request gives more than once, which match nothing (spec 2.6)."},
          "roles": {
            "type": "array",
            "description": "Each role the expression names, in order of first appearance.",
            "items": {
              "type": "object",
              "required": ["role", "held", "groups"],
              "additionalProperties": false,
              "properties": {
                "role": {"type": "string"},
                "held": {"type": "boolean"},
                "matched_group": {"type": "string", "description": "The caller's group that made it hold."},
                "note": {"type": "string"},
                "groups": {"type": "array", "items": {"type": "string"}, "description": "The groups it would need, substituted."}
              }
            }
          },
          "would_grant": {
            "type": "array",
            "description": "For a denial by the expression: the smallest sets of roles that, added to the caller's, would allow it.",
            "items": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["role", "groups"],
                "additionalProperties": false,
                "properties": {
                  "role": {"type": "string"},
                  "groups": {"type": "array", "items": {"type": "string"}, "description": "Any one of these gives the role."}
                }
              }
            }
          }
        }
      },
      "GatewayAnswer": {
        "type": "object",
        "required": ["is_authorised", "reason"],
        "additionalProperties": false,
        "properties": {
          "is_authorised": {"type": "boolean"},
          "reason": {"type": "string"}
        }
      },
      "Health": {
        "type": "object",
        "required": ["status", "version", "policies", "issuers", "token_cache"],
        "additionalProperties": false,
        "properties": {
          "status": {"type": "string", "enum": ["UP", "DOWN", "DRAINING"]},
          "version": {"type": "string"},
          "policies": {
            "type": "object",
            "required": ["loaded", "count", "directory", "loaded_at"],
            "additionalProperties": false,
            "properties": {
              "loaded": {"type": "boolean", "description": "At least one policy is loaded."},
              "count": {"type": "integer", "minimum": 0},
              "directory": {"type": "string"},
              "loaded_at": {"type": "string", "format": "date-time"},
              "last_reload_failure": {
                "type": "object",
                "description": "The last reload that failed (the last good policies keep serving): when, and its diagnostics.",
                "required": ["at", "diagnostics"],
                "additionalProperties": false,
                "properties": {
                  "at": {"type": "string", "format": "date-time"},
                  "diagnostics": {"type": "array", "items": {"type": "string"}}
                }
              }
            }
          },
          "issuers": {
            "type": "array",
            "description": "Each issuer a loaded policy names.",
            "items": {
              "type": "object",
              "required": ["issuer", "source", "fresh"],
              "additionalProperties": false,
              "properties": {
                "issuer": {"type": "string"},
                "source": {"type": "string", "enum": ["discovery", "jwks_url", "jwks_file", "development"]},
                "location": {"type": "string", "description": "The JWKS URL or file, for `jwks_url` and `jwks_file`."},
                "fresh": {"type": "boolean"},
                "last_success": {"type": "string", "format": "date-time"},
                "key_ids": {"type": "array", "items": {"type": "string"}},
                "refresh_interval_seconds": {"type": "integer", "minimum": 0},
                "last_error": {"type": "string"},
                "groups": {
                  "type": "object",
                  "description": "Where this issuer's callers' groups come from (docs/introspection.md) and, when the identity provider is asked, how asking has gone. Informational: it does not make health fail.",
                  "required": ["source"],
                  "additionalProperties": false,
                  "properties": {
                    "source": {"type": "string", "enum": ["jwt", "introspection", "userinfo"]},
                    "endpoint": {"type": "string", "description": "The configured URL, or `discovery`."},
                    "last_success": {"type": "string", "format": "date-time"},
                    "last_error": {"type": "string"},
                    "last_error_at": {"type": "string", "format": "date-time"}
                  }
                }
              }
            }
          },
          "token_cache": {
            "type": "object",
            "required": ["entries", "capacity", "hits", "misses"],
            "additionalProperties": false,
            "properties": {
              "entries": {"type": "integer", "minimum": 0},
              "capacity": {"type": "integer", "minimum": 0},
              "hits": {"type": "integer", "minimum": 0},
              "misses": {"type": "integer", "minimum": 0}
            }
          }
        }
      }
    }
  }
}
"""#
}
