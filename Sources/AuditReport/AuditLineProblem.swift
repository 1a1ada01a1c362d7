/// Why an audit log, or one of its lines, was not read, in the Swift compiler's form:
/// `audit.log:12: error[A0102]: not JSON: expected a value at byte 0`. Codes of their own, not the
/// policy codes of `DiagnosticCode`: lint's SARIF rules list those, and these are no policy's.
public struct AuditLineProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// The file cannot be opened or read.
        case unreadableFile = "A0101"
        /// The line is not JSON.
        case notJSON = "A0102"
        /// The line is JSON, but not an audit record: not an object, or a member it needs is missing
        /// or of another type.
        case notARecord = "A0103"
    }

    public let code: Code
    public let file: String
    /// 1-based, blank lines counted; nil for the file as a whole.
    public let line: Int?
    public let message: String

    public init(_ code: Code, file: String, line: Int?, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": error[\(code.rawValue)]: " + message
    }
}
