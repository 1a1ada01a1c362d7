/// A request's query parameters, decoded, in order, duplicates kept.
struct QueryString: Sendable {
    struct Item: Sendable {
        let name: String
        let value: String
    }

    let items: [Item]

    /// `a=1&b&c=` gives a = "1", b = "", c = ""; empty pieces (`a=1&&b=2`) are skipped. More than
    /// `maximumItems` pieces are refused before any is decoded: every later step is linear in them,
    /// but none should run for thousands.
    init(_ raw: String?, maximumItems: Int = .max) throws(HTTPProblem) {
        var items: [Item] = []
        for piece in (raw ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            guard items.count < maximumItems else {
                throw HTTPProblem(
                    .unprocessableContent, "too many query parameters: more than \(maximumItems) (--max-parameters)")
            }
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusIsSpace: true),
                  let value = PercentDecoding.decode(parts.count == 2 ? parts[1] : "", plusIsSpace: true)
            else {
                throw HTTPProblem(.badRequest, "the query string is not valid percent-encoded UTF-8")
            }
            items.append(Item(name: name, value: value))
        }
        self.items = items
    }

    func values(named name: String) -> [String] {
        items.filter { $0.name.utf8.elementsEqual(name.utf8) }.map(\.value)
    }

    /// The value of a parameter that may be given at most once; nil when absent.
    func single(_ name: String) throws(HTTPProblem) -> String? {
        let values = values(named: name)
        guard values.count <= 1 else {
            throw HTTPProblem(.unprocessableContent, "query parameter '\(name)' is given more than once")
        }
        return values.first
    }
}
