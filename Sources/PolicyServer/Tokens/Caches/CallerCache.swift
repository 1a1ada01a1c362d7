import Crypto
import Foundation
import NIOConcurrencyHelpers
import PolicyTokens

/// Verified callers by token and requirements, until the token's `exp`, so a token seen before costs
/// one hash and one lookup instead of a signature check and a groups table.
///
/// Keys hold a SHA-256 digest of the token, never the token. Bounded (an `ExpiringStore`): when full,
/// expired entries go first, then the oldest. A lock rather than an actor, because every authorisation passes through
/// here and the critical sections are a dictionary access.
final class CallerCache: Sendable {
    struct Key: Hashable, Sendable {
        let tokenDigest: SHA256.Digest
        let requirements: TokenRequirements

        init(token: String, requirements: TokenRequirements) {
            tokenDigest = SHA256.Digest(ofToken: token)
            self.requirements = requirements
        }

        /// The digest alone: already uniform, it spreads keys as well as anything could, and a first
        /// call hashes its key three times (look-up, room, insertion), each time over the issuer,
        /// audience and scope too. Equality still compares the requirements.
        func hash(into hasher: inout Hasher) {
            hasher.combine(tokenDigest)
        }
    }

    struct Statistics: Sendable, Equatable {
        var entries = 0
        var hits = 0
        var misses = 0
    }

    private struct State {
        var callers: ExpiringStore<Key, AuthenticatedCaller>
        var hits = 0
        var misses = 0
    }

    private let now: @Sendable () -> Date
    private let state: NIOLockedValueBox<State>

    init(capacity: Int, now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
        state = NIOLockedValueBox(State(callers: ExpiringStore(capacity: capacity)))
    }

    var capacity: Int { state.withLockedValue { $0.callers.capacity } }

    func caller(for key: Key) -> AuthenticatedCaller? {
        let now = now()
        return state.withLockedValue { state in
            guard let (caller, _) = state.callers.value(for: key, at: now) else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return caller
        }
    }

    func insert(_ caller: AuthenticatedCaller, for key: Key) {
        let now = now()
        state.withLockedValue { $0.callers.insert(caller, for: key, until: caller.expiresAt, now: now) }
    }

    /// Drops every caller verified for `issuer` (its keys changed); returns how many went.
    @discardableResult
    func removeCallers(ofIssuer issuer: String) -> Int {
        state.withLockedValue { state in
            state.callers.removeAll { $0.requirements.issuer.utf8.elementsEqual(issuer.utf8) }
        }
    }

    var statistics: Statistics {
        state.withLockedValue { Statistics(entries: $0.callers.count, hits: $0.hits, misses: $0.misses) }
    }

    /// Queue items the store has looked at to make room (see `ExpiringStore`).
    var evictionSteps: Int { state.withLockedValue { $0.callers.evictionSteps } }

    /// Items in the store's insertion-order queue (see `ExpiringStore`).
    var queuedCount: Int { state.withLockedValue { $0.callers.queuedCount } }
}
