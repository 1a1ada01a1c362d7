import Testing
@testable import PolicyCore

/// The answers written as bytes (`appendCompactAnswer`, `appendLineAnswer`, the audit log's clipped
/// reason) say exactly what the documents and strings they were written from before said.
@Suite struct DecisionAnswerBytesTests {
    static let reasons: [DecisionReason] = [
        .routeExpression(method: "GET", template: "/data/list/{namespace}", holds: true),
        .routeExpression(method: "DELETE", template: "/sites/{site}", holds: false),
        .methodNotAllowed(method: "PO\"ST\\\n\u{1}", template: "/a/{b}"),
        .token("the token's \"aud\" is not data-management-api"),
        .unusableVersion("'x\ty'"),
        .noMatchingRouteWithPrefix(prefix: "/v1", probableTemplate: "/data/list/{namespace}"),
        .parameterConflict(name: "näme"), .parameterNotAtGateway(name: "a", queryConsidered: true),
        .repeatedParameter(name: "b"), .exchangeExpression(holds: true), .actionExpression(action: "read", holds: false),
        .missingOrUnknownAction, .noSuchPolicy, .noMatchingRoute,
    ]

    @Test(arguments: reasons, [true, false])
    func compactAndLineAnswersAreTheDocumentsWritten(reason: DecisionReason, allowed: Bool) {
        let decision = Decision(isAuthorised: allowed, reason: reason)
        #expect(decision.compactAnswer == JSONWriter.string(decision.json(), style: .compact))
        var line: [UInt8] = []
        decision.appendLineAnswer(to: &line)
        #expect(String(decoding: line, as: UTF8.self) == JSONWriter.string(decision.json(), style: .line) + "\n")
        var exchange: [UInt8] = []
        decision.appendCompactAnswer(to: &exchange, audience: .some("site-capabilities-api"))
        #expect(String(decoding: exchange, as: UTF8.self)
            == String(decision.compactAnswer.dropLast()) + #","audience":"site-capabilities-api"}"#)
        var none: [UInt8] = []
        decision.appendCompactAnswer(to: &none, audience: .some(nil))
        #expect(String(decoding: none, as: UTF8.self) == String(decision.compactAnswer.dropLast()) + #","audience":null}"#)
    }

    /// A caller's method is quoted to its first 32 bytes (cut at a scalar), as the audit record's
    /// `method` field keeps it: a kilobyte of method made a kilobyte of reason in every answer and record.
    @Test func aMethodIsQuotedToItsFirst32Bytes() {
        let long = String(repeating: "M", count: 31) + "é" + String(repeating: "X", count: 1000)
        #expect(DecisionReason.methodNotAllowed(method: long, template: "/x").description
            == "method \(String(repeating: "M", count: 31))… not allowed on /x")
        let exact = String(repeating: "M", count: 32)
        #expect(DecisionReason.methodNotAllowed(method: exact, template: "/x").description == "method \(exact) not allowed on /x")
    }

    /// Cut at the start of the scalar the limit falls in, `…` added, then quoted: a multi-byte
    /// scalar across the limit and an escape after the cut.
    @Test(arguments: 1...12)
    func aClippedReasonIsCutAtAScalarAndThenQuoted(maximum: Int) {
        let reason = DecisionReason.methodNotAllowed(method: "é\"ü\n", template: "/x")
        var bytes: [UInt8] = []
        JSONWriter.appendQuoted(reason, to: &bytes, maximumBytes: maximum)
        let text = reason.description
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: min(maximum, text.utf8.count))
        while end > text.utf8.startIndex, end < text.utf8.endIndex, text.utf8[end] & 0xC0 == 0x80 {
            end = text.utf8.index(before: end)
        }
        let clipped = text.utf8.count > maximum ? String(Substring(text.utf8[..<end])) + "…" : text
        #expect(String(decoding: bytes, as: UTF8.self) == JSONWriter.quoted(clipped))
    }
}
