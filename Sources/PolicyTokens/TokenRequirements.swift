import PolicyCore

/// What a token must satisfy: the issuer whose keys must have signed it, an audience it must name (or,
/// for a GMS search, which accepts any of a configured list, one of `otherAudiences` instead), and
/// optionally a scope it must carry.
public struct TokenRequirements: Sendable, Hashable {
    public var issuer: String
    public var audience: String
    /// Audiences a token may name instead of `audience`; none for a policy. Kept apart from `audience`
    /// so that a policy's requirements, made on every call, allocate no array.
    public var otherAudiences: [String]
    public var scope: String?

    public init(issuer: String, audience: String, otherAudiences: [String] = [], scope: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.otherAudiences = otherAudiences
        self.scope = scope
    }

    /// Whether `named` (a token's `aud`, or an introspection answer's) holds one of the audiences, by
    /// bytes. The work is the product of the two lists' lengths: the token's is bounded by its size,
    /// and the other is the operator's (one for a policy).
    public func admitsAudience(in named: [String]) -> Bool {
        named.containsBytes(of: audience) || otherAudiences.contains { named.containsBytes(of: $0) }
    }

    /// By bytes, as every comparison of token text (spec 2.5): caches are keyed by requirements, and
    /// two policies whose audiences are canonically equivalent but differently encoded are two
    /// audiences, not one.
    public static func == (lhs: TokenRequirements, rhs: TokenRequirements) -> Bool {
        lhs.issuer.hasSameBytes(as: rhs.issuer) && lhs.audience.hasSameBytes(as: rhs.audience)
            && lhs.otherAudiences.count == rhs.otherAudiences.count
            && zip(lhs.otherAudiences, rhs.otherAudiences).allSatisfy { $0.hasSameBytes(as: $1) }
            && lhs.scope.map { rhs.scope?.hasSameBytes(as: $0) ?? false } ?? (rhs.scope == nil)
    }

    /// Each string's bytes and its length (so that "ab"+"c" and "a"+"bc" differ), without copying
    /// them into arrays: the verified-token cache hashes a key on every call.
    public func hash(into hasher: inout Hasher) {
        func combine(_ text: String) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(text.utf8.count)
        }
        combine(issuer)
        combine(audience)
        for other in otherAudiences { combine(other) }
        combine(scope ?? "")
        hasher.combine(otherAudiences.count)
        hasher.combine(scope != nil)
    }
}
