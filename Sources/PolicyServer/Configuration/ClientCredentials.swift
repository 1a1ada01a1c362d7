import Foundation

/// The permissions client's id and secret, with which policyd authenticates to an introspection endpoint
/// (RFC 7662 §2.1 requires the caller to be authorised). Taken from the environment or a file, never from
/// a flag (the process list shows flags), and never written anywhere: its description hides the secret,
/// so that interpolating it into a log line or an error cannot leak it.
public struct ClientCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let clientID: String
    let secret: String

    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = secret
    }

    /// `Authorization: Basic …` as RFC 6749 §2.3.1 builds it: id and secret each form-urlencoded first
    /// (a no-op for ids and secrets made of letters, digits, `-`, `.` and `_`, as generated ones are).
    var basicAuthorization: String {
        let pair = Self.formEncoded(clientID) + ":" + Self.formEncoded(secret)
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    public var description: String { "client '\(clientID)' (secret not shown)" }
    public var debugDescription: String { description }

    /// application/x-www-form-urlencoded (WHATWG URL §5.2): unreserved bytes as they are, space as `+`,
    /// everything else percent-encoded.
    static func formEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "*"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                encoded += "+"
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}
