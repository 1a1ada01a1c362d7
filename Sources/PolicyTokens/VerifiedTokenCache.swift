import Crypto
import Foundation

/// Remembers verified tokens until they expire, so repeat requests skip signature checks.
///
/// Keys are a SHA-256 digest of the token plus the requirements it met; token text is never stored.
/// Entries assume one verifier configuration (leeway, groups claim); use one cache per verifier.
public actor VerifiedTokenCache {
    private struct Key: Hashable {
        let tokenDigest: [UInt8]
        let requirements: TokenRequirements

        init(_ token: String, _ requirements: TokenRequirements) {
            self.tokenDigest = Array(SHA256.hash(data: Data(token.utf8)))
            self.requirements = requirements
        }
    }

    private struct Entry {
        let token: VerifiedToken
        let expiresAt: Date
        let insertion: UInt64
    }

    public let capacity: Int
    private let now: @Sendable () -> Date
    private var entries: [Key: Entry] = [:]
    private var insertions: UInt64 = 0

    public init(capacity: Int, now: @escaping @Sendable () -> Date = Date.init) {
        self.capacity = max(0, capacity)
        self.now = now
    }

    public var count: Int { entries.count }

    public func token(for token: String, requirements: TokenRequirements) -> VerifiedToken? {
        let key = Key(token, requirements)
        guard let entry = entries[key] else { return nil }
        guard now() < entry.expiresAt else {
            entries[key] = nil
            return nil
        }
        return entry.token
    }

    /// Tokens without `exp` are not cached: nothing would bound how long they stay trusted.
    public func insert(_ verified: VerifiedToken, for token: String, requirements: TokenRequirements) {
        guard let expiresAt = verified.expiresAt, now() < expiresAt, capacity > 0 else { return }
        let key = Key(token, requirements)
        if entries[key] == nil {
            makeRoom()
        }
        insertions += 1
        entries[key] = Entry(token: verified, expiresAt: expiresAt, insertion: insertions)
    }

    private func makeRoom() {
        guard entries.count >= capacity else { return }
        let now = now()
        entries = entries.filter { now < $0.value.expiresAt }
        while entries.count >= capacity, let oldest = entries.min(by: { $0.value.insertion < $1.value.insertion }) {
            entries[oldest.key] = nil
        }
    }
}
