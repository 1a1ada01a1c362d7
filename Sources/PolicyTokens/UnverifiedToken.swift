/// What a token says before anything about it is verified: only to choose which requirements to
/// verify it against (a GMS search accepts tokens of several issuers, and the keys are the issuer's),
/// never to decide anything.
public enum UnverifiedToken {
    /// The `iss` a compact JWS names; nil when it has none or it is not a string. A token that does
    /// not parse is refused with the reason the verifier would give.
    public static func issuer(of token: String) throws(TokenRejection) -> String? {
        try TokenClaims(CompactToken(token).claims).issuer
    }
}
