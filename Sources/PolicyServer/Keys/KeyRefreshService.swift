import Foundation
import Logging
import ServiceLifecycle

/// Keeps fetched keys fresh: fetches every network issuer of the policies being served as soon as it
/// appears (at start and after a reload), then again when its `max-age` (within the configured bounds)
/// runs out, and retries a failed fetch after the minimum interval. Requests never wait for this.
/// The issuers of a `--shadow-policies` candidate are kept fresh alike, so that shadow decisions
/// do not wait for keys the live set does not need.
struct KeyRefreshService: Service {
    let policies: PolicyStore
    let candidates: ShadowPolicyStore?
    let keys: IssuerKeyDirectory
    let board: IssuerKeyStatusBoard
    let schedule: KeyRefreshSchedule
    let logger: Logger
    let now: @Sendable () -> Date
    /// How often the schedule is looked at; due fetches start on the next tick.
    var tick: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await refreshDueIssuers()
                do {
                    try await Task.sleep(for: tick)
                } catch {
                    return
                }
            }
        }
    }

    private func refreshDueIssuers() async {
        var issuers = Set(policies.policies.tokenIssuers)
        if let candidate = candidates?.serving { issuers.formUnion(candidate.policies.tokenIssuers) }
        let due = issuers.filter { keys.origin(of: $0).isFetched && isDue($0) }
        await withDiscardingTaskGroup { group in
            for issuer in due {
                group.addTask {
                    do {
                        _ = try await keys.refreshedKeys(forIssuer: issuer)
                    } catch {
                        let reason = board.status(of: issuer)?.lastError ?? "\(error)"
                        logger.warning("cannot fetch issuer keys", metadata: ["issuer": "\(issuer)", "error": "\(reason)"])
                    }
                }
            }
        }
    }

    private func isDue(_ issuer: String) -> Bool {
        guard let status = board.status(of: issuer), let lastAttempt = status.lastAttempt else { return true }
        if status.lastAttemptSucceeded, let lastSuccess = status.lastSuccess {
            return now() >= lastSuccess.addingTimeInterval(schedule.interval(forMaxAge: status.maxAge))
        }
        return now() >= lastAttempt.addingTimeInterval(schedule.minimumInterval)
    }
}
