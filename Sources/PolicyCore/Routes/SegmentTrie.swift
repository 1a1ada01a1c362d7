/// Templates stored as a trie of segments, flattened into an array of nodes addressed by index.
/// Literal segments are interned once, so a path segment is looked up by hash with no
/// allocation; a search tries the literal child before the parameter child at every level,
/// which is exactly "the first differing segment that is literal wins".
struct SegmentTrie: RouteMatcher {
    private struct Node: Sendable {
        /// Interned literal → child node.
        var literalChildren: [Int: Int] = [:]
        var parameterChild: Int?
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
                case .parameter:
                    if let child = nodes[node].parameterChild {
                        node = child
                    } else {
                        nodes.append(Node())
                        nodes[node].parameterChild = nodes.count - 1
                        node = nodes.count - 1
                    }
                }
            }
            // Templates of the same shape were refused at load, so a terminal is never taken twice.
            nodes[node].route = routeIndex
        }
    }

    func match(_ path: ConcretePath) -> Int? {
        search(node: 0, segment: 0, in: path)
    }

    private func search(node: Int, segment: Int, in path: ConcretePath) -> Int? {
        if segment == path.segments.count { return nodes[node].route }
        if let literal = literals.index(of: path.rawSegment(segment)),
           let child = nodes[node].literalChildren[literal],
           let route = search(node: child, segment: segment + 1, in: path) {
            return route
        }
        if let child = nodes[node].parameterChild {
            return search(node: child, segment: segment + 1, in: path)
        }
        return nil
    }
}
