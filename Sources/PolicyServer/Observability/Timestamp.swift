import Foundation

/// How policyd writes a moment everywhere it writes one (logs, audit records, `/health`): ISO 8601
/// in UTC with milliseconds, `2026-11-25T16:29:56.915Z`.
enum Timestamp {
    private static let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func text(_ date: Date) -> String {
        date.formatted(format)
    }
}
