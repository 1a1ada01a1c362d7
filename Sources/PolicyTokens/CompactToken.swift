/// The three parts of a compact JWS, decoded but not yet trusted.
struct CompactToken {
    let header: [String: JSONValue]
    let claims: [String: JSONValue]
    let signature: [UInt8]
    /// `header.payload` exactly as received: the bytes the signature covers.
    let signingInput: [UInt8]

    init(_ token: String) throws(TokenRejection) {
        let bytes = Array(token.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerJSON = Base64URL.decode(parts[0]),
            let header = JSONValue.object(fromJSON: headerJSON),
            let payloadJSON = Base64URL.decode(parts[1]),
            let claims = JSONValue.object(fromJSON: payloadJSON),
            let signature = Base64URL.decode(parts[2])
        else {
            throw .malformedToken
        }
        self.header = header
        self.claims = claims
        self.signature = signature
        self.signingInput = Array(bytes[..<parts[1].endIndex])
    }

    func algorithm() throws(TokenRejection) -> SigningAlgorithm {
        guard let name = header["alg"]?.stringValue else { throw .malformedToken }
        guard let algorithm = SigningAlgorithm(rawValue: name) else { throw .unsupportedAlgorithm(name) }
        return algorithm
    }

    func keyID() throws(TokenRejection) -> String {
        guard let value = header["kid"] else { throw .missingKeyID }
        guard let kid = value.stringValue else { throw .malformedToken }
        return kid
    }

    /// RFC 7515 §4.1.11: extensions listed in `crit` must be understood; none are.
    func rejectCriticalExtensions() throws(TokenRejection) {
        if header["crit"] != nil { throw .unsupportedCriticalHeader }
    }
}
