import PolicyCore

/// Which of a policy's templates an upstream routes a path to, by brute force: every template is
/// tried, its literals compared as the upstream compares them and its convertors tested with
/// Starlette's own patterns on the decoded segments; of those that match, the most specific wins
/// (at the first segment where two differ in rank, the higher: literal, `uuid`, `int`, `float`,
/// `str`, `path`), as policyd picks. The template order a framework uses (Starlette's first
/// declared) is `policyc lint`'s concern (N0801), not the path's reading.
struct ReferenceRouter: Sendable {
    struct Routed: Equatable, Sendable {
        let template: Int
        /// The values the upstream hands its handler, by parameter name, in template order.
        let values: [String]
    }

    let templates: [RouteTemplate]

    func route(_ segments: [String], ignoringCase: Bool) -> Routed? {
        var best: (index: Int, values: [String])?
        for (index, template) in templates.enumerated() {
            guard let values = Self.match(template, segments, ignoringCase: ignoringCase) else { continue }
            if let current = best, !Self.isMoreSpecific(template, than: templates[current.index]) { continue }
            best = (index, values)
        }
        return best.map { Routed(template: $0.index, values: $0.values) }
    }

    private static func match(_ template: RouteTemplate, _ segments: [String], ignoringCase: Bool) -> [String]? {
        var values: [String] = []
        for (position, part) in template.segments.enumerated() {
            if case .parameter(_, .path) = part {
                // Starlette's `.*` after the `/`: anything, empty or holding `/`.
                guard position < segments.count else { return nil }
                values.append(segments[position...].joined(separator: "/"))
                return values
            }
            guard position < segments.count else { return nil }
            let segment = segments[position]
            switch part {
            case .literal(let text):
                let equal = ignoringCase
                    ? text.lowercased().utf8.elementsEqual(segment.lowercased().utf8) : text.utf8.elementsEqual(segment.utf8)
                guard equal else { return nil }
            case .parameter(_, let convertor):
                guard Self.accepts(convertor, segment) else { return nil }
                values.append(segment)
            }
        }
        return segments.count == template.segments.count ? values : nil
    }

    /// Starlette's convertor patterns (`starlette/convertors.py`), anchored, on one decoded segment.
    private static func accepts(_ convertor: Convertor, _ segment: String) -> Bool {
        let bytes = Array(segment.utf8)
        func digits(_ part: ArraySlice<UInt8>) -> Bool { !part.isEmpty && part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        switch convertor {
        case .str, .path:
            return !bytes.isEmpty
        case .int:
            return digits(bytes[...])
        case .float:
            let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
            return digits(parts[0]) && (parts.count == 1 || digits(parts[1]))
        case .uuid:
            // [0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}
            var position = 0
            for (group, length) in [8, 4, 4, 4, 12].enumerated() {
                if group > 0, position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position + length <= bytes.count,
                      bytes[position..<position + length].allSatisfy({ "0123456789abcdefABCDEF".utf8.contains($0) })
                else { return false }
                position += length
            }
            return position == bytes.count
        }
    }

    private static func rank(_ segment: RouteTemplate.Segment) -> Int {
        switch segment {
        case .literal: 5
        case .parameter(_, .uuid): 4
        case .parameter(_, .int): 3
        case .parameter(_, .float): 2
        case .parameter(_, .str): 1
        case .parameter(_, .path): 0
        }
    }

    private static func isMoreSpecific(_ lhs: RouteTemplate, than rhs: RouteTemplate) -> Bool {
        for (left, right) in zip(lhs.segments, rhs.segments) where rank(left) != rank(right) {
            return rank(left) > rank(right)
        }
        return lhs.segments.count < rhs.segments.count
    }
}
