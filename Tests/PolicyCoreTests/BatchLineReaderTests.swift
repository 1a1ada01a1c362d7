import Foundation
import Testing
@testable import PolicyCore

/// The byte reader of batch lines against the reference reading (`BatchQuery.parse(_: String)`):
/// the same decision for every line that is a query, the same error, word for word, for every line
/// that is not. The conformance queries, edge cases by hand, and thousands of mutated lines.
@Suite struct BatchLineReaderTests {
    static let engine = DecisionEngine(policies: try! PolicyLoader().load(directory: conformanceDirectory + "/policies"))
    static let nestedEngine = DecisionEngine(policies: try! PolicyLoader().load(directory: nestedConformanceDirectory + "/policies"))

    /// What a reading of `line` comes to: the decision's answer text, or the error's message.
    static func outcome(
        _ parsed: () throws(BatchQuery.Invalid) -> BatchQuery.Parsed, engine: DecisionEngine = engine
    ) -> String {
        do {
            switch try parsed() {
            case .answered(let decision): return "answered " + decision.compactAnswer
            case .query(let query, let groups): return "query " + engine.decide(query, groups: groups).compactAnswer
            }
        } catch {
            return "invalid " + error.message
        }
    }

    static func expectSame(
        _ line: [UInt8], engine: DecisionEngine = engine, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        var reader = BatchLineReader(seed: 42)
        let fast = line.withUnsafeBufferPointer { bytes in
            outcome({ () throws(BatchQuery.Invalid) in try reader.parse(bytes) }, engine: engine)
        }
        let reference = outcome(
            { () throws(BatchQuery.Invalid) in try BatchQuery.parse(String(decoding: line, as: UTF8.self)) }, engine: engine)
        #expect(fast == reference, "\(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    static let conformanceLines = try! ConformanceTests.cases[0].lines("queries.jsonl")
    static let nestedConformanceLines = try! ConformanceTests.cases[1].lines("queries.jsonl")

    @Test func everyConformanceLine() {
        for line in Self.conformanceLines { Self.expectSame(Array(line.utf8)) }
        for line in Self.nestedConformanceLines { Self.expectSame(Array(line.utf8), engine: Self.nestedEngine) }
    }

    /// `params` that repeat a name: the fast reader takes flat ones, the reference nested ones, and
    /// both make every entry of the name match nothing (spec 2.6).
    @Test(arguments: [
        #"{"type":"plugin","service":"tasks-legacy","params":{"action":"read","project.id":"p1","project.id":"p1"},"groups":["teams/p1/members"]}"#,
        #"{"type":"plugin","service":"tasks-legacy","params":{"action":"read","project.id":"p1","project":{"id":"p1"}},"groups":["teams/p1/members"]}"#,
        #"{"type":"plugin","service":"tasks-legacy","params":{"action":"read","project":{"id":"p1"}},"groups":["teams/p1/members"]}"#,
        #"{"type":"plugin","service":"tasks-legacy","params":{"action":"read","action":"read","project.id":"p1"},"groups":["teams/p1/members"]}"#,
        #"{"type":"plugin","service":"echo","params":{"service.method":"GET","service.node":"A","service.type":"echo","service.uuid":"u"},"groups":["services/A/echo/u"]}"#,
    ])
    func repeatedAndNestedParameters(line: String) {
        Self.expectSame(Array(line.utf8), engine: Self.nestedEngine)
    }

    @Test(arguments: [
        #"{"type":"route","service":"data-management-api","route":"/data/list/testing","groups":["data/namespaces/testing/viewer"]}"#,
        #" { "type" : "route" , "service" : "data-management-api" , "route" : "/data/list" , "groups" : [ "/services/data-management-api/roles/admin" ] } "#,
        #"{"type":"route","type":"plugin","service":"data-management-api","route":"/data/list","groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","groups":null,"params":null,"method":null,"version":null}"#,
        #"{"t\u0079pe":"route","service":"data-management-api","route":"\/data\/list","groups":["\/services\/data-management-api\/roles\/admin"]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list/{namespace}","params":{"namespace":"te\u0073ting","namespace":"x"},"groups":["data/namespaces/testing/viewer"]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list/testing","params":{"namespace":1,"n":1.5,"b":true,"z":null,"e":1e3,"m":-0},"groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","version":"2.0","groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","version":1,"groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","version":"latest","groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","version":[1],"groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","version":true,"groups":[]}"#,
        #"{"type":"route","service":"data-management-api","version":0}"#,
        #"{"type":"route","service":"data-management-api"}"#,
        #"{"type":"exchange","service":"data-management-api","groups":["x"],"note":{"a":[1,{"b":null}]}}"#,
        #"{"type":"plugin","service":"storage","params":{"action":"read","area":"a1"},"groups":["storage/ops/areas/a1/read"]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","params":{"a":[1]},"groups":[]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","groups":["a",1]}"#,
        #"{"type":"route","service":"data-management-api","route":"/data/list","method":5}"#,
        #"{"type":"ROUTE","service":"x","route":"/"}"#,
        #"{"type":"route","service":"x","route":"/caf\u00e9"}"#,
        #"{"type":"route","service":"x","route":"/café"}"#,
        #"{"type":"route","service":"x","route":"/\ud83d\ude00"}"#,
        #"{"type":"route","service":"x","route":"/\ud83d"}"#,
        #"{"type":"route","service":"x","route":"/a"} x"#,
        #"{"type":"route","service":"x","route":"/a",}"#,
        #"{"type":"route","service":"x","route":"/a""#,
        #"[]"#, #"null"#, #"{}"#, #"{"#, #""#, "{\"type\":\"route\",\"service\":\"x\",\"route\":\"/a\tb\"}",
        #"{"type":"route","service":"x","route":"/a","n":01}"#, #"{"type":"route","service":"x","route":"/a","n":-}"#,
        #"{"type":"route","service":"x","route":"/a","n":1.}"#, #"{"type":"route","service":"x","route":"/a","n":tru}"#,
    ])
    func edgeCases(line: String) {
        Self.expectSame(Array(line.utf8))
    }

    @Test func nestingIsBoundedLikeTheReference() {
        for depth in [254, 255, 256, 300] {
            let line = #"{"type":"route","service":"x","route":"/a","note":"# + String(repeating: "[", count: depth)
                + String(repeating: "]", count: depth) + "}"
            Self.expectSame(Array(line.utf8))
        }
    }

    @Test func invalidUTF8IsReadAsTheReferenceReadsIt() {
        var line = Array(#"{"type":"route","service":"data-management-api","route":"/data/list","groups":["x"#.utf8)
        line += [0xC3, 0x28]
        line += Array(#""]}"#.utf8)
        Self.expectSame(line)
    }

    /// A byte of 0x80 or more anywhere (in a word of eight, or in the tail) sends the line to the
    /// reference reading; none, and it is ASCII.
    @Test func aNonASCIIByteIsFoundWhereverItIs() {
        for count in 0..<40 {
            let ascii = [UInt8](repeating: 0x7F, count: count)
            #expect(ascii.withUnsafeBufferPointer(BatchLineReader.isASCII))
            for position in 0..<count {
                for byte: UInt8 in [0x80, 0xC3, 0xFF] {
                    var line = ascii
                    line[position] = byte
                    #expect(!line.withUnsafeBufferPointer(BatchLineReader.isASCII), "\(count) bytes, \(byte) at \(position)")
                }
            }
        }
    }

    /// Every line of the conformance cases with one byte dropped, doubled or replaced: the error paths.
    @Test func mutatedLines() {
        var random = SplitMix64(seed: 20261202)
        let alphabet = Array(#"{}[]",:\ "0123456789-.eEtrufalsn/"#.utf8) + [0x80, 0x00, 0x7F]
        for line in Self.conformanceLines.prefix(120) {
            let bytes = Array(line.utf8)
            for _ in 0..<25 {
                var mutated = bytes
                let position = Int(random.next() % UInt64(mutated.count))
                switch random.next() % 3 {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(mutated[position], at: position)
                default: mutated[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                Self.expectSame(mutated)
            }
        }
        for line in Self.nestedConformanceLines.prefix(40) {
            let bytes = Array(line.utf8)
            for _ in 0..<25 {
                var mutated = bytes
                let position = Int(random.next() % UInt64(mutated.count))
                mutated[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                Self.expectSame(mutated, engine: Self.nestedEngine)
            }
        }
    }
}
