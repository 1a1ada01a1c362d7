import PolicyCore

/// The three parts of a compact JWS, decoded but not yet trusted.
///
/// Each way a token can be malformed has its own reason, so that a refused caller (or whoever reads
/// the logs) can tell a truncated token from a forged one.
struct CompactToken {
    let header: [String: JSONValue]
    let claims: [String: JSONValue]
    let signature: [UInt8]
    /// `header.payload` exactly as received: the bytes the signature covers.
    let signingInput: [UInt8]

    /// Header members that carry or point to a key. A token must never choose the key that verifies it.
    static let keyBearingHeaders = ["jku", "x5u", "jwk", "x5c"]

    init(_ token: String) throws(TokenRejection) {
        let bytes = Array(token.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected three dot-separated parts") }
        header = try Self.jsonObject(parts[0], part: "header", duplicate: TokenRejection.duplicateHeaderMember)
        claims = try Self.jsonObject(parts[1], part: "payload", duplicate: TokenRejection.duplicateClaim)
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed("signature is not base64url") }
        self.signature = signature
        self.signingInput = Array(bytes[..<parts[1].endIndex])
    }

    /// Strict JSON (PolicyCore's reader: RFC 8259, nesting bounded) held to the duplicate-member rule
    /// (`RepeatedNames`): with two `aud` or two `groups`, the issuer, policyd and any other reader could
    /// each see a different token. Canonically equivalent names, one key to a dictionary, are refused too.
    private static func jsonObject(
        _ encoded: ArraySlice<UInt8>, part: String, duplicate: (String) -> TokenRejection
    ) throws(TokenRejection) -> [String: JSONValue] {
        guard let json = Base64URL.decode(encoded) else { throw .malformed("\(part) is not base64url") }
        do {
            return try JSONReader.parseDictionary(json)
        } catch {
            switch error {
            case .syntax: throw .malformed("\(part) is not JSON")
            case .notAnObject: throw .malformed("\(part) is not a JSON object")
            case .repeatedName(let name): throw duplicate(name)
            }
        }
    }

    func algorithm() throws(TokenRejection) -> SigningAlgorithm {
        guard let value = header["alg"] else { throw .malformed("no 'alg' in the header") }
        guard let name = value.stringValue else { throw .malformed("'alg' is not a string") }
        guard let algorithm = SigningAlgorithm(rawValue: name) else { throw .unsupportedAlgorithm(name) }
        return algorithm
    }

    func keyID() throws(TokenRejection) -> String {
        guard let value = header["kid"] else { throw .missingKeyID }
        guard let kid = value.stringValue else { throw .malformed("'kid' is not a string") }
        return kid
    }

    /// RFC 7515 §4.1.11: extensions listed in `crit` must be understood; none are.
    func rejectCriticalExtensions() throws(TokenRejection) {
        if header["crit"] != nil { throw .unsupportedCriticalHeader }
    }

    /// Keys come only from the policy's issuer. Ignoring these members would be safe too (they are never
    /// read), but a token that offers its own key is an attack or a broken issuer, and says so.
    func rejectKeyBearingHeaders() throws(TokenRejection) {
        if let name = Self.keyBearingHeaders.first(where: { header[$0] != nil }) { throw .keyInHeader(name) }
    }

    /// `header.payload.` with nothing after the last dot: checked before any key is looked up.
    func rejectMissingSignature() throws(TokenRejection) {
        if signature.isEmpty { throw .missingSignature }
    }
}
