import Crypto
import Foundation
import NIOConcurrencyHelpers
import PolicyTokens

/// Verified callers by token and requirements, until the token's `exp`, so a token seen before costs
/// one hash and one lookup instead of a signature check and a groups table.
///
/// Keys hold a SHA-256 digest of the token, never the token. Bounded: when full, expired entries go
/// first, then the oldest. A lock rather than an actor, because every authorisation passes through
/// here and the critical sections are a dictionary access.
final class CallerCache: Sendable {
    struct Key: Hashable, Sendable {
        let tokenDigest: SHA256.Digest
        let requirements: TokenRequirements

        init(token: String, requirements: TokenRequirements) {
            var token = token
            tokenDigest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            self.requirements = requirements
        }
    }

    struct Statistics: Sendable, Equatable {
        var entries = 0
        var hits = 0
        var misses = 0
    }

    private struct Entry {
        let caller: AuthenticatedCaller
        let insertion: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Insertion order, for evicting the oldest; stale items (replaced keys) are skipped.
        var order: [(key: Key, insertion: UInt64)] = []
        var orderStart = 0
        var insertions: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    let capacity: Int
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox(State())

    init(capacity: Int, now: @escaping @Sendable () -> Date = Date.init) {
        self.capacity = max(0, capacity)
        self.now = now
    }

    func caller(for key: Key) -> AuthenticatedCaller? {
        let now = now()
        return state.withLockedValue { state in
            guard let entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            guard now < entry.caller.expiresAt else {
                state.entries[key] = nil
                state.misses += 1
                return nil
            }
            state.hits += 1
            return entry.caller
        }
    }

    func insert(_ caller: AuthenticatedCaller, for key: Key) {
        let now = now()
        guard capacity > 0, now < caller.expiresAt else { return }
        state.withLockedValue { state in
            if state.entries[key] == nil {
                Self.makeRoom(in: &state, capacity: capacity, now: now)
            }
            state.insertions += 1
            state.entries[key] = Entry(caller: caller, insertion: state.insertions)
            state.order.append((key, state.insertions))
        }
    }

    var statistics: Statistics {
        state.withLockedValue { Statistics(entries: $0.entries.count, hits: $0.hits, misses: $0.misses) }
    }

    private static func makeRoom(in state: inout State, capacity: Int, now: Date) {
        guard state.entries.count >= capacity else { return }
        state.entries = state.entries.filter { now < $0.value.caller.expiresAt }
        while state.entries.count >= capacity, state.orderStart < state.order.count {
            let oldest = state.order[state.orderStart]
            state.orderStart += 1
            if state.entries[oldest.key]?.insertion == oldest.insertion {
                state.entries[oldest.key] = nil
            }
        }
        // Drop the consumed prefix (and items of expired entries) once it dominates the queue.
        if state.orderStart > 1024, state.orderStart * 2 > state.order.count {
            let live = state.entries
            state.order = state.order[state.orderStart...].filter { live[$0.key]?.insertion == $0.insertion }
            state.orderStart = 0
        }
    }
}
