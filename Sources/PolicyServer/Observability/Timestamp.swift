#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How policyd writes a moment everywhere it writes one (logs, audit records, `/health`): ISO 8601
/// in UTC with milliseconds, `2026-11-25T16:29:56.915Z`. Written from the calendar fields gmtime
/// gives, not through Foundation's formatter: the audit log writes one per decision, and the
/// formatter cost two microseconds each.
enum Timestamp {
    static func text(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ date: Date, to output: inout [UInt8]) {
        // Whole seconds, then the fraction's milliseconds truncated, as Foundation's formatter takes them.
        let interval = date.timeIntervalSince1970
        let wholeSeconds = interval.rounded(.down)
        let milliseconds = min(999, Int((interval - wholeSeconds) * 1000))
        var seconds = time_t(wholeSeconds)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        appendDigits(Int(fields.tm_year) + 1900, count: 4, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(Int(fields.tm_mon) + 1, count: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(Int(fields.tm_mday), count: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        appendDigits(Int(fields.tm_hour), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(Int(fields.tm_min), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(Int(fields.tm_sec), count: 2, to: &output)
        output.append(UInt8(ascii: "."))
        appendDigits(milliseconds, count: 3, to: &output)
        output.append(UInt8(ascii: "Z"))
    }

    private static func appendDigits(_ value: Int, count: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
