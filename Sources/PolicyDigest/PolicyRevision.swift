import Crypto
import PolicyCore

/// Which policy set serves: a SHA-256 digest of each policy's identity and file bytes, and of
/// nothing else (not the files' names, not the order they were found in, not when they were
/// loaded), so that `policyc revision DIR` on what a pipeline shipped and `/v1/health` on what
/// serves agree exactly when the same policies serve. Made once per load.
///
/// The digest's input, for another tool to compute it again (docs/operations.md, "Policy
/// revision"): for each policy, in identity order (type name, then the name's UTF-8 bytes compared
/// unsigned, a prefix first, then the version number), four fields one after the other: the type
/// name, the name, the version number, the file's bytes. A number is 8 bytes, big-endian; every
/// other field is its length as such a number, then its bytes. Lengths in front of every field
/// make the input read back one way only, so two different sets cannot give the same input.
public struct PolicyRevision: Sendable, Hashable, CustomStringConvertible {
    /// `sha256:` and the digest's 64 hex digits, in lower case: the one form shown, everywhere.
    public let text: String

    public init(of policies: PolicySet) {
        var hasher = SHA256()
        for policy in policies.policies {
            Self.update(&hasher, field: policy.type.rawValue.utf8)
            Self.update(&hasher, field: policy.name.utf8)
            Self.update(&hasher, number: policy.version)
            Self.update(&hasher, field: policy.bytes)
        }
        text = "sha256:" + Self.hex(hasher.finalize())
    }

    public var description: String { text }

    private static func update(_ hasher: inout SHA256, field: some Collection<UInt8>) {
        update(&hasher, number: field.count)
        Array(field).withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    private static func update(_ hasher: inout SHA256, number: Int) {
        withUnsafeBytes(of: UInt64(number).bigEndian) { hasher.update(bufferPointer: $0) }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
