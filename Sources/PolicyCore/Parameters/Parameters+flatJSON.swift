extension Parameters {
    /// The members of a request body that is one flat JSON object of strings, numbers, booleans and
    /// nulls in ASCII (what services send: `{"namespace":"testing"}`), read straight from its bytes;
    /// nil for anything else, which `JSONReader` then reads (and explains when it is not JSON).
    public init?(flatJSONObject bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        var lexer = JSONLexer(bytes: bytes)
        var parameters = Parameters()
        lexer.skipWhitespace()
        guard lexer.readParameters(into: &parameters), lexer.atEnd() else { return nil }
        self = parameters
    }
}

extension JSONLexer {
    /// An object of scalars, as `Parameters(jsonObject:)` reads it (no member nests); false for
    /// anything else.
    mutating func readParameters(into parameters: inout Parameters) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let name = readString() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard let value = readScalar() else { return false }
            parameters.append(name: name, value: ParameterValue(json: value))
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return false }
            parameters.markRepeatedNames()
            return true
        }
    }
}
