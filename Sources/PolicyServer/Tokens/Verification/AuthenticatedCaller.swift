import Foundation
import PolicyCore

/// A caller whose token was verified for a policy's requirements: its groups, ready for decisions,
/// and who it is, for gateways to pass upstream.
struct AuthenticatedCaller: Sendable {
    let groups: CallerGroups
    let expiresAt: Date
    /// The token's `sub`, when it has one.
    var subject: String? = nil
    /// The token's `iss`.
    var issuer: String? = nil
}
