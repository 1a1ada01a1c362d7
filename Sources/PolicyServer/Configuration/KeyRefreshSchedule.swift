import Foundation

/// How often issuers' keys are fetched again, and when they count as stale.
public struct KeyRefreshSchedule: Sendable, Equatable {
    /// The shortest time between two fetches for one issuer: the floor under `max-age`, the retry
    /// delay after a failure, and the bound on refreshes that unknown `kid`s (chosen by callers) can cause.
    public var minimumInterval: TimeInterval
    /// The longest time between two fetches, and the interval when the issuer sends no `max-age`.
    public var maximumInterval: TimeInterval
    /// Keys not fetched successfully for this long are stale: `/health` answers 503.
    public var maximumKeyAge: TimeInterval

    public init(minimumInterval: TimeInterval = 60, maximumInterval: TimeInterval = 3600, maximumKeyAge: TimeInterval = 7200) {
        self.minimumInterval = minimumInterval
        self.maximumInterval = maximumInterval
        self.maximumKeyAge = maximumKeyAge
    }

    /// The issuer's own `Cache-Control: max-age`, kept within the bounds.
    public func interval(forMaxAge maxAge: TimeInterval?) -> TimeInterval {
        min(max(maxAge ?? maximumInterval, minimumInterval), maximumInterval)
    }
}
