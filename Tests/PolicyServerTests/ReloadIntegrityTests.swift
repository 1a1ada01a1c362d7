import Foundation
import NIOConcurrencyHelpers
import PolicyCore
import Testing

@testable import PolicyServer

/// A reload that cannot read everything fails: it never succeeds into fewer policies. Each case
/// here once loaded less and served it (a version 1 that granted where the missing version 2 would
/// have denied; under descriptor exhaustion, no policy at all).
@Suite struct ReloadIntegrityTests {
    static let issuer = "https://issuer.example"

    /// Version 2 of the data-management-api policy lets only developers list namespaces; version 1
    /// also lets viewers.
    static let strictVersion = TestPolicies.dataManagementV2
        .replacingOccurrences(of: #""/data/list/{namespace}": {"GET": "namespace-viewer"}"#, with: #""/data/list/{namespace}": {"GET": "any and not any"}"#)

    func directory(_ files: [String: String]) throws -> String {
        try TestPolicies.directory(issuer: Self.issuer, files: files)
    }

    func latestVersion(_ store: PolicyStore) -> Int? {
        store.policies.policy(type: .route, service: "data-management-api", version: .latest)?.version
    }

    @Test func aLinkWhoseTargetVanishedFailsTheReload() throws {
        let policies = try directory(["v1.json": TestPolicies.dataManagementV1])
        let elsewhere = try directory(["v2.json": Self.strictVersion])
        defer {
            try? FileManager.default.removeItem(atPath: policies)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        try FileManager.default.createSymbolicLink(atPath: policies + "/v2.json", withDestinationPath: elsewhere + "/v2.json")
        let store = try PolicyStore(directory: policies)
        #expect(latestVersion(store) == 2)

        try FileManager.default.removeItem(atPath: elsewhere + "/v2.json")
        guard case .failure(let error) = store.reload() else {
            Issue.record("the reload succeeded with version 2 gone")
            return
        }
        #expect(error.diagnostics.map(\.code) == [.danglingLink])
        #expect(latestVersion(store) == 2, "the last good set, strict version included, keeps serving")
        #expect(store.snapshot.lastFailure != nil)
    }

    /// Under descriptor exhaustion, listing a folder fails (EMFILE); as root, permissions cannot make
    /// it fail, so the file manager is one that fails the way a full descriptor table does.
    @Test func aFolderThatCannotBeListedFailsTheReload() throws {
        let policies = try directory(["a/v1.json": TestPolicies.dataManagementV1, "b/v2.json": TestPolicies.dataManagementV2])
        defer { try? FileManager.default.removeItem(atPath: policies) }
        let files = ExhaustibleFileManager()
        let store = try PolicyStore(directory: policies, loader: PolicyLoader(fileManager: files))
        #expect(latestVersion(store) == 2)

        files.exhausted.withLockedValue { $0 = true }
        guard case .failure(let error) = store.reload() else {
            Issue.record("the reload succeeded without reading the tree")
            return
        }
        #expect(error.diagnostics.first?.code == .unreadableDirectory)
        #expect(error.diagnostics.first?.message.contains("Too many open files") == true, "\(error)")
        #expect(store.policies.policies.count == 2)
    }

    /// The watch compares fingerprints of the tree; one taken while the tree could not be read looked
    /// like a change (to fewer files) and set off a reload.
    @Test func aTreeThatCannotBeReadHasNoFingerprint() throws {
        let policies = try directory(["a/v1.json": TestPolicies.dataManagementV1])
        defer { try? FileManager.default.removeItem(atPath: policies) }
        let files = ExhaustibleFileManager()
        #expect(PolicyDirectoryFingerprint(directory: policies, fileManager: files) != nil)
        files.exhausted.withLockedValue { $0 = true }
        #expect(PolicyDirectoryFingerprint(directory: policies, fileManager: files) == nil)
    }

    @Test func aReloadIntoNoPolicyAtAllIsRefused() throws {
        let policies = try directory(["v1.json": TestPolicies.dataManagementV1])
        defer { try? FileManager.default.removeItem(atPath: policies) }
        let store = try PolicyStore(directory: policies)
        try FileManager.default.removeItem(atPath: policies + "/v1.json")
        guard case .failure(let error) = store.reload() else {
            Issue.record("the reload succeeded into nothing")
            return
        }
        #expect(error.diagnostics.map(\.code) == [.noPolicies])
        #expect(latestVersion(store) == 1)
    }

    @Test func startingOnAnEmptyDirectoryFailsUnlessAllowed() throws {
        let empty = try directory([:])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: PolicyLoadError.self) { try PolicyStore(directory: empty) }
        let allowed = try PolicyStore(directory: empty, allowsEmpty: true)
        #expect(allowed.policies.policies.isEmpty)
        #expect(throws: StartupError.self) {
            try PolicyServer(
                configuration: ServerConfiguration(port: 0, policyDirectory: empty, reloadsOnHangup: false, auditSampleRate: 0),
                logger: RunningApplication.quietLogger)
        }
    }
}

/// A file manager that, once exhausted, fails to list folders with EMFILE.
final class ExhaustibleFileManager: FileManager, @unchecked Sendable {
    let exhausted = NIOLockedValueBox(false)

    override func contentsOfDirectory(atPath path: String) throws -> [String] {
        if exhausted.withLockedValue({ $0 }) {
            throw NSError(
                domain: NSCocoaErrorDomain, code: CocoaError.fileReadUnknown.rawValue,
                userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EMFILE))])
        }
        return try super.contentsOfDirectory(atPath: path)
    }
}
