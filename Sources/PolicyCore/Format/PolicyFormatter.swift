/// Canonical policy JSON (`policyc fmt`): two-space indent, one member or element a line, `[]`
/// and `{}` when empty, `": "` after keys, a final newline; the top-level members in the order
/// of the deck's data-management-api policy, then unknown members in source order. Nested
/// objects keep their order (it is the order of roles, routes, methods and actions people
/// chose), strings are re-escaped minimally, and numbers keep their literal: `1.0` is not `1`
/// to the checker.
public enum PolicyFormatter {
    /// The deck's order. `root_group` is not in the deck's file; it sits after
    /// `iam_subgroup_name`, the default it overrides; `exchanged_token_audience` after the audience
    /// the exchanged token must have; `action_parameter` just before the `actions` it chooses from.
    public static let canonicalMemberOrder = [
        "name", "type", "iam_subgroup_name", "root_group", "expected_token_issuer",
        "expected_token_audience", "exchanged_token_audience", "expected_service_token_scope", "version_number",
        "description", "roles", "routes", "exchange", "action_parameter", "actions",
    ]

    /// The canonical text of a policy file's bytes, or the one-line diagnostic of why they do not
    /// parse (the loader's: same checks, same line and column).
    public static func format(_ bytes: [UInt8], file: String) -> Result<String, Diagnostic> {
        PolicySource.read(bytes, file: file).map { JSONWriter.string(canonical($0.document), style: .pretty) + "\n" }
    }

    /// The document with its top-level members in canonical order.
    static func canonical(_ document: JSONValue) -> JSONValue {
        guard case .object(let members) = document else { return document }
        func rank(_ member: JSONMember) -> Int {
            canonicalMemberOrder.firstIndex { $0.hasSameBytes(as: member.key) } ?? canonicalMemberOrder.count
        }
        // Stable: unknown members share the last rank and keep their source order.
        let ordered = members.enumerated()
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            .map(\.element)
        return .object(ordered)
    }
}
