import Foundation

/// Caches issuers' keys from a `JWKSFetcher`, refetching when they grow old or a token names an unknown key id.
///
/// Unknown key ids are chosen by whoever sends a token, so real fetches are bounded:
/// at most one attempt per issuer per `minimumRefreshInterval`, and concurrent callers share one fetch.
public actor KeyStore: KeySetProvider {
    private struct Entry {
        var keys: IssuerKeys?
        var fetchedAt: Date?
        var lastAttempt: Date?
        var inFlight: Task<IssuerKeys, any Error>?
    }

    private let fetcher: any JWKSFetcher
    private let minimumRefreshInterval: TimeInterval
    private let maximumKeyAge: TimeInterval
    private let now: @Sendable () -> Date
    private let onChange: @Sendable (String) -> Void
    private var entries: [String: Entry] = [:]
    /// Each issuer's keys and when they were fetched, readable without entering the actor.
    private let inHand = KeysInHand()

    /// - Parameters:
    ///   - maximumKeyAge: keys older than this are refetched on use, so withdrawn keys stop being trusted.
    ///   - onChange: called with the issuer when a fetch brings a key set other than the one held, so
    ///     that whatever was verified with the old one can be dropped.
    public init(
        fetcher: any JWKSFetcher,
        minimumRefreshInterval: TimeInterval = 60,
        maximumKeyAge: TimeInterval = 3600,
        now: @escaping @Sendable () -> Date = Date.init,
        onChange: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.onChange = onChange
        self.fetcher = fetcher
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumKeyAge = maximumKeyAge
        self.now = now
    }

    public nonisolated func keysInHand(forIssuer issuer: String) -> IssuerKeys? {
        guard let (keys, fetchedAt) = inHand[issuer], now().timeIntervalSince(fetchedAt) < maximumKeyAge else { return nil }
        return keys
    }

    public func keys(forIssuer issuer: String) async throws -> IssuerKeys {
        if let entry = entries[issuer], let keys = entry.keys, let fetchedAt = entry.fetchedAt,
            now().timeIntervalSince(fetchedAt) < maximumKeyAge
        {
            return keys
        }
        return try await refreshedKeys(forIssuer: issuer)
    }

    public func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys {
        let entry = entries[issuer, default: Entry()]
        if let inFlight = entry.inFlight {
            return try await keysOrStale(from: inFlight, issuer: issuer)
        }
        if let lastAttempt = entry.lastAttempt, now().timeIntervalSince(lastAttempt) < minimumRefreshInterval {
            guard let keys = entry.keys else { throw KeySetError.fetchThrottled(issuer: issuer) }
            return keys
        }
        return try await fetch(issuer)
    }

    private func fetch(_ issuer: String) async throws -> IssuerKeys {
        let fetcher = self.fetcher
        let task = Task { try IssuerKeys(jwksJSON: try await fetcher.fetchJWKS(forIssuer: issuer)) }
        entries[issuer, default: Entry()].lastAttempt = now()
        entries[issuer]?.inFlight = task
        if let keys = try? await task.value {
            let previous = entries[issuer]?.keys
            entries[issuer]?.keys = keys
            entries[issuer]?.fetchedAt = now()
            inHand[issuer] = (keys, now())
            if let previous, previous.document != keys.document { onChange(issuer) }
        }
        entries[issuer]?.inFlight = nil
        return try await keysOrStale(from: task, issuer: issuer)
    }

    /// Stale keys beat none while the issuer's endpoint is down.
    private func keysOrStale(from fetch: Task<IssuerKeys, any Error>, issuer: String) async throws -> IssuerKeys {
        do {
            return try await fetch.value
        } catch {
            guard let stale = entries[issuer]?.keys else { throw error }
            return stale
        }
    }
}

/// A lock-guarded copy of `KeyStore`'s fetched keys, for `keysInHand`.
private final class KeysInHand: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: (IssuerKeys, Date)] = [:]

    subscript(issuer: String) -> (IssuerKeys, Date)? {
        get { lock.withLock { keys[issuer] } }
        set { lock.withLock { keys[issuer] = newValue } }
    }
}
