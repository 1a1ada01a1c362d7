import PolicyCore

/// What a policy demands of a token: the issuer whose keys must have signed it, an audience it must name,
/// and optionally a scope it must carry.
public struct TokenRequirements: Sendable, Hashable {
    public var issuer: String
    public var audience: String
    public var scope: String?

    public init(issuer: String, audience: String, scope: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.scope = scope
    }

    /// By bytes, as every comparison of token text (spec 2.5): caches are keyed by requirements, and
    /// two policies whose audiences are canonically equivalent but differently encoded are two
    /// audiences, not one.
    public static func == (lhs: TokenRequirements, rhs: TokenRequirements) -> Bool {
        lhs.issuer.hasSameBytes(as: rhs.issuer) && lhs.audience.hasSameBytes(as: rhs.audience)
            && lhs.scope.map { rhs.scope?.hasSameBytes(as: $0) ?? false } ?? (rhs.scope == nil)
    }

    /// Each string's bytes and its length (so that "ab"+"c" and "a"+"bc" differ), without copying
    /// them into arrays: the verified-token cache hashes a key on every call.
    public func hash(into hasher: inout Hasher) {
        for text in [issuer, audience, scope ?? ""] {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(text.utf8.count)
        }
        hasher.combine(scope != nil)
    }
}
