import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the policies on SIGHUP and when the directory changes (spec section 5), logging every
/// diagnostic of a reload that fails; the store keeps serving the last good set. The candidate set of
/// `--shadow-policies` is reloaded by the same service, on the same signal and the same watch
/// interval: one SIGHUP handler for the process (on Linux a second dispatch source for the signal
/// was not always signalled, see ResilienceTests).
struct PolicyReloadService: Service {
    /// A set the service keeps loaded, with its metrics and the word its log lines put before
    /// `policies` (`shadow ` for the candidate).
    struct Watched: Sendable {
        let policies: any ReloadablePolicies
        let metrics: PolicySetMetrics
        var logPrefix = ""
    }

    /// The live set first: on SIGHUP it is reloaded before the candidate.
    let sets: [Watched]
    let watchInterval: Duration?
    let reloadsOnHangup: Bool
    let logger: Logger
    /// What else SIGHUP reloads (the issuers' key files).
    var alsoOnHangup: @Sendable () -> Void = {}

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if reloadsOnHangup {
                    group.addTask { await reloadOnHangup() }
                }
                if let watchInterval {
                    for set in sets {
                        group.addTask { await watchDirectory(of: set, every: watchInterval) }
                    }
                }
            }
        }
    }

    private func reloadOnHangup() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            for set in sets {
                reload(set, because: "SIGHUP")
            }
            alsoOnHangup()
        }
    }

    private func watchDirectory(of set: Watched, every interval: Duration) async {
        let directory = set.policies.directory
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            // A tree that cannot be read now is no news: the next tick looks again.
            guard let current = PolicyDirectoryFingerprint(directory: directory) else { continue }
            // Against what the set last read: a reload (SIGHUP's too) takes its own look first. A
            // candidate that has not loaded yet is tried again the same way: its directory changed,
            // or appeared, or became readable.
            if current != set.policies.fingerprintRead { reload(set, because: "the policy directory changed") }
        }
    }

    private func reload(_ set: Watched, because cause: String) {
        let prefix = set.logPrefix
        switch set.policies.reload() {
        case .success(let serving):
            set.metrics.reloads.increment()
            set.metrics.loaded.record(serving.policies.policies.count)
            set.metrics.revision.show(servedBy: set.policies)
            logger.info(
                "\(prefix)policies reloaded",
                metadata: [
                    "cause": "\(cause)", "policies": "\(serving.policies.policies.count)", "revision": "\(serving.revision)",
                ])
        case .failure(let error):
            set.metrics.reloadFailures.increment()
            logger.error(
                "\(prefix)policy reload failed; the previous \(prefix)policies keep serving",
                metadata: ["cause": "\(cause)", "problems": "\(error.diagnostics.count)"])
            for diagnostic in error.diagnostics {
                logger.error("\(diagnostic.description)")
            }
        }
    }
}
