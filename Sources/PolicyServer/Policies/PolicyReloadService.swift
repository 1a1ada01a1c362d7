import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the policies on SIGHUP and when the directory changes (spec section 5), logging every
/// diagnostic of a reload that fails; the store keeps serving the last good set.
struct PolicyReloadService: Service {
    let store: PolicyStore
    let watchInterval: Duration?
    let reloadsOnHangup: Bool
    let logger: Logger
    let metrics: PolicydMetrics
    /// What else SIGHUP reloads (the issuers' key files).
    var alsoOnHangup: @Sendable () -> Void = {}

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if reloadsOnHangup {
                    group.addTask { await reloadOnHangup() }
                }
                if let watchInterval {
                    group.addTask { await watchDirectory(every: watchInterval) }
                }
            }
        }
    }

    private func reloadOnHangup() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            reload(because: "SIGHUP")
            alsoOnHangup()
        }
    }

    private func watchDirectory(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            // A tree that cannot be read now is no news: the next tick looks again.
            guard let current = PolicyDirectoryFingerprint(directory: store.directory) else { continue }
            // Against what the store last read: a reload (SIGHUP's too) takes its own look first.
            if current != store.fingerprintRead { reload(because: "the policy directory changed") }
        }
    }

    private func reload(because cause: String) {
        switch store.reload() {
        case .success(let serving):
            metrics.policyReloads.increment()
            metrics.policiesLoaded.record(serving.policies.policies.count)
            metrics.policyRevision.show(servedBy: store)
            logger.info(
                "policies reloaded",
                metadata: [
                    "cause": "\(cause)", "policies": "\(serving.policies.policies.count)", "revision": "\(serving.revision)",
                ])
        case .failure(let error):
            metrics.policyReloadFailures.increment()
            logger.error(
                "policy reload failed; the previous policies keep serving",
                metadata: ["cause": "\(cause)", "problems": "\(error.diagnostics.count)"])
            for diagnostic in error.diagnostics {
                logger.error("\(diagnostic.description)")
            }
        }
    }
}
