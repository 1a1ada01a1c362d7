/// An immutable set of byte strings, numbered in insertion order, looked up without allocating:
/// by a whole byte sequence, or by a hash and a comparison the caller streams itself (how a
/// group template is checked against the caller's groups while it is being substituted).
/// A class: it is shared, never changed, and passing it costs one reference, not four arrays.
public final class ByteStringSet: Sendable {
    private let storage: [UInt8]
    private let ranges: [Range<Int>]
    private let hashes: [UInt64]
    /// Open addressing, linear probing; each slot holds an index into `ranges`, or -1.
    private let slots: [Int32]
    private let mask: Int
    let seed: UInt64

    public var count: Int { ranges.count }

    public convenience init<Strings: Sequence>(_ strings: Strings) where Strings.Element: Sequence<UInt8> {
        var generator = SystemRandomNumberGenerator()
        self.init(strings, seed: generator.next())
    }

    convenience init<Strings: Sequence>(_ strings: Strings, seed: UInt64) where Strings.Element: Sequence<UInt8> {
        var storage: [UInt8] = []
        var ranges: [Range<Int>] = []
        for string in strings {
            let start = storage.count
            storage.append(contentsOf: string)
            ranges.append(start..<storage.count)
        }
        self.init(storage: storage, ranges: ranges, seed: seed)
    }

    /// From strings laid end to end in one buffer, each a range of it: what a reader that already
    /// holds the bytes builds without a copy per string (a batch line's 1,000 groups).
    init(storage: [UInt8], ranges candidates: [Range<Int>], seed: UInt64) {
        self.seed = seed
        var ranges: [Range<Int>] = []
        var hashes: [UInt64] = []
        ranges.reserveCapacity(candidates.count)
        hashes.reserveCapacity(candidates.count)
        var capacity = 8
        while capacity < candidates.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        storage.withUnsafeBufferPointer { bytes in
            for range in candidates {
                let item = UnsafeBufferPointer(rebasing: bytes[range])
                var hasher = ByteHasher(seed: seed)
                hasher.combine(contentsOf: item)
                let hash = hasher.finalized
                var slot = Int(truncatingIfNeeded: hash) & mask
                var duplicate = false
                while slots[slot] >= 0 {
                    let existing = Int(slots[slot])
                    if hashes[existing] == hash, bytesEqual(UnsafeBufferPointer(rebasing: bytes[ranges[existing]]), item) {
                        duplicate = true
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if duplicate { continue }
                slots[slot] = Int32(ranges.count)
                ranges.append(range)
                hashes.append(hash)
            }
        }
        self.storage = storage
        self.ranges = ranges
        self.hashes = hashes
        self.slots = slots
        self.mask = mask
    }

    public subscript(index: Int) -> ArraySlice<UInt8> { storage[ranges[index]] }

    public func string(at index: Int) -> String {
        String(decoding: self[index], as: UTF8.self)
    }

    public func index<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Int? {
        var hasher = ByteHasher(seed: seed)
        hasher.combine(contentsOf: bytes)
        return index(hash: hasher.finalized, length: bytes.count) { candidate in
            candidate.elementsEqual(bytes)
        }
    }

    /// The fast path for contiguous bytes (a `String`'s UTF-8, an array).
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var hasher = ByteHasher(seed: seed)
        hasher.combine(contentsOf: bytes)
        return index(hash: hasher.finalized, length: bytes.count) { candidate in
            bytesEqual(candidate, bytes)
        }
    }

    public func contains<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        index(of: bytes) != nil
    }

    /// The entry whose hash (from a `ByteHasher` with this set's `seed`) and length match and for
    /// which `matches` says yes.
    func index(hash: UInt64, length: Int, matches: (UnsafeBufferPointer<UInt8>) -> Bool) -> Int? {
        storage.withUnsafeBufferPointer { storage in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                if hashes[entry] == hash, ranges[entry].count == length,
                   matches(UnsafeBufferPointer(rebasing: storage[ranges[entry]])) {
                    return entry
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
