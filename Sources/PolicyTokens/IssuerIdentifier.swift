/// Issuer identifiers as the issuer's own documents and answers spell them.
public enum IssuerIdentifier {
    /// Whether `named` is `expected`, a trailing `/` aside, by bytes: a discovery URL is built without
    /// it, and INDIGO IAM adds one to the `iss` of its introspection answers whatever the issuer's
    /// configured form. (A token's own `iss` gets no such allowance: `ClaimsCheck`.)
    public static func same(_ named: String, _ expected: String) -> Bool {
        func trimmed(_ text: String) -> Substring {
            var text = Substring(text)
            while text.hasSuffix("/") { text = text.dropLast() }
            return text
        }
        return trimmed(named).utf8.elementsEqual(trimmed(expected).utf8)
    }
}
