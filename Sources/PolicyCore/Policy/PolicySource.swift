/// A policy file read once: its values (numbers as written) and where each stands. This one
/// reading serves the checker, lint, `policyc fmt`, the catalogue (the loaded policy's document)
/// and every diagnostic; nothing parses the file a second time or reads it again from disk.
struct PolicySource: Sendable {
    let document: JSONValue
    let sourceMap: SourceMap

    /// Reads a policy file's bytes with `JSONReader`, holding them to what jansson requires of a
    /// policy file besides JSON (`breach(in:)`). Whatever is refused, jansson words, so that a policy
    /// file's JSON errors read as they always have; should jansson take what this reading refuses
    /// (nesting deeper than `JSONReader.maximumDepth`, which jansson allows to 2048), the reading's
    /// own words are given: the file is refused either way.
    static func read(_ bytes: [UInt8], file: String) -> Result<PolicySource, Diagnostic> {
        let refusal: (message: String, offset: Int?)
        do {
            let (document, spans) = try JSONReader.parseWithSpans(bytes)
            guard let breach = breach(in: document, atTop: true) else {
                return .success(PolicySource(document: document, sourceMap: SourceMap(bytes: bytes, spans: spans)))
            }
            refusal = (breach, nil)
        } catch {
            refusal = (error.message, error.offset)
        }
        if let jansson = JanssonParser.refusal(of: bytes) {
            return .failure(Diagnostic(.jsonSyntax, file: file, at: jansson.location, "invalid JSON: \(jansson.message)"))
        }
        let location = refusal.offset.map { LineTable(bytes).location(ofOffset: $0) } ?? SourceLocation(line: 1, column: 1)
        return .failure(Diagnostic(.jsonSyntax, file: file, at: location, "invalid JSON: \(refusal.message)"))
    }

    /// What jansson refuses in a policy file that JSON itself allows: a scalar at the top, a member
    /// named twice (the duplicate-member rule: a second `"GET"` or role would otherwise silently
    /// replace the first), `\u0000` in a string, an integer beyond 64 bits, a number beyond `Double`.
    /// Linear in the document; its depth is bounded by the reader's.
    private static func breach(in value: JSONValue, atTop: Bool = false) -> String? {
        switch value {
        case .object(let members):
            if let name = RepeatedNames.first(in: members) { return "duplicate object key '\(name)'" }
            for member in members {
                if member.key.utf8.contains(0) { return "\\u0000 in an object key" }
                if let breach = breach(in: member.value) { return breach }
            }
            return nil
        case .array(let elements):
            for element in elements {
                if let breach = breach(in: element) { return breach }
            }
            return nil
        case .string(let text):
            return atTop ? "'[' or '{' expected" : text.utf8.contains(0) ? "\\u0000 in a string" : nil
        case .number(let number):
            if atTop { return "'[' or '{' expected" }
            if number.isInteger { return number.integerValue == nil ? "integer beyond 64 bits" : nil }
            return Double(number.literal)?.isFinite == true ? nil : "number beyond the range of a double"
        case .bool, .null:
            return atTop ? "'[' or '{' expected" : nil
        }
    }
}
