/// The JWS algorithms accepted. Only asymmetric ones: with `none` or HMAC a token could be forged by anyone
/// holding the issuer's *public* key (key confusion), so those are refused before any key is looked up.
enum SigningAlgorithm: String, Sendable, CaseIterable {
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case ps384 = "PS384"
    case ps512 = "PS512"
    case es256 = "ES256"
    case es384 = "ES384"
}
