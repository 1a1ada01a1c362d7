#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PolicyCore

/// A diagnostic as the Swift compiler prints one, coloured on a terminal.
struct HumanDiagnostic {
    let diagnostic: Diagnostic
    let colours: Bool

    init(_ diagnostic: Diagnostic, colours: Bool) {
        self.diagnostic = diagnostic
        self.colours = colours
    }

    var line: String {
        guard colours else { return diagnostic.description }
        var text = "\u{1B}[1m" + diagnostic.file
        if let location = diagnostic.location { text += ":\(location.line):\(location.column)" }
        let colour = switch diagnostic.severity {
        case .error: "\u{1B}[31m"
        case .warning: "\u{1B}[33m"
        case .note: "\u{1B}[36m"
        }
        text += ": \(colour)\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]\u{1B}[0m\u{1B}[1m: \(diagnostic.message)\u{1B}[0m"
        if let hint = diagnostic.hint { text += "; hint: \(hint)" }
        return text
    }
}

enum Terminal {
    static var wantsColour: Bool {
        isatty(1) != 0 && getenv("NO_COLOR") == nil
    }
}
