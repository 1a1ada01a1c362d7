/// Failures obtaining an issuer's keys (as opposed to rejecting a token).
public enum KeySetError: Error, Sendable, Equatable {
    case invalidKeySetDocument
    case unknownIssuer(String)
    /// No keys are cached and the last fetch was too recent to try again.
    case fetchThrottled(issuer: String)
}
