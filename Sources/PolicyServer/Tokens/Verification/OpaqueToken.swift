/// Tells a JWT from an opaque (reference) token before anything is asked: only an issuer in
/// `introspection` mode accepts an opaque token, and only its answer then describes the token.
enum OpaqueToken {
    /// A compact JWS has exactly three dot-separated parts; anything else is opaque. A token of three parts
    /// is verified as a JWT in every mode, so no shape makes a signature check optional.
    static func isOpaque(_ token: String) -> Bool {
        var dots = 0
        for byte in token.utf8 where byte == UInt8(ascii: ".") {
            dots += 1
        }
        return dots != 2
    }

    /// RFC 6750 §2.1's `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. Anything
    /// else cannot be a bearer token, and is refused without asking the issuer.
    static func isBearerSyntax(_ token: String) -> Bool {
        var sawPadding = false
        var count = 0
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "="):
                sawPadding = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                guard !sawPadding else { return false }
                count += 1
            default:
                return false
            }
        }
        return count > 0
    }
}
