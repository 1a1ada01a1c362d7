extension String {
    /// The text with every control character (C0 and C1) and line or paragraph separator turned
    /// into a space: for text a caller wrote that goes where a line break, or a byte a terminal acts
    /// on (U+009B is the 8-bit CSI), would do harm (a header value, a terminal, a table).
    public var controlsAsSpaces: String {
        String(String.UnicodeScalarView(unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }))
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls and the Unicode line and paragraph separators: what breaks a line or acts
    /// on a terminal. JSON answers and logs write these as `\uXXXX`, diagnostics as escapes.
    var isLineOrTerminalControl: Bool {
        value < 0x20 || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }
}
