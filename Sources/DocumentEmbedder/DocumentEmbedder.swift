#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes text files of a target (the OpenAPI document, the console's page, script and style) into one
/// Swift file, so that the binary holds them and reads nothing at run time. The EmbedDocuments build-tool
/// plugin runs it before the target compiles:
///
///     DocumentEmbedder OUTPUT.swift DOCUMENT...
///
/// A document `Name.ext` becomes the string constant `Name.ext` (`OpenAPIDocument.json`,
/// `ConsolePage.html`): an enum named after the file, a constant named after its extension. The constant
/// is the file's bytes exactly, nothing interpolated; a file that is not UTF-8 text is refused. No
/// Foundation, so that a clean build compiles this in about a second.
@main
enum DocumentEmbedder {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else { fail("usage: DocumentEmbedder OUTPUT.swift DOCUMENT...") }
        var source = "// Generated at build time by the EmbedDocuments plugin (Plugins/EmbedDocuments): edit the documents, not this.\n"
        var types: Set<String> = []
        for path in arguments.dropFirst(2) {
            let (type, constant) = names(of: path)
            guard types.insert(type).inserted else { fail("\(path): error: another document is also named \(type)") }
            let bytes = contents(of: path)
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else { fail("\(path): error: not UTF-8 text") }
            source += "\n/// `\(type).\(constant)`, embedded byte for byte: edit that file.\n"
            source += "enum \(type) {\n    static let \(constant) = \"\"\"\n\(literalLines(text))\n\"\"\"\n}\n"
        }
        save(source, to: arguments[1])
    }

    /// The text as the lines of a multi-line string literal whose closing delimiter is not indented:
    /// every line break of the file is a line break of the literal, and everything Swift would read
    /// otherwise than as itself (backslashes, quotes, control characters) is escaped.
    static func literalLines(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\n"
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `Sources/…/ConsolePage.html` → (`ConsolePage`, `html`).
    static func names(of path: String) -> (type: String, constant: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(isIdentifier) else {
            fail("\(path): error: a document is named NAME.EXTENSION, each a Swift identifier (letters, digits, _)")
        }
        return (parts[0], parts[1])
    }

    /// ASCII letters, digits and `_`, not starting with a digit.
    static func isIdentifier(_ text: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
        }
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func contents(of path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { fail("\(path): error: cannot read it") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes += buffer[..<count]
            if count < buffer.count { break }
        }
        guard ferror(file) == 0 else { fail("\(path): error: cannot read it") }
        return bytes
    }

    static func save(_ source: String, to path: String) {
        guard let file = fopen(path, "wb") else { fail("\(path): error: cannot write it") }
        let bytes = Array(source.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        guard fclose(file) == 0, written == bytes.count else { fail("\(path): error: cannot write it") }
    }

    static func fail(_ message: String) -> Never {
        let line = Array("DocumentEmbedder: \(message)\n".utf8)
        _ = write(STDERR_FILENO, line, line.count)
        exit(1)
    }
}
