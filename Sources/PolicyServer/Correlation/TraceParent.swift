/// The trace id of a W3C Trace Context `traceparent` header (§3.2), so that a decision can be found
/// from a trace: `version-traceid-parentid-flags`, each in lower-case hex. Nil for anything that is
/// not well formed, as the recommendation asks a receiver to treat it: an all-zero trace or parent
/// id, version `ff`, a version-00 header of another length, upper-case hex. A later version may
/// carry more fields after a `-`.
enum TraceParent {
    static func traceID(of header: String) -> String? {
        let bytes = Array(header.utf8)
        guard bytes.count >= 55, isHex(bytes[0..<2]), bytes[0..<2] != [0x66, 0x66],
              bytes[2] == dash, isHex(bytes[3..<35]), bytes[35] == dash, isHex(bytes[36..<52]), bytes[52] == dash,
              isHex(bytes[53..<55]), !isZero(bytes[3..<35]), !isZero(bytes[36..<52])
        else { return nil }
        let isVersionZero = bytes[0] == zero && bytes[1] == zero
        if isVersionZero ? bytes.count != 55 : bytes.count > 55 && bytes[55] != dash { return nil }
        return String(decoding: bytes[3..<35], as: UTF8.self)
    }

    private static let dash = UInt8(ascii: "-")
    private static let zero = UInt8(ascii: "0")

    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func isZero(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == zero }
    }
}
