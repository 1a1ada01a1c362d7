/// Spellings of one concrete path that upstreams may read as that path, or as another, or refuse:
/// the families an attack review of the gateway tried, generated rather than listed. A spelling is
/// built from the canonical path's raw segments by a list of mutations, so that the unit test can
/// try every single mutation at every place and the fuzz target any sequence of them.
public enum HostileSpellings {
    public enum Mutation: CaseIterable, Sendable {
        /// `%64` for `d`, one byte of a segment, upper- or lower-case digits.
        case escapeOneByte
        /// Every byte of a segment escaped.
        case escapeEveryByte
        /// A byte escaped twice: `%2564` for `d`.
        case escapeTwice
        /// The segment in upper case, or its first letter's case flipped.
        case changeCase
        /// A servlet path parameter: `;`, `;x`, `;jsessionid=0`, `%3Bx`.
        case pathParameter
        /// A dot segment before the segment: `.`, `%2e`, `%2E`, `x/..`, `x/%2e%2E`, `.%2e`.
        case dotSegment
        /// White space or a control character before or after the segment, raw or escaped.
        case surroundingCharacter
        /// The `/` after the segment spelled `%2F`, `%2f`, `\`, `%5C` or `//` (after the last
        /// segment, that spelling appended).
        case respellSeparator
        /// The segment split in two by `%2F`, `\` or `%5C`.
        case splitSegment
        /// An empty segment before the segment, or a trailing `/`.
        case emptySegment
    }

    /// A mutation at a place: `position` picks the segment and `argument` the variant, both taken
    /// modulo what exists, so any pair of numbers is a valid step.
    public struct Step: Sendable {
        public let mutation: Mutation
        public let position: Int
        public let argument: Int

        public init(_ mutation: Mutation, position: Int, argument: Int) {
            self.mutation = mutation
            self.position = position
            self.argument = argument
        }
    }

    /// The canonical spelling of a path given by its decoded segments.
    public static func canonical(_ segments: [String]) -> String {
        "/" + segments.map(PercentEncoding.canonicalSegment).joined(separator: "/")
    }

    /// Steps stop once a spelling is this long: escaping every byte triples a segment, so a few
    /// steps would otherwise grow it past any request line (the fuzzer found 16 take minutes).
    public static let maximumLength = 4096

    /// The path spelled with `steps` applied in order to its canonical raw segments.
    public static func spelling(of segments: [String], applying steps: [Step]) -> String {
        var raw = segments.map(PercentEncoding.canonicalSegment)
        for step in steps where !raw.isEmpty {
            guard raw.reduce(0, { $0 + $1.utf8.count + 1 }) <= maximumLength else { break }
            apply(step, to: &raw)
        }
        return "/" + raw.joined(separator: "/")
    }

    /// Every single mutation at every segment of the path with decoded `segments`, each with all its
    /// variants, those that pick a byte at the segment's first, middle and last byte: the unit
    /// test's list.
    public static func singleSteps(for segments: [String]) -> [[Step]] {
        var all: [[Step]] = []
        for (position, segment) in segments.enumerated() {
            let length = PercentEncoding.canonicalSegment(segment).utf8.count
            let bytes = Set([0, length / 2, max(length - 1, 0)]).sorted()
            for mutation in Mutation.allCases {
                let arguments: [Int] = switch mutation {
                case .escapeOneByte: bytes.flatMap { [2 * $0, 2 * $0 + 1] }
                case .escapeTwice: bytes.map { 2 * $0 }
                case .splitSegment: Set([1, length / 2, max(length - 1, 1)]).sorted().flatMap { at in (0..<3).map { 3 * (at - 1) + $0 } }
                default: Array(0..<variantCount(mutation))
                }
                all += arguments.map { [Step(mutation, position: position, argument: $0)] }
            }
        }
        return all
    }

    private static let pathParameters = [";", ";x", ";jsessionid=0", "%3Bx"]
    private static let dotSegments = [["."], ["%2e"], ["%2E"], ["x", ".."], ["x", "%2e%2E"], ["x", ".%2e"]]
    /// White space and controls that some server trims, stops at or rejects: ASCII, C1, Unicode.
    private static let surroundings = ["%20", "%09", "%0A", "%00", "%7F", "%C2%A0", "%C2%85", "%C2%9B", "%E2%80%A8", " "]
    private static let separators = ["%2F", "%2f", "\\", "%5C", "%5c", "//"]

    private static func variantCount(_ mutation: Mutation) -> Int {
        switch mutation {
        case .escapeOneByte, .escapeTwice, .escapeEveryByte, .changeCase, .emptySegment: 2
        case .splitSegment: 3
        case .pathParameter: pathParameters.count
        case .dotSegment: dotSegments.count
        case .surroundingCharacter: 2 * surroundings.count
        case .respellSeparator: separators.count
        }
    }

    private static func apply(_ step: Step, to raw: inout [String]) {
        let position = abs(step.position) % raw.count
        let argument = abs(step.argument)
        let segment = Array(raw[position].utf8)
        switch step.mutation {
        case .escapeOneByte:
            guard !segment.isEmpty else { return }
            let at = (argument / 2) % segment.count
            guard segment[at] != UInt8(ascii: "%") else { return }
            raw[position] = text(segment[..<at]) + PercentEncoding.escape(segment[at], lowercase: argument % 2 == 1)
                + text(segment[(at + 1)...])
        case .escapeEveryByte:
            raw[position] = segment.map { PercentEncoding.escape($0, lowercase: argument % 2 == 1) }.joined()
        case .escapeTwice:
            guard !segment.isEmpty else { return }
            let at = (argument / 2) % segment.count
            raw[position] = text(segment[..<at]) + "%25" + PercentEncoding.escape(segment[at], lowercase: argument % 2 == 1).dropFirst()
                + text(segment[(at + 1)...])
        case .changeCase:
            raw[position] = argument % 2 == 0 ? raw[position].uppercased() : raw[position].prefix(1).uppercased() + raw[position].dropFirst()
        case .pathParameter:
            raw[position] += pathParameters[argument % pathParameters.count]
        case .dotSegment:
            raw.insert(contentsOf: dotSegments[argument % dotSegments.count], at: position)
        case .surroundingCharacter:
            let character = surroundings[(argument / 2) % surroundings.count]
            raw[position] = argument % 2 == 0 ? character + raw[position] : raw[position] + character
        case .respellSeparator:
            let separator = separators[argument % separators.count]
            raw[position] += position + 1 < raw.count ? separator + raw.remove(at: position + 1) : separator
        case .splitSegment:
            guard segment.count > 1 else { return }
            let at = 1 + (argument / 3) % (segment.count - 1)
            raw[position] = text(segment[..<at]) + ["%2F", "\\", "%5C"][argument % 3] + text(segment[at...])
        case .emptySegment:
            if argument % 2 == 0 { raw.insert("", at: position) } else { raw.append("") }
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
