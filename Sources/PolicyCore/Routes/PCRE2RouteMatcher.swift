import CPCRE2

/// All templates of a policy in one anchored PCRE2 pattern, compiled with JIT. Alternatives are
/// ordered most specific first, so the first that matches is the one the spec wants; each
/// starts with `(*MARK:n)`, so the match says which template won.
struct PCRE2RouteMatcher: RouteMatcher {
    private let pattern: CompiledPattern

    /// Throws when PCRE2 refuses the pattern: it caps a compiled pattern's size (64 KB in Debian's
    /// build), which about 1,500 templates, or one template of 32,000 characters, exceed.
    init(templates: [RouteTemplate]) throws(RouteMatcherError) {
        let order = templates.indices.sorted {
            RouteTemplate.isMoreSpecific(templates[$0], than: templates[$1])
        }
        var source = "(?:"
        for (position, routeIndex) in order.enumerated() {
            if position > 0 { source += "|" }
            source += "(*MARK:\(routeIndex))"
            for segment in templates[routeIndex].segments {
                source += "/"
                switch segment {
                case .literal(let text): source += Self.escaped(text)
                case .parameter(_, let convertor): source += convertor.pattern
                }
            }
            source += "\\z"
        }
        source += ")"
        pattern = try CompiledPattern(source)
    }

    func match(_ path: ConcretePath) -> Int? {
        pattern.firstMark(in: path.bytes)
    }

    /// Every ASCII byte that is not a letter or digit is escaped; bytes above 0x7F stand for
    /// themselves (the pattern is not in UTF mode: paths are compared as bytes).
    static func escaped(_ literal: String) -> String {
        var escaped = ""
        for byte in literal.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...:
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            case ..<0x20, 0x7F:
                escaped += "\\x{" + String(byte, radix: 16) + "}"
            default:
                escaped += "\\" + String(Unicode.Scalar(byte))
            }
        }
        return escaped
    }
}

/// An owned PCRE2 pattern. Compiled code is immutable and safe to share between threads; each
/// match gets its own match data.
private final class CompiledPattern: @unchecked Sendable {
    private let code: OpaquePointer

    init(_ source: String) throws(RouteMatcherError) {
        // Bytes above 0x7F were appended as Latin-1 scalars above; turn them back into bytes.
        let bytes = source.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(
                buffer.baseAddress, buffer.count, UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_NO_AUTO_CAPTURE),
                &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            // The source is generated from checked templates, so only a limit can refuse it.
            throw RouteMatcherError(message: "PCRE2 refused the policy's route pattern: \(Self.message(errorCode))")
        }
        code = compiled
        // Without JIT support PCRE2 falls back to its interpreter: slower, same answers.
        _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
    }

    deinit {
        pcre2_code_free_8(code)
    }

    private static func message(_ errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        guard length > 0 else { return "error \(errorCode)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }

    /// The mark of the alternative that matched the whole subject, as a number.
    func firstMark(in subject: [UInt8]) -> Int? {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(matchData) }
        let result = subject.withUnsafeBufferPointer { buffer in
            pcre2_match_8(code, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count, 0, 0, matchData, nil)
        }
        guard result >= 0, let mark = pcre2_get_mark_8(matchData) else { return nil }
        var value = 0
        var cursor = mark
        while cursor.pointee != 0 {
            value = value * 10 + Int(cursor.pointee - UInt8(ascii: "0"))
            cursor += 1
        }
        return value
    }
}
