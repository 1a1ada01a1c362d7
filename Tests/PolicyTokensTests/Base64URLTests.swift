import Foundation
import Testing

@testable import PolicyTokens

/// The token decoder reads each character itself; Foundation's decoder, given the standard alphabet
/// and the padding, is the reading it must agree with on every text it accepts.
@Suite("Base64url")
struct Base64URLTests {
    /// Foundation's reading: the standard alphabet, padded.
    private func foundationReading(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }

    @Test("every length from 0 to 70 bytes, random contents, decodes to what was encoded")
    func roundTrips() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let text = Base64URL.encode(bytes)
                #expect(!text.contains("="))
                #expect(Base64URL.decode(text) == bytes, "length \(length)")
                #expect(Base64URL.decode(Array(text.utf8)[...]) == bytes, "length \(length), as a slice")
            }
        }
    }

    @Test("every character of the alphabet in every position of a quartet reads as Foundation reads it")
    func everyCharacter() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for character in alphabet {
            for position in 0..<4 {
                var quartet = Array("AAAA")
                quartet[position] = character
                let text = String(quartet)
                #expect(Base64URL.decode(text) == foundationReading(text), "\(text)")
                #expect(Base64URL.decode(text) != nil, "\(text)")
            }
        }
    }

    @Test("bytes outside the base64url alphabet are refused: padding, the standard alphabet, white space, controls, non-ASCII")
    func outsideTheAlphabet() {
        for text in ["AA==", "AAA=", "+AAA", "/AAA", "AA A", "AA\nA", "AA\u{0}A", "AAé", "AA.A", "QUJD\t"] {
            #expect(Base64URL.decode(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test("a length of 4n+1 cannot be base64 and is refused")
    func impossibleLengths() {
        for text in ["A", "AAAAA", "AAAAAAAAA"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
    }

    @Test("the unused bits of the last character must be zero: each byte string has one spelling")
    func unusedBits() {
        // "QQ" is 'A'; "QR" to "QZ" … differ only in the four bits beyond the byte.
        #expect(Base64URL.decode("QQ") == [0x41])
        for last in Array("RSTUVWXYZabcdef") {
            #expect(Base64URL.decode("Q\(last)") == nil, "Q\(last)")
        }
        // "QUE" is "AA"; its last character carries two unused bits.
        #expect(Base64URL.decode("QUE") == [0x41, 0x41])
        for last in Array("FGH") {
            #expect(Base64URL.decode("QU\(last)") == nil, "QU\(last)")
        }
        #expect(Base64URL.decode("") == [])
    }

    @Test("a byte outside the alphabet anywhere in a signature-sized text is refused, in any quartet and the tail")
    func outsideTheAlphabetAnywhere() {
        let text = Array(Base64URL.encode((0..<256).map { UInt8($0) }).utf8)
        #expect(text.count % 4 == 2)
        #expect(Base64URL.decode(text[...]) == (0..<256).map { UInt8($0) })
        #expect(Base64URL.decode(text.lazy.map { $0 }) == (0..<256).map { UInt8($0) }, "a collection without contiguous storage")
        for position in text.indices {
            for stranger in ["=", "+", "/", " ", "\u{0}", "\u{80}"] {
                var altered = text
                altered[position] = stranger.utf8.first!
                #expect(Base64URL.decode(altered[...]) == nil, "\(stranger.debugDescription) at \(position)")
            }
        }
    }
}
