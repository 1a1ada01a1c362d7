import Crypto
import Foundation

/// Values kept until their own expiry, at most `capacity` of them: when full, the oldest insertion
/// makes room, in constant time (amortised), whatever the store holds. An expired value is removed
/// when it is next asked for, or when its turn as the oldest comes; values of one kind live about
/// equally long (tokens of one issuer), so the oldest is nearly always among the first to expire.
/// Scanning for expired values on every insertion into a full store made each new token cost a pass
/// over ten thousand entries. Not thread-safe: its owners (`CallerCache`, `GroupLookupCoalescer`)
/// keep it behind their lock.
///
/// The insertion order is a queue of (key, insertion) items; an item whose key was replaced or removed
/// since is stale and skipped. Stale items are dropped once they outnumber what the queue should hold,
/// so a few keys inserted again and again cannot grow it while the store never fills.
struct ExpiringStore<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let until: Date
        let insertion: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var order: [(key: Key, insertion: UInt64)] = []
    private var orderStart = 0
    private var insertions: UInt64 = 0
    /// Queue items looked at to make room, since the start: for tests of eviction's cost.
    private(set) var evictionSteps = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.count }

    /// Items waiting in the insertion-order queue, live and stale: for tests of its bound.
    var queuedCount: Int { order.count - orderStart }

    /// The value for `key` and until when it holds, if it has not expired at `now`; an expired value is
    /// removed.
    mutating func value(for key: Key, at now: Date) -> (value: Value, until: Date)? {
        guard let entry = entries[key] else { return nil }
        guard now < entry.until else {
            entries[key] = nil
            return nil
        }
        return (entry.value, entry.until)
    }

    /// Keeps `value` until `until`, unless it has expired already or the store holds nothing.
    mutating func insert(_ value: Value, for key: Key, until: Date, now: Date) {
        guard capacity > 0, now < until else { return }
        if entries[key] == nil { makeRoom() }
        insertions += 1
        entries[key] = Entry(value: value, until: until, insertion: insertions)
        order.append((key, insertions))
        dropStaleItemsIfTheyDominate()
    }

    mutating func removeValue(for key: Key) {
        entries[key] = nil
    }

    /// Removes every value whose key satisfies `shouldRemove` (a rare event, such as an issuer's keys
    /// changing: a pass over the store); returns how many went.
    mutating func removeAll(where shouldRemove: (Key) -> Bool) -> Int {
        let before = entries.count
        entries = entries.filter { !shouldRemove($0.key) }
        return before - entries.count
    }

    private mutating func makeRoom() {
        while entries.count >= capacity, orderStart < order.count {
            let oldest = order[orderStart]
            orderStart += 1
            evictionSteps += 1
            if entries[oldest.key]?.insertion == oldest.insertion {
                entries[oldest.key] = nil
            }
        }
    }

    private mutating func dropStaleItemsIfTheyDominate() {
        guard order.count - orderStart > 2 * max(capacity, 512) || orderStart > max(capacity, 1024) else { return }
        let live = entries
        order = order[orderStart...].filter { live[$0.key]?.insertion == $0.insertion }
        orderStart = 0
    }
}

extension SHA256.Digest {
    /// The digest of a token's bytes: caches are keyed by it, so that they never hold the token.
    init(ofToken token: String) {
        var token = token
        self = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
    }
}
