import CJansson

/// Parses policy source with jansson, which reports syntax errors (and duplicate keys) with
/// their line and column, and converts the result into a `JSONValue`.
enum JanssonParser {
    struct SyntaxError: Error {
        let location: SourceLocation
        let message: String
    }

    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var error = json_error_t()
        let flags = Int(JSON_REJECT_DUPLICATES)
        let root = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { json_loadb($0, buffer.count, flags, &error) }
                ?? json_loadb("", 0, flags, &error)
        }
        guard let root else {
            let message = withUnsafeBytes(of: error.text) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw SyntaxError(
                location: SourceLocation(line: max(Int(error.line), 1), column: max(Int(error.column), 1)),
                message: message)
        }
        defer { cjansson_decref(root) }
        return convert(root)
    }

    private static func convert(_ value: UnsafeMutablePointer<json_t>) -> JSONValue {
        if cjansson_is_object(value) != 0 {
            var members: [JSONMember] = []
            var iterator = cjansson_object_iter(value)
            while let current = iterator {
                let keyBytes = UnsafeRawBufferPointer(
                    start: cjansson_object_iter_key(current), count: cjansson_object_iter_key_len(current))
                members.append(JSONMember(
                    String(decoding: keyBytes, as: UTF8.self), convert(cjansson_object_iter_value(current))))
                iterator = cjansson_object_iter_next(value, current)
            }
            return .object(members)
        }
        if cjansson_is_array(value) != 0 {
            return .array((0..<json_array_size(value)).map { convert(json_array_get(value, $0)) })
        }
        if cjansson_is_string(value) != 0 {
            let bytes = UnsafeRawBufferPointer(start: json_string_value(value), count: json_string_length(value))
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        if cjansson_is_integer(value) != 0 {
            return .number(JSONNumber(Int64(json_integer_value(value))))
        }
        if cjansson_is_real(value) != 0 {
            // Swift writes a Double with a '.' or an exponent, so it stays a non-integer literal.
            return .number(JSONNumber(literal: "\(json_real_value(value))"))
        }
        if cjansson_is_boolean(value) != 0 {
            return .bool(cjansson_is_true(value) != 0)
        }
        return .null
    }
}
