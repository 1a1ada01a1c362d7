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
/// Keys hold a SHA-256 digest of the token, never the token. Bounded like `CallerCache`: when full,
/// expired answers go first, then the oldest.
final class GroupLookupCoalescer: Sendable {
    struct Key: Hashable, Sendable {
        let tokenDigest: SHA256.Digest
        let issuer: String
        let source: GroupSource

        init(token: String, issuer: String, source: GroupSource) {
            var token = token
            tokenDigest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
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

    private enum Entry {
        case answered(GroupAnswer, until: Date, insertion: UInt64)
        case inFlight(Task<Settled, Never>)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Insertion order of answers, for evicting the oldest; stale items (replaced keys) are skipped.
        var order: [(key: Key, insertion: UInt64)] = []
        var orderStart = 0
        var insertions: UInt64 = 0
    }

    let capacity: Int
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox(State())

    init(capacity: Int, now: @escaping @Sendable () -> Date = Date.init) {
        self.capacity = max(0, capacity)
        self.now = now
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
            switch state.entries[key] {
            case .answered(let answer, let until, _)? where now < until:
                return .kept(answer, until)
            case .inFlight(let task)?:
                return .await(task, .joined)
            default:
                // The lock is held until the entry is in place, so the task cannot settle before it is.
                let task = Task { await self.settle(key, outcome: await ask(), keepUntil: keepUntil) }
                state.entries[key] = .inFlight(task)
                return .await(task, .asked)
            }
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

    var count: Int {
        state.withLockedValue { $0.entries.count }
    }

    private func settle(_ key: Key, outcome: Outcome, keepUntil: @Sendable (GroupAnswer) -> Date) -> Settled {
        let now = now()
        guard case .success(let answer) = outcome else {
            state.withLockedValue { $0.entries[key] = nil }
            return Settled(outcome: outcome, trustedUntil: nil)
        }
        let until = keepUntil(answer)
        state.withLockedValue { state in
            state.entries[key] = nil
            guard capacity > 0, now < until else { return }
            Self.makeRoom(in: &state, capacity: capacity, now: now)
            state.insertions += 1
            state.entries[key] = .answered(answer, until: until, insertion: state.insertions)
            state.order.append((key, state.insertions))
        }
        return Settled(outcome: outcome, trustedUntil: until)
    }

    private static func makeRoom(in state: inout State, capacity: Int, now: Date) {
        if state.entries.count >= capacity {
            state.entries = state.entries.filter { _, entry in
                if case .answered(_, let until, _) = entry { return now < until }
                return true
            }
        }
        while state.entries.count >= capacity, state.orderStart < state.order.count {
            let oldest = state.order[state.orderStart]
            state.orderStart += 1
            if case .answered(_, _, let insertion)? = state.entries[oldest.key], insertion == oldest.insertion {
                state.entries[oldest.key] = nil
            }
        }
        // Drop consumed and stale items (answers replaced or gone) once they dominate the queue: a few
        // tokens asked about again and again would otherwise grow it without the cache ever filling.
        if state.order.count - state.orderStart > 2 * max(capacity, 512) || state.orderStart > max(capacity, 1024) {
            let live = state.entries
            state.order = state.order[state.orderStart...].filter { item in
                if case .answered(_, _, let insertion)? = live[item.key] { return insertion == item.insertion }
                return false
            }
            state.orderStart = 0
        }
    }
}
