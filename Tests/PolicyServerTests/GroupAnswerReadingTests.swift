import Testing
@testable import PolicyServer

/// An issuer's answer is read as strictly as a token's payload, with the same duplicate-member rule,
/// in process (no issuer needed): what each refusal says after "the answer of URL ...".
@Suite struct GroupAnswerReadingTests {
    private func why(_ body: String) -> String? {
        do {
            _ = try GroupAnswer.object(Array(body.utf8))
            return nil
        } catch {
            return error.why
        }
    }

    @Test func whatIsRefusedAndWhy() {
        #expect(why(#"{"active": true, "groups": ["a"]}"#) == nil)
        #expect(why(#"{"active": true"#) == "is not JSON")
        #expect(why(#"["active"]"#) == "is not a JSON object")
        #expect(why(#"{"groups": ["a"], "groups": ["b"]}"#) == "has a member twice")
        #expect(why(#"{"groups": ["a"], "gr\u006fups": ["b"]}"#) == "has a member twice")
        #expect(why(#"{"caf\u00e9": 1, "cafe\u0301": 2}"#) == "has a member twice", "one key to a dictionary")
    }
}
