extension PolicyDiff {
    /// A route template added or removed beside one that shares concrete paths with it moves those
    /// paths from one rule to the other (spec 2.3: a path goes to the template whose first differing
    /// segment is literal): with `/a/b` removed beside `/a/{x}`, `GET /a/b` is decided by
    /// `/a/{x}`'s rule. For each such pair and each method of either, the rule that decided the
    /// shared paths is compared with the one that decides them now; a method the template lacks
    /// denies. Comparing each rule alone missed it: removing `/a/b` looked like narrowing only.
    ///
    /// The pairs are found as the engine ranks templates (`TemplateOverlap`); a template ending in
    /// `{name:path}`, whose overlaps depend on a path's length, is taken to share paths with every
    /// template its first segments allow, which may list a move that no path makes, never miss one.
    static func movedPaths(old: Policy?, new: Policy?, limit: Int) -> [RuleDiff] {
        guard let old, let new, case .routes(let before) = old.rules, case .routes(let after) = new.rules else { return [] }
        func has(_ table: RouteTable, _ template: RouteTemplate) -> Bool {
            table.routes.contains { $0.template.text.hasSameBytes(as: template.text) }
        }
        var moves: [(from: RouteTable.Route, to: RouteTable.Route)] = []
        for removed in before.routes where !has(after, removed.template) {
            for survivor in after.routes where mayWin(removed.template, over: survivor.template) {
                moves.append((removed, survivor))
            }
        }
        for added in after.routes where !has(before, added.template) {
            for existing in before.routes where mayWin(added.template, over: existing.template) {
                moves.append((existing, added))
            }
        }
        return moves.flatMap { move in
            var methods: [String] = []
            for method in move.from.methods.map(\.name) + move.to.methods.map(\.name)
            where !methods.contains(where: { $0.hasSameBytes(as: method) }) {
                methods.append(method)
            }
            return methods.compactMap { method in
                RuleDiff.compare(
                    .movedPaths(method: method, before: move.from.template.text, after: move.to.template.text),
                    old: side(of: move.from, method: method, in: old), new: side(of: move.to, method: method, in: new),
                    limit: limit)
            }
        }
    }

    private static func side(of route: RouteTable.Route, method: String, in policy: Policy) -> RuleSide? {
        route.methods.first { $0.name.hasSameBytes(as: method) }.map {
            RuleSide(policy: policy, expression: $0.expression, source: $0.source)
        }
    }

    /// Whether some concrete path matches both templates and goes to `template`.
    static func mayWin(_ template: RouteTemplate, over other: RouteTemplate) -> Bool {
        if template.endsWithPath || other.endsWithPath { return prefixesAgree(template, other) }
        guard let overlap = TemplateOverlap(template, other) else { return false }
        return overlap.winner.text.hasSameBytes(as: template.text)
    }

    /// No literal segment of one refused by the other before either's `{name:path}`.
    private static func prefixesAgree(_ first: RouteTemplate, _ second: RouteTemplate) -> Bool {
        for (left, right) in zip(first.segments, second.segments) {
            switch (left, right) {
            case (.parameter(_, .path), _), (_, .parameter(_, .path)):
                return true
            case (.literal(let a), .literal(let b)):
                guard a.hasSameBytes(as: b) else { return false }
            case (.literal(let a), .parameter(_, let convertor)):
                guard convertor.accepts(Array(a.utf8)[...]) else { return false }
            case (.parameter(_, let convertor), .literal(let b)):
                guard convertor.accepts(Array(b.utf8)[...]) else { return false }
            case (.parameter, .parameter):
                continue
            }
        }
        // Only one of them ends in `{name:path}`, after the other has ended: a path convertor needs one segment or more.
        return first.segments.count == second.segments.count
    }
}
