import Foundation
import PolicyCore
import PolicyDigest
import Testing

/// The revision of a loaded set: its policies' identities and bytes, nothing else.
@Suite struct PolicyRevisionTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The two files of `fixtures/revision`, by their path there.
    static let fixture: [String: String] = [
        "echo.json": try! String(contentsOfFile: repositoryRoot + "/fixtures/revision/echo.json", encoding: .utf8),
        "exchange/echo.json": try! String(contentsOfFile: repositoryRoot + "/fixtures/revision/exchange/echo.json", encoding: .utf8),
    ]

    /// Written into a fresh directory, loaded as policyd loads it, and its revision taken.
    static func revision(_ files: [String: String]) throws -> String {
        let directory = NSTemporaryDirectory() + "policyd-revision-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (path, text) in files {
            let url = URL(fileURLWithPath: directory + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return PolicyRevision(of: try PolicyLoader().load(directory: directory, allowsEmpty: true)).text
    }

    /// Computed by another program (the Python of docs/operations.md, "Policy revision"), not by this
    /// one: the definition cannot drift without this failing.
    @Test func knownAnswers() throws {
        let fixture = try PolicyLoader().load(directory: Self.repositoryRoot + "/fixtures/revision", allowsEmpty: false)
        #expect(PolicyRevision(of: fixture).text == "sha256:195b4188f2edc7c5e31859ec5e60493104a4a04307404ef0bba502f367138ff0")
        // No policy: the digest of no input at all.
        #expect(PolicyRevision(of: PolicySet([])).text == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// The same policies under other names, in other folders, found in the other order, beside
    /// files the loader skips: the same revision.
    @Test func namesPlacesAndOrderDoNotCount() throws {
        let original = try Self.revision(Self.fixture)
        let moved = try Self.revision([
            "a/z.json": Self.fixture["echo.json"]!,
            "0.json": Self.fixture["exchange/echo.json"]!,
            ".hidden.json": "not even JSON",
            "notes.txt": "not a policy",
        ])
        #expect(moved == original)
        let policies = try PolicyLoader().load(directory: Self.repositoryRoot + "/fixtures/revision").policies
        #expect(PolicyRevision(of: PolicySet(policies.reversed())) == PolicyRevision(of: PolicySet(policies)))
    }

    /// One byte more (whitespace the policy does not read), or another identity: another revision.
    @Test func everyByteAndTheIdentityCount() throws {
        let original = try Self.revision(Self.fixture)
        var spaced = Self.fixture
        spaced["echo.json"]! += " "
        #expect(try Self.revision(spaced) != original)
        var renamed = Self.fixture
        renamed["echo.json"] = Self.fixture["echo.json"]!.replacingOccurrences(of: #""name": "echo""#, with: #""name": "echp""#)
        #expect(try Self.revision(renamed) != original)
        var versioned = Self.fixture
        versioned["exchange/echo.json"] = Self.fixture["exchange/echo.json"]!
            .replacingOccurrences(of: #""version_number": 2"#, with: #""version_number": 3"#)
        #expect(try Self.revision(versioned) != original)
        var fewer = Self.fixture
        fewer["exchange/echo.json"] = nil
        #expect(try Self.revision(fewer) != original)
    }

    @Test func theTextIsSHA256AndLowerCaseHex() throws {
        let text = try Self.revision(Self.fixture)
        #expect(text.hasPrefix("sha256:"))
        #expect(text.utf8.count == 7 + 64)
        #expect(text.utf8.dropFirst(7).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
    }
}
