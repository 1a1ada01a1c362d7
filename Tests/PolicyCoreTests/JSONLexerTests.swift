import Testing
@testable import PolicyCore

/// The one lexer of what clients send (`JSONLexer`), asked directly: what each scan takes, where it
/// stops, and why it refuses.
@Suite struct JSONLexerTests {
    /// Runs `body` on a lexer over `bytes`.
    private func lex<Result>(_ bytes: [UInt8], _ body: (inout JSONLexer) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            var lexer = JSONLexer(bytes: buffer)
            return body(&lexer)
        }
    }

    private func lex<Result>(_ text: String, _ body: (inout JSONLexer) -> Result) -> Result {
        lex(Array(text.utf8), body)
    }

    /// The decoded bytes of the string at the start of `text`, or the problem and where it is.
    private func string(_ text: String) -> Swift.Result<[UInt8], JSONReader.SyntaxError> {
        lex(text) { lexer in
            guard let string = lexer.scanString() else {
                return .failure(JSONReader.SyntaxError(offset: lexer.offset, message: lexer.problem))
            }
            return .success(lexer.withStringBytes(string) { Array($0) })
        }
    }

    // MARK: Strings

    @Test func aStringWithoutEscapesIsItsOwnBytes() {
        let raw = lex(#""namespace": 1"#) { lexer -> (Bool, Int) in
            guard case .raw(let range)? = lexer.scanString() else { return (false, lexer.offset) }
            return (range == 1..<10, lexer.offset)
        }
        #expect(raw == (true, 11), "the bytes between the quotes, and the offset after the closing one")
    }

    @Test(arguments: [
        (#""\"""#, [0x22]), (#""\\""#, [0x5C]), (#""\/""#, [0x2F]), (#""\b""#, [0x08]), (#""\f""#, [0x0C]),
        (#""\n""#, [0x0A]), (#""\r""#, [0x0D]), (#""\t""#, [0x09]), (#""\u0041""#, [0x41]),
        (#""\u00e9""#, [0xC3, 0xA9]), (#""\u20AC""#, [0xE2, 0x82, 0xAC]), (#""\ud83d\ude00""#, [0xF0, 0x9F, 0x98, 0x80]),
        (#""a\u0000b""#, [0x61, 0x00, 0x62]), (#""x\ty\u00e9z""#, [0x78, 0x09, 0x79, 0xC3, 0xA9, 0x7A]),
    ] as [(String, [UInt8])])
    func escapesDecode(_ text: String, _ expected: [UInt8]) {
        #expect(string(text) == .success(expected))
    }

    /// Each surrogate must be half of a pair, high then low.
    @Test(arguments: [
        (#""\ud800""#, 7, "lone surrogate in \\u escape"),
        (#""\ud800x""#, 7, "lone surrogate in \\u escape"),
        (#""\ud800\n""#, 7, "lone surrogate in \\u escape"),
        (#""\udc00""#, 7, "lone surrogate in \\u escape"),
        (#""\ude00\ud83d""#, 7, "lone surrogate in \\u escape"),
        (#""\ud83d\ud83d""#, 13, "invalid surrogate pair"),
        (#""\ud83d\u0041""#, 13, "invalid surrogate pair"),
        (#""\ud83d\u00""#, 9, "invalid \\u escape"),
        (#""\u12G4""#, 5, "invalid \\u escape"),
        (#""\q""#, 3, "invalid escape"),
    ])
    func badEscapesAreRefusedWhereTheyAre(_ text: String, _ offset: Int, _ message: String) {
        #expect(string(text) == .failure(JSONReader.SyntaxError(offset: offset, message: message)))
    }

    @Test func controlCharactersAreRefusedInEitherKindOfString() {
        #expect(string("\"a\u{1F}\"") == .failure(JSONReader.SyntaxError(offset: 2, message: "control character in a string")))
        #expect(string("\"\\na\n\"") == .failure(JSONReader.SyntaxError(offset: 4, message: "control character in a string")))
    }

    // MARK: Truncated input

    /// Every proper prefix of a document that uses each kind of token is refused, by the lexer and
    /// by the reader built on it, at an offset inside the prefix: nothing reads past the end.
    @Test func everyTruncationIsRefusedInsideTheInput() {
        let document = Array(#"{"a\u00e9\ud83d\ude00": [true, false, null, -1.5e+3, "x\"y"], "b": {"c": 0}}"#.utf8)
        for length in 0..<document.count {
            let prefix = Array(document[..<length])
            let skipped = lex(prefix) { lexer -> (Bool, Int) in
                let taken = lexer.skipValue(depth: 0) && lexer.atEnd()
                return (taken, lexer.offset)
            }
            #expect(skipped.0 == false, "prefix of \(length) bytes")
            #expect(skipped.1 <= length)
            #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse(prefix) }
            do {
                _ = try JSONReader.parse(prefix)
            } catch {
                #expect(error.offset <= length, "prefix of \(length) bytes: \(error)")
            }
        }
        #expect(lex(document) { $0.skipValue(depth: 0) && $0.atEnd() })
    }

    // MARK: Numbers and words

    @Test(arguments: ["0", "-0", "7", "1.5", "-1.25e-7", "1e3", "1E+3", "0.0e0", "123456789012345678901234567890"])
    func numbersAreTakenWhole(_ text: String) {
        let taken = lex(text + ",") { lexer in lexer.scanNumber() }
        #expect(taken == 0..<text.utf8.count)
    }

    /// A number ends where JSON's grammar ends it: `01` is the number `0` followed by `1`, which the
    /// reader then refuses as text after the value.
    @Test func aLeadingZeroEndsTheNumber() {
        #expect(lex("01") { $0.scanNumber() } == 0..<1)
        #expect(throws: JSONReader.SyntaxError(offset: 1, message: "unexpected text after the JSON value")) {
            try JSONReader.parse("01")
        }
    }

    @Test(arguments: [("-", 1), ("1.", 2), ("1.e3", 2), ("1e", 2), ("1e+", 3), ("-.5", 1), ("+1", 0), (".5", 0)])
    func malformedNumbersAreRefusedWhereTheyStop(_ text: String, _ offset: Int) {
        let refused = lex(text) { lexer -> (Bool, Int, String) in
            (lexer.scanNumber() == nil, lexer.offset, lexer.problem)
        }
        #expect(refused == (true, offset, "invalid number"))
    }

    @Test func wordsAreTakenWholeOrNotAtAll() {
        #expect(lex("true") { lexer in lexer.takeWord("true") && lexer.offset == 4 })
        #expect(lex("tru") { lexer in !lexer.takeWord("true") && lexer.offset == 0 && lexer.problem == "invalid literal" })
        #expect(lex("nul1") { lexer in !lexer.takeWord("null") && lexer.offset == 0 })
        #expect(lex("false") { lexer in lexer.readScalar() } == .bool(false))
        #expect(lex("-12.50") { lexer in lexer.readScalar() } == .number(JSONNumber(literal: "-12.50")))
        #expect(lex("[1]") { lexer in lexer.readScalar() } == nil, "a container is no scalar")
    }

    // MARK: Depth

    /// The lexer's skipping and the reader refuse at the same depth: 256 containers, not 257.
    @Test(arguments: [(256, true), (257, false)])
    func nestingIsBoundedAlike(_ depth: Int, _ taken: Bool) {
        let nested = String(repeating: #"{"a":["#, count: depth / 2) + (depth.isMultiple(of: 2) ? "" : "[")
            + "1" + (depth.isMultiple(of: 2) ? "" : "]") + String(repeating: "]}", count: depth / 2)
        #expect(lex(nested) { $0.skipValue(depth: 0) && $0.atEnd() } == taken)
        #expect(((try? JSONReader.parse(nested)) != nil) == taken)
    }

    @Test func deepInputIsRefusedAtTheBound() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 1 << 20)
        #expect(!lex(deep) { $0.skipValue(depth: 0) })
        #expect(throws: JSONReader.SyntaxError(offset: 256, message: "nesting deeper than 256")) { try JSONReader.parse(deep) }
    }

    // MARK: Repeated names

    @Test func aRepeatedNameIsFoundByItsBytesEscapesDecoded() {
        #expect(throws: Never.self) { try JSONReader.parseObject(Array(#"{"a": 1, "b": 2}"#.utf8)) }
        for text in [#"{"aud": 1, "a\u0075d": 2}"#, #"{"x": 0, "aud": 1, "aud": 2}"#] {
            #expect(repeatedName(text) == "aud")
        }
        #expect(repeatedName(#"[1]"#) == nil)
    }

    /// Bytes decide: canonically equivalent spellings are two members of an object read in order,
    /// and one name too many for a dictionary, which would merge them.
    @Test func canonicallyEquivalentNamesAreTwoMembersButOneKey() {
        let text = Array(#"{"caf\u00e9": 1, "cafe\u0301": 2}"#.utf8)
        #expect((try? JSONReader.parseObject(text))?.count == 2)
        #expect(throws: JSONReader.ObjectProblem.self) { try JSONReader.parseDictionary(text) }
    }

    private func repeatedName(_ text: String) -> String? {
        do {
            _ = try JSONReader.parseObject(Array(text.utf8))
            return nil
        } catch {
            if case .repeatedName(let name) = error { return name }
            return nil
        }
    }

    /// Many members, distinct or repeated, are read in one pass and compared through a hash: work
    /// proportional to the input, never to its square (200,000 members would be 2 x 10^10
    /// comparisons pairwise).
    @Test func manyMembersAreReadWithoutComparingEveryPair() throws {
        let count = 200_000
        let distinct = "{" + (0..<count).map { #""p\#($0)":1"# }.joined(separator: ",") + "}"
        #expect(try JSONReader.parseObject(Array(distinct.utf8)).count == count)
        let repeated = String(distinct.dropLast()) + #","p\#(count - 1)":2}"#
        #expect(repeatedName(repeated) == "p\(count - 1)")
        let flat = Array(repeated.utf8).withUnsafeBufferPointer { Parameters(flatJSONObject: $0) }
        #expect(flat?.entries.filter { $0.value == .repeated }.count == 2)
    }
}
