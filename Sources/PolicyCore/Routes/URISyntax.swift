/// The character classes of RFC 3986 that more than one reader of paths needs.
public enum URISyntax {
    /// `ALPHA / DIGIT / "-" / "." / "_" / "~"` (§2.3): the same escaped or not, so never escaped.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
