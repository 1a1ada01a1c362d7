import Testing
@testable import PolicyCore

/// `UTF8Text.string`: what the standard library's validation accepts, and nothing else, whatever
/// the bytes are held in.
@Suite struct UTF8TextTests {
    static let valid: [[UInt8]] = [
        [], Array("route".utf8), Array("/data/{ns}".utf8), Array("café".utf8), Array("日本".utf8), Array("🔑".utf8), [0x7F, 0x00],
    ]
    static let invalid: [[UInt8]] = [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x61, 0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], Array("ok".utf8) + [0xFE],
    ]

    @Test func acceptsWhatIsUTF8AsTheStandardLibraryReadsIt() {
        for bytes in Self.valid {
            #expect(UTF8Text.string(bytes) == String(validating: bytes, as: UTF8.self), "\(bytes)")
            #expect(UTF8Text.string(bytes[...]) == String(decoding: bytes, as: UTF8.self))
            #expect(UTF8Text.string(bytes.lazy.map { $0 }) == String(decoding: bytes, as: UTF8.self), "not contiguous")
        }
    }

    @Test func refusesWhatIsNot() {
        for bytes in Self.invalid {
            #expect(UTF8Text.string(bytes) == nil, "\(bytes)")
            #expect(UTF8Text.string(bytes.lazy.map { $0 }) == nil, "not contiguous: \(bytes)")
        }
    }
}
