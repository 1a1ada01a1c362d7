import Testing
@testable import PolicyCore

@Suite struct JSONReaderTests {
    @Test func numbersKeepTheirLiteral() throws {
        let value = try JSONReader.parse(#"{"a": 5, "b": 5.0, "c": 1e3, "d": -0, "e": 123456789012345678901234567890}"#)
        #expect(value["a"] == .number(JSONNumber(literal: "5")))
        #expect(value["b"] == .number(JSONNumber(literal: "5.0")))
        guard case .number(let big)? = value["e"], case .number(let minusZero)? = value["d"],
              case .number(let float)? = value["b"], case .number(let exponent)? = value["c"]
        else { Issue.record("numbers"); return }
        #expect(big.integerValue == nil, "beyond 64 bits: no integer value, and no error")
        #expect(minusZero.integerValue == 0)
        #expect(float.integerValue == nil)
        #expect(exponent.integerValue == nil)
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONReader.parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\né😀"))
    }

    @Test(arguments: [
        #"{"a": 1,}"#, #"[1,]"#, #"{"a" 1}"#, #"01"#, #"1."#, #"-"#, #""\ud800""#, #""\udc00x""#,
        "\"tab\there\"", #"tru"#, #"{"a": 1} x"#, #""\x""#, #"{'a': 1}"#, "",
    ])
    func rejectsWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse(text) }
    }

    /// What a client reads in a 422 ("the request body is not valid JSON: ..."): each refusal's
    /// wording and the byte it points at.
    @Test(arguments: [
        ("", "unexpected end of input at byte 0"),
        ("   ", "unexpected end of input at byte 3"),
        ("x", "unexpected character at byte 0"),
        ("tru", "invalid literal at byte 0"),
        ("[trUe]", "invalid literal at byte 1"),
        (#"{"a": 1,}"#, "expected a string key at byte 8"),
        (#"{'a': 1}"#, "expected a string key at byte 1"),
        ("{", "expected a string key at byte 1"),
        (#"{"a" 1}"#, "expected ':' at byte 5"),
        (#"{"a":}"#, "unexpected character at byte 5"),
        (#"{"a":1"#, "unexpected end of input in an object at byte 6"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}' at byte 7"),
        ("[1,]", "unexpected character at byte 3"),
        ("[", "unexpected end of input at byte 1"),
        ("[1", "unexpected end of input in an array at byte 2"),
        ("[1 2]", "expected ',' or ']' at byte 3"),
        ("01", "unexpected text after the JSON value at byte 1"),
        (#"{"a": 1} x"#, "unexpected text after the JSON value at byte 9"),
        ("1.", "invalid number at byte 2"),
        ("-", "invalid number at byte 1"),
        ("-a", "invalid number at byte 1"),
        ("1e", "invalid number at byte 2"),
        ("1e+", "invalid number at byte 3"),
        (#""abc"#, "unterminated string at byte 4"),
        (#"{"a"#, "unterminated string at byte 3"),
        ("\"tab\there\"", "control character in a string at byte 4"),
        (#""\ud800""#, "lone surrogate in \\u escape at byte 7"),
        (#""\udc00x""#, "lone surrogate in \\u escape at byte 7"),
        (#""\ud800\u0041""#, "invalid surrogate pair at byte 13"),
        (#""\u12""#, "invalid \\u escape at byte 3"),
        (#""\u12G4""#, "invalid \\u escape at byte 5"),
        (#""\x""#, "invalid escape at byte 3"),
        (#""\"#, "unterminated escape at byte 2"),
        (#""a\n\ud83d\ude00"#, "unterminated string at byte 16"),
    ])
    func refusalsSayWhatAndWhere(_ text: String, _ expected: String) {
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse(text) }
        do {
            _ = try JSONReader.parse(text)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func refusalsOfBytesSayWhatAndWhere() {
        #expect(throws: JSONReader.SyntaxError(offset: 1, message: "string is not valid UTF-8")) {
            try JSONReader.parse([0x22, 0xFF, 0x22])
        }
        #expect(throws: JSONReader.SyntaxError(offset: 0, message: "unexpected character")) { try JSONReader.parse([0x80]) }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONReader.SyntaxError(offset: 256, message: "nesting deeper than 256")) { try JSONReader.parse(deep) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func boundsNesting() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONReader.parse(fine) }
    }

    @Test func objectMembersKeepOrderAndDuplicates() throws {
        #expect(try JSONReader.parse(#"{"b": 1, "a": 2, "b": 3}"#) == .object([
            JSONMember("b", .number(JSONNumber(1))), JSONMember("a", .number(JSONNumber(2))),
            JSONMember("b", .number(JSONNumber(3))),
        ]))
    }

    @Test func writerRoundTrips() throws {
        let source = #"{"a": [1, 2.5, true, null], "b": {"c": "x\"\n\u0001"}}"#
        let value = try JSONReader.parse(source)
        #expect(try JSONReader.parse(JSONWriter.string(value)) == value)
        #expect(try JSONReader.parse(JSONWriter.string(value, style: .pretty)) == value)
        #expect(JSONWriter.string(value, style: .line) == #"{"a": [1, 2.5, true, null], "b": {"c": "x\"\n\u0001"}}"#)
    }

    @Test func spansPointAtValuesAndKeys() throws {
        let source = "{\n  \"a\": {\"b/c\": \"x\"},\n  \"d\": [true, \"é\"]\n}"
        let map = try sourceMap(source)
        let path = JSONPath.root.appending("a").appending("b/c")
        #expect(path.pointer == "/a/b~1c")
        #expect(map.location(of: path) == SourceLocation(line: 2, column: 16))
        #expect(map.keyLocation(of: path) == SourceLocation(line: 2, column: 9))
        #expect(map.location(of: JSONPath.root.appending("d").appending(1)) == SourceLocation(line: 3, column: 15))
    }

    @Test func offsetsInsideStringsMapThroughEscapes() throws {
        // In the source the expression is written `a \u0020or\tx`: decoded "a  or\tx".
        let source = #"{"e": "a \u0020or\tx"}"#
        let map = try sourceMap(source)
        let path = JSONPath.root.appending("e")
        #expect(map.location(of: path, stringOffset: 0) == SourceLocation(line: 1, column: 8))
        #expect(map.location(of: path, stringOffset: 3) == SourceLocation(line: 1, column: 16))
        #expect(map.location(of: path, stringOffset: 6) == SourceLocation(line: 1, column: 20))
    }
}

/// The source map of one reading of `source`.
func sourceMap(_ source: String) throws -> SourceMap {
    let bytes = Array(source.utf8)
    return SourceMap(bytes: bytes, spans: try JSONReader.parseWithSpans(bytes).1)
}
