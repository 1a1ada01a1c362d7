import Foundation
import PolicyCore

/// A caller whose token was verified for a policy's requirements: its groups, ready for decisions.
struct AuthenticatedCaller: Sendable {
    let groups: CallerGroups
    let expiresAt: Date
}
