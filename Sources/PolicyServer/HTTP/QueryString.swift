import PolicyCore

/// A request's query parameters, decoded, in order, duplicates kept.
struct QueryString: Sendable {
    struct Item: Sendable {
        let name: String
        let value: String
    }

    let items: [Item]

    /// `a=1&b&c=` gives a = "1", b = "", c = ""; empty pieces (`a=1&&b=2`) are skipped. More than
    /// `maximumItems` pieces are refused before any is decoded: every later step is linear in them,
    /// but none should run for thousands. One pass over the bytes; a piece with no `%` or `+` (most
    /// of them) is taken as it is, without decoding.
    init(_ raw: String?, maximumItems: Int = .max) throws(HTTPProblem) {
        guard var raw, !raw.isEmpty else {
            items = []
            return
        }
        var items: [Item] = []
        let problem: HTTPProblem? = raw.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
                defer { start = end + 1 }
                guard end > start else { continue }
                guard items.count < maximumItems else {
                    return HTTPProblem(
                        .unprocessableContent, "too many query parameters: more than \(maximumItems) (--max-parameters)")
                }
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let equals = piece.firstIndex(of: UInt8(ascii: "="))
                guard let name = Self.decoded(UnsafeBufferPointer(rebasing: piece[..<(equals ?? piece.endIndex)])),
                      let value = Self.decoded(UnsafeBufferPointer(rebasing: piece[(equals.map { $0 + 1 } ?? piece.endIndex)...]))
                else {
                    return HTTPProblem(.badRequest, "the query string is not valid percent-encoded UTF-8")
                }
                items.append(Item(name: name, value: value))
            }
            return nil
        }
        if let problem { throw problem }
        self.items = items
    }

    /// `application/x-www-form-urlencoded`: `+` is a space (what Python's `requests` and Java's
    /// `URLEncoder` send), `%XX` a byte; nil for invalid encoding or bytes that are not UTF-8.
    private static func decoded(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return UTF8Text.string(bytes)
        }
        return PercentDecoding.decode(Substring(decoding: bytes, as: UTF8.self), plusIsSpace: true)
    }

    func values(named name: String) -> [String] {
        items.filter { $0.name.utf8.elementsEqual(name.utf8) }.map(\.value)
    }

    /// The value of a parameter that may be given at most once; nil when absent.
    func single(_ name: String) throws(HTTPProblem) -> String? {
        var found: String?
        for item in items where item.name.utf8.elementsEqual(name.utf8) {
            guard found == nil else {
                throw HTTPProblem(.unprocessableContent, "query parameter '\(name)' is given more than once")
            }
            found = item.value
        }
        return found
    }
}
