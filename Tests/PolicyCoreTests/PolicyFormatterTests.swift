import Foundation
import Testing
@testable import PolicyCore

/// `policyc fmt`: canonical text, canonical member order, idempotence, and check mode.
@Suite struct PolicyFormatterTests {
    func format(_ source: String) throws -> String {
        try PolicyFormatter.format(Array(source.utf8), file: "test.json").get()
    }

    @Test func theShippedPoliciesAreCanonical() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: ShippedFiles.path("policies")).filter { $0.hasSuffix(".json") }
        #expect(names.count >= 11)
        for name in names {
            let source = try ShippedFiles.text("policies/\(name)")
            #expect(try format(source) == source, "\(name)")
        }
    }

    @Test func membersTakeTheCanonicalOrderAndUnknownOnesFollowInSourceOrder() throws {
        let source = #"""
            {"routes": {"/b": {"POST": "admin", "GET": "any"}, "/a": {}}, "zeta": 1, "version_number": 1,
             "roles": {"admin": ["{root_group}/roles/admin"], "any": []}, "alpha": {"nested": [true, null]},
             "expected_token_audience": "svc", "expected_token_issuer": "https://issuer.example",
             "root_group": "services/x", "iam_subgroup_name": "svc", "type": "route", "name": "svc"}
            """#
        #expect(try format(source) == """
            {
              "name": "svc",
              "type": "route",
              "iam_subgroup_name": "svc",
              "root_group": "services/x",
              "expected_token_issuer": "https://issuer.example",
              "expected_token_audience": "svc",
              "version_number": 1,
              "roles": {
                "admin": [
                  "{root_group}/roles/admin"
                ],
                "any": []
              },
              "routes": {
                "/b": {
                  "POST": "admin",
                  "GET": "any"
                },
                "/a": {}
              },
              "zeta": 1,
              "alpha": {
                "nested": [
                  true,
                  null
                ]
              }
            }

            """)
    }

    @Test func formattingIsIdempotent() throws {
        let sources = [
            try ShippedFiles.text("policies/plugin-storage.json"),
            #"{"b": [[], {}, [1, [2]]], "name": "x", "description": "tab\there \"quoted\" é \u00e9 \/"}"#,
            "{}",
            "[1, 2]",
        ]
        for source in sources {
            let once = try format(source)
            #expect(try format(once) == once, "\(source)")
            #expect(once.hasSuffix("\n") && !once.hasSuffix("\n\n"))
        }
    }

    @Test func numbersKeepTheirLiteralAndStringsTheirText() throws {
        let formatted = try format(#"{"version_number": 1.0, "x": [1e3, -0, 1.50], "s": "\u00e9\/\n"}"#)
        #expect(formatted.contains(#""version_number": 1.0,"#))
        #expect(formatted.contains("    1e3,\n    -0,\n    1.50\n"))
        #expect(formatted.contains(#""s": "é/\n""#))
    }

    @Test func aFileThatDoesNotParseIsADiagnostic() {
        for source in ["{\n  \"name\": \"x\",\n}", #"{"name": "a", "name": "b"}"#, "", "{\"a\": [1,}"] {
            guard case .failure(let diagnostic) = PolicyFormatter.format(Array(source.utf8), file: "bad.json") else {
                Issue.record("formatted: \(source)")
                continue
            }
            #expect(diagnostic.code == .jsonSyntax && diagnostic.location != nil)
            #expect(diagnostic.description.hasPrefix("bad.json:") && !diagnostic.description.contains("\n"))
        }
    }

    @Test func checkModeWritesNothingAndRewritingMakesTheFileCanonical() throws {
        let directory = TemporaryDirectory()
        let messy = #"{"type": "route", "name": "svc", "roles": {}}"#
        directory.write("messy.json", messy)
        directory.write("broken.json", "{")
        directory.write("canonical.json", try format(messy))
        let file = directory.path + "/messy.json"

        #expect(PolicyFormatter.formatFile(atPath: file, rewrite: false) == .notCanonical)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == messy, "check mode writes nothing")
        #expect(PolicyFormatter.formatFile(atPath: directory.path + "/canonical.json", rewrite: false) == .canonical)

        #expect(PolicyFormatter.formatFile(atPath: file, rewrite: true) == .notCanonical)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == (try format(messy)))
        #expect(PolicyFormatter.formatFile(atPath: file, rewrite: false) == .canonical)

        guard case .unusable(let diagnostic) = PolicyFormatter.formatFile(atPath: directory.path + "/broken.json", rewrite: true) else {
            Issue.record("a broken file must be unusable")
            return
        }
        #expect(diagnostic.code == .jsonSyntax)
        #expect(try String(contentsOfFile: directory.path + "/broken.json", encoding: .utf8) == "{", "left alone")
    }

    @Test func directoriesAreSearchedLikeTheLoaderSearchesThem() {
        let directory = TemporaryDirectory()
        directory.write("b.json", "{}")
        directory.write("sub/a.json", "{}")
        directory.write(".hidden/c.json", "{}")
        directory.write("notes.txt", "")
        directory.write("x.test.json", "{}")
        let (files, missing) = SourceFiles.expand([directory.path, directory.path + "/notes.txt", directory.path + "/none"])
        #expect(files.map { $0.replacingOccurrences(of: directory.path, with: "") } == ["/b.json", "/sub/a.json", "/x.test.json", "/notes.txt"])
        #expect(missing.map(\.code) == [.unreadableDirectory])
        let tests = SourceFiles.expand([directory.path], endingWith: ".test.json").files
        #expect(tests.map { $0.replacingOccurrences(of: directory.path, with: "") } == ["/x.test.json"])
    }
}
