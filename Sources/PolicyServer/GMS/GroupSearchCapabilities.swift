import Foundation

/// The VOSI capabilities document of policyd's GMS (spec 4.2), as opencadc's registry client reads
/// it (cadc-registry's `CapabilitiesReader`, which validates it against the VOSICapabilities 1.0,
/// VOResource 1.0 and VODataService 1.1 schemas, then looks for the GMS search capability and, in it,
/// the interface whose `securityMethod` is the token's): the capabilities themselves, and the
/// `ivo://ivoa.net/std/GMS#search-1.0` search, at URLs under the public URL `--gms-public-url` gives.
/// policyd sits behind an ingress and cannot know that URL itself: the request's `Host` is the
/// client's to say, and a registry client keeps the document it reads.
struct GroupSearchCapabilities: Sendable {
    let document: [UInt8]

    /// - Parameter publicURL: checked by `checkedPublicURL`.
    init(publicURL: String) {
        let base = Self.escaped(publicURL)
        document = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" \
            xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <capability standardID="ivo://ivoa.net/std/VOSI#capabilities">
                <interface xsi:type="vs:ParamHTTP" role="std">
                  <accessURL use="full">\(base)/capabilities</accessURL>
                </interface>
              </capability>
              <capability standardID="ivo://ivoa.net/std/GMS#search-1.0">
                <interface xsi:type="vs:ParamHTTP" role="std" version="1.0">
                  <accessURL use="base">\(base)/search</accessURL>
                  <securityMethod standardID="ivo://ivoa.net/sso#token"/>
                </interface>
              </capability>
            </vosi:capabilities>

            """.utf8)
    }

    /// `http://` or `https://`, a host, a path, and nothing else (no user, query or fragment): the URL
    /// at which clients reach `/v1/gms`, without the trailing `/`. Printable ASCII only, so that it is
    /// the same text for the XML reader and for `java.net.URL`.
    static func checkedPublicURL(_ text: String) throws(ConfigurationError) -> String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard trimmed.utf8.allSatisfy({ (UInt8(ascii: "!")...UInt8(ascii: "~")).contains($0) && !#""<>\^`{|}"#.utf8.contains($0) }),
              let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil
        else {
            throw ConfigurationError(
                "'\(text)': give the URL at which clients reach /v1/gms, such as https://permissions.example.org/v1/gms (http or https, no query)")
        }
        return trimmed
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
    }
}
