import Foundation
import NIOConcurrencyHelpers

/// What is known about each fetched issuer's keys: when they were last fetched, whether that worked,
/// the key ids, and the `max-age` the issuer asked for. Read by `/health` and the refresh schedule.
final class IssuerKeyStatusBoard: Sendable {
    struct Status: Sendable {
        var lastAttempt: Date?
        var lastSuccess: Date?
        var lastAttemptSucceeded = false
        var keyIDs: [String] = []
        var maxAge: TimeInterval?
        var lastError: String?
    }

    private let statuses = NIOLockedValueBox<[String: Status]>([:])

    func status(of issuer: String) -> Status? {
        statuses.withLockedValue { $0[issuer] }
    }

    func recordSuccess(issuer: String, keyIDs: [String], maxAge: TimeInterval?, at date: Date) {
        statuses.withLockedValue { statuses in
            var status = statuses[issuer, default: Status()]
            status.lastAttempt = date
            status.lastSuccess = date
            status.lastAttemptSucceeded = true
            status.keyIDs = keyIDs.sorted()
            status.maxAge = maxAge
            statuses[issuer] = status
        }
    }

    func recordFailure(issuer: String, error: String, at date: Date) {
        statuses.withLockedValue { statuses in
            var status = statuses[issuer, default: Status()]
            status.lastAttempt = date
            status.lastAttemptSucceeded = false
            status.lastError = error
            statuses[issuer] = status
        }
    }
}
