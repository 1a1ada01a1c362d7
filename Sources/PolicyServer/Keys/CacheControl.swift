import Foundation

/// The part of `Cache-Control` (RFC 9111 §5.2) that sets how long fetched keys may be kept.
enum CacheControl {
    /// `max-age` in seconds; 0 for `no-cache` or `no-store`; nil when the header says nothing usable.
    static func maxAge(_ headerValues: [String]) -> TimeInterval? {
        var maxAge: TimeInterval?
        for directive in headerValues.flatMap({ $0.split(separator: ",") }) {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "no-cache", "no-store":
                return 0
            case "max-age" where parts.count == 2:
                let value = parts[1].trimmingCharacters(in: CharacterSet.whitespaces.union(["\""]))
                if let seconds = UInt64(value) { maxAge = TimeInterval(seconds) }
            default:
                continue
            }
        }
        return maxAge
    }
}
