import HTTPTypes
import Logging

/// What ties a decision to the request behind it (spec 4.1): `X-Request-ID` (a proxy's, or one made
/// here), `X-Correlation-ID` (the Python client's, when given one), `traceparent`'s trace id
/// (OpenTelemetry-instrumented services) and `X-Calling-Service` (the Python client names its
/// service). Each is recorded in the audit record and the request's log line; `X-Request-ID` is echoed
/// on the answer. None of them is ever read by a decision.
///
/// A value is taken only when it is given once and is printable ASCII (space to `~`) of 1 to 128
/// bytes; anything else is left out, as if not sent. An unusable `X-Request-ID` is replaced by a made
/// one, so that every answer and record has one to find it by.
struct Correlation: Sendable {
    let requestID: String
    let correlationID: String?
    let traceID: String?
    let callingService: String?

    static let requestIDHeader = HTTPField.Name("X-Request-ID")!
    static let correlationIDHeader = HTTPField.Name("X-Correlation-ID")!
    static let traceparentHeader = HTTPField.Name("traceparent")!
    static let callingServiceHeader = HTTPField.Name("X-Calling-Service")!
    static let maximumBytes = 128

    init(headers: HTTPFields, requestIDs: RequestIDs) {
        requestID = Self.usable(headers[values: Self.requestIDHeader]) ?? requestIDs.next()
        correlationID = Self.usable(headers[values: Self.correlationIDHeader])
        traceID = Self.usable(headers[values: Self.traceparentHeader]).flatMap(TraceParent.traceID(of:))
        callingService = Self.usable(headers[values: Self.callingServiceHeader])
    }

    /// The one value of a header given once, when it is printable ASCII of at most 128 bytes.
    static func usable(_ values: some Collection<String>) -> String? {
        guard values.count == 1, let value = values.first else { return nil }
        let bytes = value.utf8
        guard (1...maximumBytes).contains(bytes.count),
              bytes.allSatisfy({ (UInt8(ascii: " ")...UInt8(ascii: "~")).contains($0) })
        else { return nil }
        return value
    }

    /// For a log line: each one present, under the audit record's names.
    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["request_id": "\(requestID)"]
        if let correlationID { metadata["correlation_id"] = "\(correlationID)" }
        if let traceID { metadata["trace_id"] = "\(traceID)" }
        if let callingService { metadata["calling_service"] = "\(callingService)" }
        return metadata
    }
}
