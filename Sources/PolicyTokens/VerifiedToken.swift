import Foundation

/// The claims of a token whose signature and requirements have been checked.
public struct VerifiedToken: Sendable, Hashable {
    public var subject: String?
    public var issuer: String
    public var audiences: [String]
    /// As the issuer wrote them; normalising a leading "/" is the policy engine's job.
    public var groups: [String]
    public var scopes: [String]
    public var expiresAt: Date?

    public init(
        subject: String?, issuer: String, audiences: [String], groups: [String], scopes: [String], expiresAt: Date?
    ) {
        self.subject = subject
        self.issuer = issuer
        self.audiences = audiences
        self.groups = groups
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}
