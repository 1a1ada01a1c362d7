import Synchronization

/// Makes the `X-Request-ID` of a request that came without a usable one: 32 lower-case hex digits, a
/// prefix drawn at random when the server starts and a count, so that IDs are unique within a server
/// and, with 64 random bits, practically across servers and restarts. One atomic increment per ID:
/// the event loop makes one for every call it answers that came without one.
final class RequestIDs: Sendable {
    private let prefix: [UInt8]
    private let count = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        var prefix: [UInt8] = []
        Self.appendHex(generator.next(), to: &prefix)
        self.prefix = prefix
    }

    func next() -> String {
        var bytes = prefix
        bytes.reserveCapacity(32)
        Self.appendHex(count.wrappingAdd(1, ordering: .relaxed).newValue, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt64, to output: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            output.append(digits[Int((value >> UInt64(shift)) & 0xF)])
        }
    }
}
