import Foundation
import Logging
import Metrics
@testable import PolicyServer
import ServiceLifecycle
import Testing

/// The directory watch, in process: a `PolicyStore` and its `PolicyReloadService`, no server. The
/// waits are long because a full run can keep the concurrency pool busy for seconds; each returns
/// as soon as its condition holds.
@Suite struct PolicyWatchTests {
    static let issuer = "https://issuer.test"

    /// The watch (every 20 ms) over `store`, until the task is cancelled.
    static func watch(_ store: PolicyStore) -> Task<Void, any Error> {
        let service = PolicyReloadService(
            sets: [.init(policies: store, metrics: PolicySetMetrics(factory: NOOPMetricsHandler.instance, prefix: "policyd_"))],
            watchInterval: .milliseconds(20), reloadsOnHangup: false, logger: RunningApplication.quietLogger)
        return Task { try await service.run() }
    }

    /// A file added after the store loaded but before the watch first looked (a start that overlaps a
    /// deployment): the watch used to take its first look as what was loaded, and never reloaded.
    @Test func aChangeBeforeTheWatchStartsIsSeen() async throws {
        let directory = try TestPolicies.directory(issuer: Self.issuer, files: ["a.json": TestPolicies.dataManagementV1])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try PolicyStore(directory: directory)
        let plugin = TestPolicies.plugin.replacingOccurrences(of: "ISSUER", with: Self.issuer)
        try Data(plugin.utf8).write(to: URL(fileURLWithPath: directory + "/plugin.json"))
        let watch = Self.watch(store)
        defer { watch.cancel() }
        #expect(try await eventually(seconds: 60) { store.policies.policies.count == 2 })
    }

    /// A failed reload is not tried again for the same tree, and the next change is seen.
    @Test func aBrokenTreeIsReadOnceAndTheNextChangeIsSeen() async throws {
        let directory = try TestPolicies.directory(issuer: Self.issuer, files: ["a.json": TestPolicies.dataManagementV1])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try PolicyStore(directory: directory)
        let watch = Self.watch(store)
        defer { watch.cancel() }
        try Data("{".utf8).write(to: URL(fileURLWithPath: directory + "/broken.json"))
        #expect(try await eventually(seconds: 60) { store.snapshot.lastFailure != nil })
        let failedAt = try #require(store.snapshot.lastFailure).at
        try await Task.sleep(for: .milliseconds(200))
        #expect(store.snapshot.lastFailure?.at == failedAt, "the same broken tree is not read again")
        try FileManager.default.removeItem(atPath: directory + "/broken.json")
        #expect(try await eventually(seconds: 60) { store.snapshot.lastFailure == nil })
    }
}
