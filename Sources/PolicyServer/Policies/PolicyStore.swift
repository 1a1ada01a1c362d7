import Foundation
import NIOConcurrencyHelpers
import PolicyCore

/// The policy set being served. A reload replaces it whole or not at all (spec section 5): every request
/// reads one consistent set, and a failed reload leaves the last good set serving.
public final class PolicyStore: Sendable {
    public struct Snapshot: Sendable {
        public let policies: PolicySet
        public let loadedAt: Date
        /// The diagnostics of the latest reload when it failed; cleared by the next good one.
        public let lastFailure: ReloadFailure?
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
    /// Serialises reloads, so a slow one cannot overwrite the result of a later one.
    private let reloading = NIOLock()

    /// Loads the directory; throws when it does not load, as a daemon must not start without policies.
    public init(
        directory: String, allowsEmpty: Bool = false, loader: PolicyLoader = PolicyLoader(matcherKind: .trie)
    ) throws(PolicyLoadError) {
        self.directory = directory
        self.allowsEmpty = allowsEmpty
        self.loader = loader
        let policies = try loader.load(directory: directory, allowsEmpty: allowsEmpty)
        state = NIOLockedValueBox(Snapshot(policies: policies, loadedAt: Date(), lastFailure: nil))
    }

    public var snapshot: Snapshot { state.withLockedValue { $0 } }

    public var policies: PolicySet { state.withLockedValue { $0.policies } }

    /// Loads the directory again and swaps the result in if every file checks.
    @discardableResult
    public func reload() -> Result<PolicySet, PolicyLoadError> {
        reloading.withLock {
            let loaded = Result { () throws(PolicyLoadError) -> PolicySet in
                try loader.load(directory: directory, allowsEmpty: allowsEmpty)
            }
            switch loaded {
            case .success(let policies):
                state.withLockedValue { $0 = Snapshot(policies: policies, loadedAt: Date(), lastFailure: nil) }
            case .failure(let error):
                let failure = ReloadFailure(at: Date(), diagnostics: error.diagnostics.map(\.description))
                state.withLockedValue {
                    $0 = Snapshot(policies: $0.policies, loadedAt: $0.loadedAt, lastFailure: failure)
                }
            }
            return loaded
        }
    }
}
