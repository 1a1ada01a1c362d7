import CJansson

/// jansson, as the design names it for policy files: it words why a policy file is not JSON (or not
/// JSON as policy files must be: an object or array at the top, no key twice, no `\u0000`, numbers
/// in range), with the line and column, the way policy authors have always read it. It is asked
/// only when the one reading of the file (`PolicySource`) refuses it.
enum JanssonParser {
    struct SyntaxError: Error {
        let location: SourceLocation
        let message: String
    }

    /// jansson's refusal of `bytes`, or nil when it takes them.
    static func refusal(of bytes: [UInt8]) -> SyntaxError? {
        var error = json_error_t()
        let flags = Int(JSON_REJECT_DUPLICATES)
        let root = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { json_loadb($0, buffer.count, flags, &error) }
                ?? json_loadb("", 0, flags, &error)
        }
        if let root {
            cjansson_decref(root)
            return nil
        }
        let message = withUnsafeBytes(of: error.text) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return SyntaxError(
            location: SourceLocation(line: max(Int(error.line), 1), column: max(Int(error.column), 1)), message: message)
    }
}
