import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import PolicyCore
import PolicyDigest

/// The policy set being served. A reload replaces it whole or not at all (spec section 5): every request
/// reads one consistent set, and a failed reload leaves the last good set serving.
public final class PolicyStore: Sendable {
    public struct Snapshot: Sendable {
        public let policies: PolicySet
        /// The set's revision, made with it: what answers, audit records, health and metrics name.
        public let revision: PolicyRevision
        /// `X-Policy-Revision` with it, made once per load so that an answer only appends it.
        let revisionField: HTTPField
        public let loadedAt: Date
        /// The diagnostics of the latest reload when it failed; cleared by the next good one.
        public let lastFailure: ReloadFailure?

        init(loaded policies: PolicySet, at loadedAt: Date) {
            self.policies = policies
            revision = PolicyRevision(of: policies)
            revisionField = HTTPField(name: .policyRevision, value: revision.text)
            self.loadedAt = loadedAt
            lastFailure = nil
        }

        /// The same set still serving, after a reload that failed.
        private init(_ serving: Snapshot, failure: ReloadFailure) {
            policies = serving.policies
            revision = serving.revision
            revisionField = serving.revisionField
            loadedAt = serving.loadedAt
            lastFailure = failure
        }

        func failed(_ failure: ReloadFailure) -> Snapshot {
            Snapshot(self, failure: failure)
        }
    }

    public struct ReloadFailure: Sendable {
        public let at: Date
        public let diagnostics: [String]
    }

    public let directory: String
    /// Whether a directory with no policy at all may serve (`--allow-empty-policies`); otherwise
    /// such a load fails, at start and on reload.
    public let allowsEmpty: Bool
    private let loader: PolicyLoader
    private let state: NIOLockedValueBox<Snapshot>
    private let readFingerprint: NIOLockedValueBox<PolicyDirectoryFingerprint?>
    /// Serialises reloads, so a slow one cannot overwrite the result of a later one.
    private let reloading = NIOLock()

    /// Loads the directory; throws when it does not load, as a daemon must not start without policies.
    public init(
        directory: String, allowsEmpty: Bool = false, loader: PolicyLoader = PolicyLoader(matcherKind: .trie)
    ) throws(PolicyLoadError) {
        self.directory = directory
        self.allowsEmpty = allowsEmpty
        self.loader = loader
        let fingerprint = PolicyDirectoryFingerprint(directory: directory)
        let policies = try loader.load(directory: directory, allowsEmpty: allowsEmpty)
        state = NIOLockedValueBox(Snapshot(loaded: policies, at: Date()))
        readFingerprint = NIOLockedValueBox(fingerprint)
    }

    /// The directory as it looked just before it was last read (at the start, or by the latest
    /// reload, good or failed): what the watch compares it with. Taken before the files are read, so
    /// that a change made meanwhile is still a change; and kept with the store, so that a change made
    /// between the start's load and the watch's first look is one too (the watch used to take its
    /// first look as the baseline, and never saw such a change).
    var fingerprintRead: PolicyDirectoryFingerprint? { readFingerprint.withLockedValue { $0 } }

    public var snapshot: Snapshot { state.withLockedValue { $0 } }

    public var policies: PolicySet { state.withLockedValue { $0.policies } }

    /// Loads the directory again and swaps the result in if every file checks; the snapshot serving
    /// after a reload that succeeded.
    @discardableResult
    public func reload() -> Result<Snapshot, PolicyLoadError> {
        reloading.withLock {
            readFingerprint.withLockedValue { $0 = PolicyDirectoryFingerprint(directory: directory) }
            do throws(PolicyLoadError) {
                let loaded = Snapshot(loaded: try loader.load(directory: directory, allowsEmpty: allowsEmpty), at: Date())
                state.withLockedValue { $0 = loaded }
                return .success(loaded)
            } catch {
                let failure = ReloadFailure(at: Date(), diagnostics: error.diagnostics.map(\.description))
                state.withLockedValue { $0 = $0.failed(failure) }
                return .failure(error)
            }
        }
    }
}
