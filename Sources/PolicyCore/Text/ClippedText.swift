/// A caller's text shortened for a reason or a log record: at most `maximumBytes` of its UTF-8, cut
/// at the start of the scalar the limit falls in, and `…` where something was cut. What a caller
/// sends may be anything up to the size of a request; what policyd writes about it stays small.
public enum ClippedText {
    /// `text`'s UTF-8, clipped, appended to `output`: no more of `text` is read than the limit needs.
    public static func append(_ text: some Collection<UInt8>, maximumBytes: Int, to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: text.prefix(maximumBytes + 1))
        clip(&output, from: start, maximumBytes: maximumBytes)
    }

    /// What `output` holds from `start` on, clipped in place.
    public static func clip(_ output: inout [UInt8], from start: Int, maximumBytes: Int) {
        guard output.count - start > maximumBytes else { return }
        var end = start + maximumBytes
        // Back to the start of a scalar: UTF-8 continuation bytes are 0b10xxxxxx.
        while end > start, output[end] & 0xC0 == 0x80 { end -= 1 }
        output.removeSubrange(end...)
        output.append(contentsOf: "…".utf8)
    }

    /// `text`, clipped; its own string when it is whole and short enough (no copy).
    public static func string(_ text: Substring, maximumBytes: Int) -> String {
        guard text.utf8.count > maximumBytes else {
            return text.startIndex == text.base.startIndex && text.endIndex == text.base.endIndex ? text.base : String(text)
        }
        var bytes: [UInt8] = []
        append(text.utf8, maximumBytes: maximumBytes, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
