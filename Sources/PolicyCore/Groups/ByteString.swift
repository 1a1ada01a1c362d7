#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Byte-wise equality (see `ByteString`): what every comparison of policy or token text uses.
    public func hasSameBytes(as other: String) -> Bool {
        if let equal = utf8.withContiguousStorageIfAvailable({ left in
            other.utf8.withContiguousStorageIfAvailable { right in bytesEqual(left, right) }
        }) {
            return equal ?? utf8.elementsEqual(other.utf8)
        }
        return utf8.elementsEqual(other.utf8)
    }
}

extension String {
    func hasSameBytes(as bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytesEqual($0, bytes) } ?? utf8.elementsEqual(bytes)
    }
}

@inline(__always)
func bytesEqual(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    guard left.count == right.count else { return false }
    guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
    return memcmp(leftBase, rightBase, left.count) == 0
}

extension Sequence<String> {
    /// Whether one element has the same bytes as `element` (spec 2.5: `contains` on strings would
    /// compare them by canonical equivalence).
    public func containsBytes(of element: String) -> Bool {
        contains { $0.hasSameBytes(as: element) }
    }
}
