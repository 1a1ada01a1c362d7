import Foundation
import PolicyCore
import PolicyTokens

/// Makes a caller of an issuer's answer about a token, checking an introspection answer against a
/// policy's requirements by the check a token's claims pass (`ClaimsCheck`, spec section 3): the
/// issuer, the audience, the times with the same leeway, and the scope. Every requirement is checked
/// on what describes the token:
/// - a JWT has had its own (signed) issuer, audience and expiry checked already; where the answer has
///   these members too, they must agree;
/// - an opaque token has only the answer, which must then have every member a requirement needs;
/// - the scope is always the answer's to vouch for (a JWT's own `scope` claim, when it has one, was
///   checked too): with INDIGO IAM the answer's `scope` holds only the token's scopes that the
///   permissions client may see, so a service scope not granted to that client denies here.
///
/// Reasons name the answer (`introspection: wrong audience`), so that they tell the token's own claims
/// from what the issuer said about it.
struct GroupAnswerCheck {
    let leeway: TimeInterval
    let groupsClaim: String
    let now: Date

    /// - Parameters:
    ///   - verified: the token's verified claims when it is a JWT; nil for an opaque token.
    ///   - trustedUntil: until when the answer may be trusted; the caller lives no longer.
    func caller(
        from claims: TokenClaims, source: GroupSource, requirements: TokenRequirements, verified: VerifiedToken?,
        trustedUntil: Date
    ) throws(TokenRejection) -> AuthenticatedCaller {
        do {
            return try checkedCaller(claims, source, requirements, verified, trustedUntil)
        } catch {
            throw error.about(source.rawValue)
        }
    }

    private func checkedCaller(
        _ claims: TokenClaims, _ source: GroupSource, _ requirements: TokenRequirements, _ verified: VerifiedToken?,
        _ trustedUntil: Date
    ) throws(TokenRejection) -> AuthenticatedCaller {
        var expiresAt = trustedUntil
        if let tokenExpiry = verified?.expiresAt { expiresAt = min(expiresAt, tokenExpiry) }
        if source == .introspection {
            let check = ClaimsCheck(leeway: leeway, now: now)
            if let answerExpiry = try check.check(claims, against: requirements, saidBy: .issuerAnswer(complete: verified == nil)) {
                expiresAt = min(expiresAt, answerExpiry)
            }
        }
        try checkSubject(claims, source, verified)
        return AuthenticatedCaller(
            groups: CallerGroups(try claims.groups(claim: groupsClaim)), expiresAt: expiresAt,
            subject: verified?.subject ?? claims.subject, issuer: requirements.issuer)
    }

    /// OIDC Core §5.3.2: a userinfo answer whose `sub` is not the token's must not be used; the same holds
    /// for an introspection answer that names a subject.
    private func checkSubject(_ claims: TokenClaims, _ source: GroupSource, _ verified: VerifiedToken?)
        throws(TokenRejection)
    {
        guard let expected = verified?.subject else { return }
        let named = claims.values["sub"]
        if source == .introspection, named == nil { return }
        guard let subject = named?.stringValue, subject.hasSameBytes(as: expected) else {
            throw TokenRejection(.subjectMismatch, reason: "the answer is about another subject")
        }
    }
}
