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
}
