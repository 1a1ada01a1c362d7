#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header's text, RFC 9110's IMF-fixdate (`Thu, 03 Dec 2026 10:30:00 GMT`), as
/// Hummingbird writes it on every answer; made again only when the second changes.
struct HTTPDateHeader {
    private var second: time_t = -1
    private var text = ""

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    mutating func current() -> String {
        var now = time(nil)
        guard now != second else { return text }
        var fields = tm()
        gmtime_r(&now, &fields)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        text = "\(Self.days[Int(fields.tm_wday)]), \(two(fields.tm_mday)) \(Self.months[Int(fields.tm_mon)]) "
            + "\(fields.tm_year + 1900) \(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec)) GMT"
        second = now
        return text
    }
}
