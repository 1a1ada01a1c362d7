import Foundation
import NIOConcurrencyHelpers
import PolicyCore

/// The candidate set of `--shadow-policies`: a `PolicyStore` of its own, loaded by the same loader
/// with the same checks (and `--allow-empty-policies`) as the live one, reloaded the same way. One
/// difference: a candidate that does not load at start stops nothing. policyd serves its live
/// answers without shadow decisions, shows the failure in `/v1/health`, and tries again on each
/// reload (the watch, SIGHUP) until the candidate loads: a candidate is a proposal, and the live
/// service must never depend on it.
final class ShadowPolicyStore: Sendable {
    private enum State {
        /// Loaded once: from then on the store keeps its last good set, as the live one does.
        case loaded(PolicyStore)
        /// Never loaded since policyd started: why not, the latest attempt.
        case notLoaded(PolicyStore.ReloadFailure)
    }

    let directory: String
    private let allowsEmpty: Bool
    private let loader: PolicyLoader
    private let state: NIOLockedValueBox<State>
    /// Serialises the attempts made before the store exists, so that two cannot both make one.
    private let loading = NIOLock()
    /// The directory as it looked before the latest attempt that made no store.
    private let attemptFingerprint = NIOLockedValueBox<PolicyDirectoryFingerprint?>(nil)

    init(directory: String, allowsEmpty: Bool = false, loader: PolicyLoader = PolicyLoader(matcherKind: .trie)) {
        self.directory = directory
        self.allowsEmpty = allowsEmpty
        self.loader = loader
        state = NIOLockedValueBox(.notLoaded(PolicyStore.ReloadFailure(at: Date(), diagnostics: [])))
        _ = reload()
    }

    /// Why the candidate has not loaded since policyd started; nil once it has.
    var failureBeforeLoading: PolicyStore.ReloadFailure? {
        state.withLockedValue { if case .notLoaded(let failure) = $0 { failure } else { nil } }
    }

    private var store: PolicyStore? {
        state.withLockedValue { if case .loaded(let store) = $0 { store } else { nil } }
    }
}

extension ShadowPolicyStore: ReloadablePolicies {
    var serving: PolicyStore.Snapshot? { store?.snapshot }

    var fingerprintRead: PolicyDirectoryFingerprint? {
        store?.fingerprintRead ?? attemptFingerprint.withLockedValue { $0 }
    }

    func reload() -> Result<PolicyStore.Snapshot, PolicyLoadError> {
        if let store { return store.reload() }
        return loading.withLock {
            if let store { return store.reload() }
            attemptFingerprint.withLockedValue { $0 = PolicyDirectoryFingerprint(directory: directory) }
            do throws(PolicyLoadError) {
                let store = try PolicyStore(directory: directory, allowsEmpty: allowsEmpty, loader: loader)
                state.withLockedValue { $0 = .loaded(store) }
                return .success(store.snapshot)
            } catch {
                let failure = PolicyStore.ReloadFailure(at: Date(), diagnostics: error.diagnostics.map(\.description))
                state.withLockedValue { $0 = .notLoaded(failure) }
                return .failure(error)
            }
        }
    }
}
