import Foundation

/// Policies in the shape of the shipped ones (the deck's data-management-api, a site-capabilities-api
/// with site-scoped roles, an exchange and a plugin policy), naming the test issuer, written to a fresh
/// directory per test.
enum TestPolicies {
    static let dataManagementV1 = """
        {
          "name": "data-management-api",
          "type": "route",
          "iam_subgroup_name": "data-management-api",
          "expected_token_issuer": "ISSUER",
          "expected_token_audience": "data-management-api",
          "expected_service_token_scope": "data-management-api-service",
          "version_number": 1,
          "description": "Permissions policy defining how to authorise routes for the data management API.",
          "roles": {
            "any": [],
            "namespace-viewer": ["data/namespaces/{namespace}/viewer"],
            "namespace-editor": ["data/namespaces/{namespace}/editor"],
            "namespace-owner": ["data/namespaces/{namespace}/owner"],
            "admin": ["{root_group}/roles/admin"],
            "developer": ["{root_group}/roles/developer"]
          },
          "routes": {
            "/data/download/{storage_area_uuid}/{namespace}/{name}": {
              "GET": "admin or namespace-viewer or namespace-editor or namespace-owner"
            },
            "/data/list": {"GET": "admin or developer"},
            "/data/list/{namespace}": {
              "GET": "admin or namespace-viewer or namespace-editor or namespace-owner or developer"
            },
            "/data/locate/{namespace}/{name}": {
              "GET": "admin or namespace-viewer or namespace-editor or namespace-owner or developer"
            },
            "/data/move": {"POST": "admin or namespace-viewer or namespace-editor or namespace-owner"}
          }
        }
        """

    /// Version 2 opens `/data/list` to every valid token, so version selection shows in the answer.
    static let dataManagementV2 = """
        {
          "name": "data-management-api",
          "type": "route",
          "iam_subgroup_name": "data-management-api",
          "expected_token_issuer": "ISSUER",
          "expected_token_audience": "data-management-api",
          "expected_service_token_scope": "data-management-api-service",
          "version_number": 2,
          "roles": {
            "any": [],
            "namespace-viewer": ["data/namespaces/{namespace}/viewer"]
          },
          "routes": {
            "/data/list": {"GET": "any"},
            "/data/list/{namespace}": {"GET": "namespace-viewer"}
          }
        }
        """

    static let siteCapabilities = """
        {
          "name": "site-capabilities-api",
          "type": "route",
          "iam_subgroup_name": "site-capabilities-api",
          "expected_token_issuer": "ISSUER",
          "expected_token_audience": "site-capabilities-api",
          "version_number": 1,
          "roles": {
            "any": [],
            "site-viewer": ["{root_group}/roles/{site}/viewer"],
            "site-manager": ["{root_group}/roles/{site}/manager"]
          },
          "routes": {
            "/sites": {"GET": "any"},
            "/sites/{site}": {"GET": "site-viewer or site-manager", "DELETE": "site-manager"}
          }
        }
        """

    static let exchange = """
        {
          "name": "site-capabilities-api",
          "type": "exchange",
          "iam_subgroup_name": "site-capabilities-api",
          "expected_token_issuer": "ISSUER",
          "expected_token_audience": "authn-api",
          "version_number": 1,
          "roles": {
            "service": ["services/authn-api/roles/service"],
            "blocked": ["/blocklist/{user}"],
            "site-member": ["{root_group}/roles/{site}/viewer"]
          },
          "exchange": "service and not blocked or site-member"
        }
        """

    static let plugin = """
        {
          "name": "storage-plugin",
          "type": "plugin",
          "iam_subgroup_name": "storage",
          "expected_token_issuer": "ISSUER",
          "expected_token_audience": "storage-plugin",
          "version_number": 1,
          "root_group": "storage/ops",
          "roles": {
            "any": [],
            "reader": ["{root_group}/areas/{area}/read"],
            "writer": ["{root_group}/areas/{area}/write"],
            "operator": ["/storage/operators"]
          },
          "actions": {
            "read": "reader or writer",
            "write": "writer and not operator",
            "stat": "any",
            "Purge": "operator"
          }
        }
        """

    static let all: [String: String] = [
        "data-management-api.json": dataManagementV1,
        "versions/data-management-api-v2.json": dataManagementV2,
        "site-capabilities-api.json": siteCapabilities,
        "exchange/site-capabilities-api.json": exchange,
        "plugins/storage-plugin.json": plugin,
    ]

    /// Writes `files` (path → text, with `ISSUER` replaced) into a new temporary directory.
    static func directory(issuer: String, files: [String: String] = all) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("policyd-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (path, text) in files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.replacingOccurrences(of: "ISSUER", with: issuer).utf8).write(to: file)
        }
        return directory.path
    }
}
