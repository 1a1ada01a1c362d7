/// Text compared by its UTF-8 bytes. Swift's `String ==` treats canonically equivalent strings
/// as equal (`"é"` precomposed equals `"e\u{301}"`); group names, roles, services and path
/// segments must not: the spec compares bytes.
public struct ByteString: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { string }

    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension String {
    /// Byte-wise equality (see `ByteString`).
    @inlinable
    func hasSameBytes(as other: String) -> Bool {
        self.utf8.elementsEqual(other.utf8)
    }
}
