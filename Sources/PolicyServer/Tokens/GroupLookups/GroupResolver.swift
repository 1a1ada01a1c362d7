import Foundation
import Logging
import PolicyTokens

/// For issuers whose groups are not in their tokens: asks the issuer (introspection or userinfo), through
/// the coalescing answer store, within the lookup timeout, and makes the caller of the answer. Every
/// request that reaches the issuer is counted, recorded for `/health`, and (when it failed) logged,
/// without the token or the client secret.
struct GroupResolver: GroupLookup {
    let sources: [String: GroupSource]
    let issuers: any IssuerClient
    let answers: GroupLookupCoalescer
    let board: GroupLookupStatusBoard
    let metrics: PolicydMetrics
    let logger: Logger
    /// Each lookup's deadline, discovery included: a slow or dead issuer gives a denial after it.
    let timeout: Duration
    /// The longest an answer is trusted (`--groups-cache-ttl`), even for a token that lives longer: a
    /// group taken away at the issuer counts within this long.
    let answerLifetime: TimeInterval
    let now: @Sendable () -> Date

    func source(for issuer: String) -> GroupSource {
        sources[issuer] ?? .jwt
    }

    /// An opaque token (`verified` nil) is asked about only in introspection mode.
    func caller(
        for token: String, verified: VerifiedToken?, source: GroupSource, requirements: TokenRequirements,
        leeway: TimeInterval, groupsClaim: String
    ) async -> Result<AuthenticatedCaller, TokenRejection> {
        if verified == nil {
            guard source == .introspection else { return .failure(.malformed("expected three dot-separated parts")) }
            guard OpaqueToken.isBearerSyntax(token) else {
                return .failure(.malformed("neither a JWT nor a bearer token (RFC 6750 §2.1)"))
            }
        }
        let issuer = requirements.issuer
        let lifetime = answerLifetime
        let tokenExpiry = verified?.expiresAt
        let now = now
        let lookup = await answers.lookup(
            GroupLookupCoalescer.Key(token: token, issuer: issuer, source: source),
            keepUntil: { answer in
                var until = now().addingTimeInterval(lifetime)
                if let tokenExpiry { until = min(until, tokenExpiry) }
                if case .claims(let claims) = answer, let expiry = try? claims.date("exp") {
                    until = min(until, expiry)
                }
                return until
            },
            noting: { provenance in
                if provenance != .asked {
                    metrics.recordGroupsAnswerReused(issuer: issuer, source: source, provenance: provenance)
                }
            },
            ask: { await ask(token, issuer: issuer, source: source) })
        switch lookup.outcome {
        case .failure(let failure):
            return .failure(failure.rejection(source))
        case .success(.inactive(let reason)):
            return .failure(TokenRejection(.tokenInactive, reason: reason))
        case .success(.claims(let claims)):
            let check = GroupAnswerCheck(leeway: leeway, groupsClaim: groupsClaim, now: now())
            do {
                return .success(try check.caller(
                    from: claims, source: source, requirements: requirements, verified: verified,
                    trustedUntil: lookup.trustedUntil ?? now()))
            } catch {
                return .failure(error)
            }
        }
    }

    /// One request to the issuer, bounded by the timeout whatever the issuer does.
    private func ask(_ token: String, issuer: String, source: GroupSource) async -> GroupLookupCoalescer.Outcome {
        let timeout = timeout
        let outcome = await Deadline.run(
            within: timeout, otherwise: { GroupLookupCoalescer.Outcome.failure(.timedOut(timeout)) }
        ) { () async -> GroupLookupCoalescer.Outcome in
            await issuers.answer(about: token, issuer: issuer, source: source)
        }
        let at = now()
        switch outcome {
        case .success(let answer):
            board.recordSuccess(issuer: issuer, at: at)
            let kind: PolicydMetrics.GroupsLookupOutcome = if case .inactive = answer { .inactive } else { .answered }
            metrics.recordGroupsLookup(issuer: issuer, source: source, outcome: kind)
        case .failure(let failure):
            metrics.recordGroupsLookup(issuer: issuer, source: source, outcome: failure.isTimeout ? .timeout : .error)
            if board.recordFailure(issuer: issuer, error: failure.description, at: at) {
                logger.warning(
                    "cannot ask the issuer for groups",
                    metadata: ["issuer": "\(issuer)", "source": "\(source)", "error": "\(failure.description)"])
            }
        }
        return outcome
    }
}
