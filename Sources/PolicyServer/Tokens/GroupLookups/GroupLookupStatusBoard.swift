import Foundation
import NIOConcurrencyHelpers

/// How asking each issuer for groups has gone: the last answer, the last failure and when. Read by
/// `/health`; also decides which failures are worth a log line, so that an issuer that is down while
/// hundreds of requests a second arrive gives a line now and then, not one per request.
final class GroupLookupStatusBoard: Sendable {
    struct Status: Sendable {
        var lastSuccess: Date?
        var lastError: String?
        var lastErrorAt: Date?
        var lastLogged: Date?
    }

    /// A repeated failure is logged again after this long; a different one at once.
    static let logInterval: TimeInterval = 10

    private let statuses = NIOLockedValueBox<[String: Status]>([:])

    func status(of issuer: String) -> Status? {
        statuses.withLockedValue { $0[issuer] }
    }

    func recordSuccess(issuer: String, at date: Date) {
        statuses.withLockedValue { $0[issuer, default: Status()].lastSuccess = date }
    }

    /// Records the failure; true when it should be logged.
    func recordFailure(issuer: String, error: String, at date: Date) -> Bool {
        statuses.withLockedValue { statuses in
            var status = statuses[issuer, default: Status()]
            let repeated = status.lastError == error
            status.lastError = error
            status.lastErrorAt = date
            let log = !repeated || status.lastLogged.map { date.timeIntervalSince($0) >= Self.logInterval } ?? true
            if log { status.lastLogged = date }
            statuses[issuer] = status
            return log
        }
    }
}
