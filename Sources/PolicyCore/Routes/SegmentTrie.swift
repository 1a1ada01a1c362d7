/// Templates stored as a trie of segments, flattened into an array of nodes addressed by index.
/// Literal segments are interned once, so a path segment is looked up by hash with no
/// allocation. A search tries a node's children in rank order (the literal child, then the
/// parameter children from the narrowest convertor to `str`, and last a `{name:path}` that takes
/// the rest), so the first template found is the one whose first differing segment ranks highest:
/// exactly the order `RouteTemplate.isMoreSpecific` gives, which the PCRE2 matcher follows too.
struct SegmentTrie: RouteMatcher {
    private struct Node: Sendable {
        /// Interned literal → child node.
        var literalChildren: [Int: Int] = [:]
        /// One child per convertor that takes one segment, in rank order (highest first).
        var parameterChildren: [(convertor: Convertor, node: Int)] = []
        /// The template ending here with `{name:path}`, which takes one or more segments.
        var restRoute: Int?
        var route: Int?
    }

    private var nodes: [Node] = [Node()]
    private let literals: ByteStringSet

    init(templates: [RouteTemplate]) {
        var literalTexts: [[UInt8]] = []
        for template in templates {
            for case .literal(let text) in template.segments { literalTexts.append(Array(text.utf8)) }
        }
        literals = ByteStringSet(literalTexts)
        for (routeIndex, template) in templates.enumerated() {
            var node = 0
            for segment in template.segments {
                switch segment {
                case .literal(let text):
                    let literal = literals.index(of: Array(text.utf8))!
                    if let child = nodes[node].literalChildren[literal] {
                        node = child
                    } else {
                        nodes.append(Node())
                        nodes[node].literalChildren[literal] = nodes.count - 1
                        node = nodes.count - 1
                    }
                case .parameter(_, .path):
                    // Only ever the last segment (checked at load); templates of one shape were refused.
                    nodes[node].restRoute = routeIndex
                case .parameter(_, let convertor):
                    if let child = nodes[node].parameterChildren.first(where: { $0.convertor == convertor }) {
                        node = child.node
                    } else {
                        nodes.append(Node())
                        nodes[node].parameterChildren.append((convertor, nodes.count - 1))
                        nodes[node].parameterChildren.sort { $0.convertor.rank > $1.convertor.rank }
                        node = nodes.count - 1
                    }
                }
            }
            if !template.endsWithPath { nodes[node].route = routeIndex }
        }
    }

    func match(_ path: ConcretePath) -> Int? {
        search(node: 0, segment: 0, in: path)
    }

    private func search(node: Int, segment: Int, in path: ConcretePath) -> Int? {
        if segment == path.segments.count { return nodes[node].route }
        let matched = path.matchedSegment(segment)
        if let literal = literals.index(of: matched),
           let child = nodes[node].literalChildren[literal],
           let route = search(node: child, segment: segment + 1, in: path) {
            return route
        }
        for child in nodes[node].parameterChildren where child.convertor.accepts(matched) {
            if let route = search(node: child.node, segment: segment + 1, in: path) { return route }
        }
        // What is left is one segment or more (segment < count), all of it the `{name:path}`'s.
        return nodes[node].restRoute
    }
}
