/// Why a token was refused: a stable `code` for machines and a one-line `reason` for people.
/// Reasons never contain the token; header values echoed in them are truncated and stripped of control characters.
public struct TokenRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case tokenTooLarge = "token_too_large"
        case malformedToken = "malformed_token"
        case unsupportedAlgorithm = "unsupported_algorithm"
        case unsupportedCriticalHeader = "unsupported_critical_header"
        case keyInHeader = "key_in_header"
        case missingSignature = "missing_signature"
        case missingKeyID = "missing_key_id"
        case unknownKeyID = "unknown_key_id"
        case keyAlgorithmMismatch = "key_algorithm_mismatch"
        case keysUnavailable = "keys_unavailable"
        case badSignature = "bad_signature"
        case wrongIssuer = "wrong_issuer"
        case wrongAudience = "wrong_audience"
        case missingExpiry = "missing_exp"
        case expired = "token_expired"
        case notYetValid = "token_not_yet_valid"
        case issuedInFuture = "issued_in_future"
        case malformedClaim = "malformed_claim"
        case missingScope = "missing_scope"
        /// The issuer said the token is not active (RFC 7662 §2.2), or its userinfo endpoint refused it.
        case tokenInactive = "token_inactive"
        /// The caller's groups had to be asked of the issuer, and no usable answer came.
        case groupsUnavailable = "groups_unavailable"
        /// An introspection or userinfo answer names another subject than the token.
        case subjectMismatch = "subject_mismatch"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}

extension TokenRejection {
    /// Public so that callers can refuse an oversized token before doing anything with it (even hashing it).
    public static let tokenTooLarge = Self(.tokenTooLarge, reason: "token too large")
    static let unsupportedCriticalHeader = Self(.unsupportedCriticalHeader, reason: "unsupported critical header")
    static let missingSignature = Self(.missingSignature, reason: "missing signature")
    static let missingKeyID = Self(.missingKeyID, reason: "missing key id")
    static let keysUnavailable = Self(.keysUnavailable, reason: "issuer keys unavailable")
    static let badSignature = Self(.badSignature, reason: "bad signature")
    public static let wrongIssuer = Self(.wrongIssuer, reason: "wrong issuer")
    public static let wrongAudience = Self(.wrongAudience, reason: "wrong audience")
    public static let missingExpiry = Self(.missingExpiry, reason: "missing exp")
    public static let expired = Self(.expired, reason: "token expired")
    static let notYetValid = Self(.notYetValid, reason: "token not yet valid")
    static let issuedInFuture = Self(.issuedInFuture, reason: "issued in the future")

    /// `detail` is ours (which part, what is wrong), never text from the token.
    public static func malformed(_ detail: String) -> Self {
        Self(.malformedToken, reason: "malformed token: \(detail)")
    }

    static func duplicateHeaderMember(_ name: String) -> Self {
        malformed("header member '\(printable(name))' given twice")
    }

    static func duplicateClaim(_ name: String) -> Self {
        malformed("claim '\(printable(name))' given twice")
    }

    static func keyInHeader(_ name: String) -> Self {
        Self(.keyInHeader, reason: "token header '\(name)' refused: keys come only from the issuer")
    }

    public static func malformedClaim(_ name: String, _ problem: String) -> Self {
        Self(.malformedClaim, reason: "malformed claim '\(printable(name))': \(problem)")
    }

    static func unsupportedAlgorithm(_ name: String) -> Self {
        Self(.unsupportedAlgorithm, reason: "unsupported algorithm '\(printable(name))'")
    }

    static func unknownKeyID(_ kid: String) -> Self {
        Self(.unknownKeyID, reason: "unknown key id '\(printable(kid))'")
    }

    static func keyAlgorithmMismatch(kid: String, algorithm: SigningAlgorithm) -> Self {
        Self(.keyAlgorithmMismatch, reason: "key '\(printable(kid))' cannot verify \(algorithm.rawValue)")
    }

    public static func missingScope(_ scope: String) -> Self {
        Self(.missingScope, reason: "missing scope '\(printable(scope))'")
    }

    /// The same rejection, its reason saying which answer it is about (`introspection: wrong audience`):
    /// a reason must tell a token's own claims from what the issuer answered about it.
    public func about(_ source: String) -> Self {
        Self(code, reason: "\(source): \(reason)")
    }

    /// Header values are attacker-chosen; keep them from forging extra log lines or flooding logs.
    private static func printable(_ text: String, limit: Int = 64) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (0x20..<0x7F).contains(scalar.value) ? scalar : "?"
                }))
        return cleaned.count > limit ? cleaned.prefix(limit) + "..." : cleaned
    }
}
