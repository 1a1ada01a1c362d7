import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Issuers' answers about tokens (introspection or userinfo), by token, so that a token costs the issuer
/// one request however many decisions it takes part in:
/// - an answer is kept until the time its lookup set (the token's expiry, bounded by `--groups-cache-ttl`);
/// - concurrent lookups of one token share one request: the first starts a single task, the others await
///   it (the task, not its first waiter, stores the answer, so the answer is kept even if that waiter
///   goes away), and the in-flight task is replaced by its answer under the same lock, so no late
///   arrival can slip between the two and ask again;
/// - failures (timeouts, outages) are never kept: the next lookup asks again.
///
/// Keys hold a SHA-256 digest of the token, never the token. Answers are kept in an `ExpiringStore`, as
/// `CallerCache` keeps callers: when full, expired answers go first, then the oldest.
final class GroupLookupCoalescer: Sendable {
    struct Key: Hashable, Sendable {
        let tokenDigest: SHA256.Digest
        let issuer: String
        let source: GroupSource

        init(token: String, issuer: String, source: GroupSource) {
            tokenDigest = SHA256.Digest(ofToken: token)
            self.issuer = issuer
            self.source = source
        }
    }

    typealias Outcome = Result<GroupAnswer, GroupLookupFailure>

    /// How an outcome was had: for the metrics, and for tests of the coalescing.
    enum Provenance: String, Sendable {
        /// This call asked the issuer.
        case asked
        /// Another call was already asking; this one awaited its answer.
        case joined
        /// A kept answer.
        case cached
    }

    struct Lookup: Sendable {
        let outcome: Outcome
        /// Until when the answer may be trusted (nil with a failure).
        let trustedUntil: Date?
        let provenance: Provenance
    }

    private struct Settled: Sendable {
        let outcome: Outcome
        let trustedUntil: Date?
    }

    private struct State {
        var answers: ExpiringStore<Key, GroupAnswer>
        var inFlight: [Key: Task<Settled, Never>] = [:]
    }

    private let now: @Sendable () -> Date
    private let state: NIOLockedValueBox<State>

    init(capacity: Int, now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
        state = NIOLockedValueBox(State(answers: ExpiringStore(capacity: capacity)))
    }

    /// The answer for `key`: kept, being asked for, or asked for now by `ask`. `keepUntil` says, once an
    /// answer has arrived, until when it may be trusted. `noting` hears how the answer will be had as soon
    /// as that is known, before any waiting (so that waiters can be counted while they wait).
    func lookup(
        _ key: Key, keepUntil: @escaping @Sendable (GroupAnswer) -> Date,
        noting: @Sendable (Provenance) -> Void = { _ in }, ask: @escaping @Sendable () async -> Outcome
    ) async -> Lookup {
        let now = now()
        enum Step {
            case kept(GroupAnswer, Date)
            case await(Task<Settled, Never>, Provenance)
        }
        let step: Step = state.withLockedValue { state in
            if let (answer, until) = state.answers.value(for: key, at: now) { return .kept(answer, until) }
            if let task = state.inFlight[key] { return .await(task, .joined) }
            // The lock is held until the task is in place, so it cannot settle before it is.
            let task = Task { await self.settle(key, outcome: await ask(), keepUntil: keepUntil) }
            state.inFlight[key] = task
            return .await(task, .asked)
        }
        switch step {
        case .kept(let answer, let until):
            noting(.cached)
            return Lookup(outcome: .success(answer), trustedUntil: until, provenance: .cached)
        case .await(let task, let provenance):
            noting(provenance)
            let settled = await task.value
            return Lookup(outcome: settled.outcome, trustedUntil: settled.trustedUntil, provenance: provenance)
        }
    }

    /// Answers kept and lookups in flight.
    var count: Int {
        state.withLockedValue { $0.answers.count + $0.inFlight.count }
    }

    private func settle(_ key: Key, outcome: Outcome, keepUntil: @Sendable (GroupAnswer) -> Date) -> Settled {
        let now = now()
        guard case .success(let answer) = outcome else {
            state.withLockedValue { $0.inFlight[key] = nil }
            return Settled(outcome: outcome, trustedUntil: nil)
        }
        let until = keepUntil(answer)
        state.withLockedValue { state in
            // One critical section: a late arrival finds either the task or the answer, never neither.
            state.inFlight[key] = nil
            state.answers.insert(answer, for: key, until: until, now: now)
        }
        return Settled(outcome: outcome, trustedUntil: until)
    }
}
