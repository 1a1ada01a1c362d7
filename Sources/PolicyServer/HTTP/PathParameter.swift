import Hummingbird

/// Path parameters as the router captured them are still percent-encoded.
enum PathParameter {
    static func decoded(_ name: String, in context: some RequestContext, orElse problem: HTTPProblem)
        throws(HTTPProblem) -> String
    {
        guard let raw = context.parameters[name[...]] else { throw problem }
        // Nearly every service name has no escape: taken as it is.
        if !raw.utf8.contains(UInt8(ascii: "%")) { return String(raw) }
        guard let value = PercentDecoding.decode(raw, plusIsSpace: false) else { throw problem }
        return value
    }
}
