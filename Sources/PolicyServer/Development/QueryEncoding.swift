import PolicyCore

/// Percent-encoding of a URL path segment or query value: everything but RFC 3986's unreserved characters.
enum QueryEncoding {
    static func component(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if URISyntax.isUnreserved(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
