import Foundation

/// The one check of what is said about a token against a policy's requirements, whoever says it:
/// the token itself (its signed claims, `TokenVerifier`) or its issuer (an introspection answer,
/// `GroupAnswerCheck` in policyd). In this order: the issuer, the audience, the times, the scope.
///
/// One leeway rule for every time and every speaker: policyd's clock and the issuer's may differ by
/// `leeway` seconds, and the difference is given to the caller. A statement is expired from
/// `exp + leeway` on, and not yet valid before `nbf - leeway` (issued in the future before
/// `iat - leeway`). What is cached lives until `exp` itself, not `exp + leeway`: a token in its
/// leeway is checked afresh at every call.
public struct ClaimsCheck: Sendable {
    /// Who makes the statement, which decides how its members are read and which must be there.
    public enum Speaker: Sendable {
        /// The token's own claims: `iss`, `aud` and `exp` required, `iss` compared byte for byte.
        case token
        /// An issuer's answer about a token (RFC 7662 §2.2 makes every member optional). `complete`:
        /// the answer is all there is (an opaque token), so `aud` and `exp` are required. INDIGO IAM's
        /// spellings are read: `iss` with a trailing `/`, several audiences in one space-separated string.
        case issuerAnswer(complete: Bool)
    }

    public let leeway: TimeInterval
    public let now: Date

    public init(leeway: TimeInterval, now: Date) {
        self.leeway = leeway
        self.now = now
    }

    /// Throws the first requirement the statement fails; returns its `exp`, when it has one.
    @discardableResult
    public func check(_ claims: TokenClaims, against requirements: TokenRequirements, saidBy speaker: Speaker)
        throws(TokenRejection) -> Date?
    {
        try checkIssuer(claims, requirements.issuer, speaker)
        try checkAudience(claims, requirements, speaker)
        let expiry = try checkTimes(claims, expiryRequired: speaker.isComplete)
        if let scope = requirements.scope, !claims.hasScope(scope) { throw .missingScope(scope) }
        return expiry
    }

    /// By bytes (spec 2.5): `String ==` would take an NFD issuer for the NFC one.
    private func checkIssuer(_ claims: TokenClaims, _ issuer: String, _ speaker: Speaker) throws(TokenRejection) {
        switch speaker {
        case .token:
            guard let named = claims.issuer, named.hasSameBytes(as: issuer) else { throw .wrongIssuer }
        case .issuerAnswer:
            guard let value = claims.values["iss"] else { return }
            guard let named = value.stringValue, IssuerIdentifier.same(named, issuer) else { throw .wrongIssuer }
        }
    }

    private func checkAudience(_ claims: TokenClaims, _ requirements: TokenRequirements, _ speaker: Speaker)
        throws(TokenRejection)
    {
        let audiences: [String]
        switch (speaker, claims.values["aud"]) {
        case (.issuerAnswer(complete: false), nil): return
        case (.issuerAnswer, .string(let text)?): audiences = TokenClaims.spaceSeparated(text)
        default: audiences = claims.audiences
        }
        guard requirements.admitsAudience(in: audiences) else { throw .wrongAudience }
    }

    private func checkTimes(_ claims: TokenClaims, expiryRequired: Bool) throws(TokenRejection) -> Date? {
        let expiry = try claims.date("exp")
        if let expiry {
            guard now < expiry.addingTimeInterval(leeway) else { throw .expired }
        } else if expiryRequired {
            throw .missingExpiry
        }
        if let notBefore = try claims.date("nbf"), now.addingTimeInterval(leeway) < notBefore { throw .notYetValid }
        if let issuedAt = try claims.date("iat"), now.addingTimeInterval(leeway) < issuedAt { throw .issuedInFuture }
        return expiry
    }
}

extension ClaimsCheck.Speaker {
    fileprivate var isComplete: Bool {
        switch self {
        case .token: true
        case .issuerAnswer(let complete): complete
        }
    }
}
