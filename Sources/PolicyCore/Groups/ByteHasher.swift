/// FNV-1a over bytes, fed piece by piece, so that a group template can be hashed as it is
/// substituted without building the substituted string. The seed is drawn per table, so that
/// callers cannot aim collisions at a table they cannot see.
struct ByteHasher {
    private(set) var value: UInt64

    init(seed: UInt64) {
        value = 0xcbf2_9ce4_8422_2325 ^ seed
    }

    @inline(__always)
    mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always)
    mutating func combine<Bytes: Sequence<UInt8>>(contentsOf bytes: Bytes) {
        for byte in bytes { combine(byte) }
    }

    /// Spreads the low bits, which FNV leaves weak, before they pick a slot.
    var finalized: UInt64 {
        var mixed = value
        mixed ^= mixed >> 33
        mixed = mixed &* 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        return mixed
    }
}
