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
