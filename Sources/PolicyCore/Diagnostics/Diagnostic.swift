/// One finding about a policy source, printed the way the Swift compiler prints its own:
/// `file:line:col: error[E0302]: unknown role 'admn'; hint: did you mean 'admin'?`
/// One line each, so CI logs and `grep` keep every finding whole.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        /// Worth knowing, never a failure (not even with --warnings-as-errors).
        case note
        case warning
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var file: String
    public var location: SourceLocation?
    public var message: String
    public var hint: String?

    public init(
        _ code: DiagnosticCode, _ severity: Severity = .error, file: String,
        at location: SourceLocation?, _ message: String, hint: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// One line, whatever the policy's text holds: a diagnostic quotes what it is about (an
    /// expression may hold a JSON `\n`), and a line break or another control character in it is
    /// written as an escape, so that every diagnostic is one line and cannot act on a terminal.
    public var description: String {
        var line = file
        if let location { line += ":\(location.line):\(location.column)" }
        line += ": \(severity.rawValue)[\(code.rawValue)]: \(message)"
        if let hint { line += "; hint: \(hint)" }
        return Self.escapingControls(line)
    }

    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: \.isLineOrTerminalControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.isLineOrTerminalControl: escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// A set of findings that stopped a load: nothing of what was loaded is used.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
