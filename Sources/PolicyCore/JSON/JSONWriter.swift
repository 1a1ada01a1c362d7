/// Writes JSON text: compact for answers on the wire, or indented by two spaces for people.
///
/// Strings escape what JSON requires (below U+0020, `"` and `\`), and also what JSON lets through
/// raw but a reader would act on: the C1 controls U+0080 to U+009F (U+009B is the 8-bit CSI, with
/// which a caller's method in an audit log tailed on a terminal clears the screen or hides lines)
/// and the line and paragraph separators U+2028 and U+2029 (line ends to JavaScript before ES2019,
/// and to some log viewers). Each is written `\uXXXX`; what reads the JSON gets the same text.
public struct JSONWriter {
    public enum Style: Sendable {
        /// No spaces at all.
        case compact
        /// One line, `", "` and `": "` between items: what Python's `json.dumps` writes, so answers
        /// read the same as those of the service policyd replaces.
        case line
        /// Indented by two spaces, one member a line.
        case pretty
    }

    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        var output = ""
        output.reserveCapacity(128)
        write(value, style: style, indent: 0, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, style: Style, indent: Int, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.literal
        case .string(let string): writeString(string, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += style == .line ? ", " : "," }
                newline(style, indent + 1, &output)
                write(element, style: style, indent: indent + 1, into: &output)
            }
            newline(style, indent, &output)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += style == .line ? ", " : "," }
                newline(style, indent + 1, &output)
                writeString(member.key, into: &output)
                output += style == .compact ? ":" : ": "
                write(member.value, style: style, indent: indent + 1, into: &output)
            }
            newline(style, indent, &output)
            output += "}"
        }
    }

    private static func newline(_ style: Style, _ indent: Int, _ output: inout String) {
        guard style == .pretty else { return }
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    /// `string` as a JSON string literal, quotes included, escaped as `string(_:style:)` escapes it:
    /// for answers assembled on the hot path without building a `JSONValue` first.
    public static func quoted(_ string: String) -> String {
        var output = ""
        output.reserveCapacity(string.utf8.count + 2)
        writeString(string, into: &output)
        return output
    }

    /// `quoted(string)`, appended to `output` as bytes.
    public static func appendQuoted(_ string: String, to output: inout [UInt8]) {
        if !needsEscape(string) {
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: string.utf8)
            output.append(UInt8(ascii: "\""))
        } else {
            output.append(contentsOf: quoted(string).utf8)
        }
    }

    /// `quoted(reason.description)`, appended as bytes: the description written straight into
    /// `output`, and quoted again through `quoted` only when it holds a byte to escape (rare: a
    /// caller's method or a token's reason).
    /// With `maximumBytes`, a description longer than that is cut at the start of the scalar the
    /// limit falls in and ends in `…`, before it is quoted.
    public static func appendQuoted(_ reason: DecisionReason, to output: inout [UInt8], maximumBytes: Int = .max) {
        output.append(UInt8(ascii: "\""))
        let start = output.count
        reason.appendDescription(to: &output)
        ClippedText.clip(&output, from: start, maximumBytes: maximumBytes)
        guard output.withUnsafeBufferPointer({ needsEscape(UnsafeBufferPointer(rebasing: $0[start...])) }) else {
            output.append(UInt8(ascii: "\""))
            return
        }
        let text = String(decoding: output[start...], as: UTF8.self)
        output.removeSubrange((start - 1)...)
        output.append(contentsOf: quoted(text).utf8)
    }

    /// A plain loop over the contiguous bytes: the generic `contains(where:)` was a tenth of a batch's
    /// answer writing.
    private static func needsEscape(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { needsEscape($0) }
    }

    private static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // One table lookup a byte, as cheap as the three comparisons before C1 was escaped (measured:
        // five comparisons a byte cost half as much again); the rare candidate is then looked at closely.
        escapeCandidates.withUnsafeBufferPointer { candidates in
            for index in bytes.indices where candidates[Int(bytes[index])] {
                switch bytes[index] {
                // In UTF-8, the C1 controls are C2 80 to C2 9F, U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                case 0xC2: if index + 1 < bytes.count, bytes[index + 1] < 0xA0 { return true }
                case 0xE2: if index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 { return true }
                default: return true
                }
            }
            return false
        }
    }

    /// The bytes that need an escape or may start a scalar that does: below 0x20, `"`, `\`, and the
    /// lead bytes of the C1 controls and of U+2028 and U+2029.
    private static let escapeCandidates: [Bool] = (0...255).map { byte in
        byte < 0x20 || byte == Int(UInt8(ascii: "\"")) || byte == Int(UInt8(ascii: "\\")) || byte == 0xC2 || byte == 0xE2
    }

    /// Written as `\uXXXX`: controls, C0 and C1, and the two separators.
    private static func isEscapedByNumber(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isLineOrTerminalControl
    }

    static func writeString(_ string: String, into output: inout String) {
        output += "\""
        // Most strings (names, reasons, groups) need no escape: one append instead of one per scalar.
        if !needsEscape(string) {
            output += string
            output += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where isEscapedByNumber(scalar):
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
