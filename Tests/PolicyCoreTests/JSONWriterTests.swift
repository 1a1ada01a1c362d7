import Foundation
import Testing
@testable import PolicyCore

/// What the writer escapes: JSON's own (below U+0020, `"` and `\`), and the characters a terminal
/// or a JavaScript reader of a log would act on although JSON lets them through raw: the C1 controls
/// (U+0080 to U+009F; U+009B is the 8-bit CSI, which clears screens and recolours lines) and the
/// line and paragraph separators U+2028 and U+2029.
@Suite struct JSONWriterTests {
    static let escaped: [Unicode.Scalar] = ["\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{2028}", "\u{2029}"]
    /// Their neighbours in UTF-8 (the same lead bytes) stay as they are.
    static let kept: [Unicode.Scalar] = ["\u{7F}", "\u{A0}", "é", "\u{2026}", "\u{2027}", "\u{202A}", "\u{2000}"]

    /// UTF-8 of the scalars above, as they must not appear in the output.
    static func containsRaw(_ bytes: some Collection<UInt8>) -> Bool {
        let bytes = Array(bytes)
        for index in bytes.indices.dropLast() {
            if bytes[index] == 0xC2, (0x80...0x9F).contains(bytes[index + 1]) { return true }
            if bytes[index] == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, [0xA8, 0xA9].contains(bytes[index + 2]) {
                return true
            }
        }
        return false
    }

    static func parsed(_ text: String) throws -> String? {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
    }

    @Test(arguments: escaped)
    func controlsAndSeparatorsAreEscapedEverywhere(scalar: Unicode.Scalar) throws {
        let text = "a\(scalar)b"
        let hex = String(scalar.value, radix: 16)
        let escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        #expect(JSONWriter.quoted(text) == "\"a\(escape)b\"")
        #expect(JSONWriter.string(.object([JSONMember(text, .string(text))])) == "{\"a\(escape)b\":\"a\(escape)b\"}")
        var appended: [UInt8] = []
        JSONWriter.appendQuoted(text, to: &appended)
        #expect(String(decoding: appended, as: UTF8.self) == "\"a\(escape)b\"")

        let decision = Decision.denied(.methodNotAllowed(method: text, template: "/x"))
        var reason: [UInt8] = []
        JSONWriter.appendQuoted(decision.reason, to: &reason)
        var clipped: [UInt8] = []
        JSONWriter.appendQuoted(decision.reason, to: &clipped, maximumBytes: 12)
        for written in [decision.compactAnswer, String(decoding: reason, as: UTF8.self), String(decoding: clipped, as: UTF8.self)] {
            #expect(!Self.containsRaw(written.utf8), "\(written)")
        }
        #expect(try Self.parsed(String(decoding: reason, as: UTF8.self)) == decision.reason.description)
        #expect(try JSONReader.parse(decision.compactAnswer)["reason"] == .string(decision.reason.description))
        #expect(try Self.parsed(JSONWriter.quoted(text)) == text)
    }

    @Test(arguments: kept)
    func theirNeighboursAreNot(scalar: Unicode.Scalar) {
        #expect(JSONWriter.quoted("a\(scalar)b") == "\"a\(scalar)b\"")
        var appended: [UInt8] = []
        JSONWriter.appendQuoted("a\(scalar)b", to: &appended)
        #expect(String(decoding: appended, as: UTF8.self) == "\"a\(scalar)b\"")
    }
}
