import PolicyCore

/// Strict percent-decoding (RFC 3986 §2.1): a `%` must start two hex digits and the result must be
/// UTF-8. Invalid input is refused rather than passed through, so nothing reaches a decision in two
/// possible readings.
enum PercentDecoding {
    /// - Parameter plusIsSpace: `application/x-www-form-urlencoded` query strings write a space as `+`
    ///   (what Python's `requests` sends); paths do not.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return UTF8Text.string(bytes)
    }
}
