import PolicyCore

/// What the candidate set of `--shadow-policies` would have decided otherwise, summed up from audit
/// records (`policyc shadow-report`): the decisions whose record carries a `shadow` member, grouped
/// by service, rule and role, each group with its counts, its first and last time and one example.
/// Counts, not records: memory grows with the groups, never with the log.
public struct ShadowReport: Sendable {
    /// What a group is: the service, the rule (`GET /data/list/{namespace}` for a route decision,
    /// by the template that decided, the live one's or else the candidate's; the type otherwise),
    /// and the role through which the answer that allows lets the caller in (`allowing_role`).
    /// Compared and ordered by bytes, as policyd compares the names they come from.
    public struct Key: Hashable, Sendable, Comparable {
        public let service: ByteString
        public let rule: ByteString
        /// Nil when neither answer allows, or one allows through `not` alone.
        public let role: ByteString?

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.service, lhs.rule, lhs.role ?? ByteString("")) < (rhs.service, rhs.rule, rhs.role ?? ByteString(""))
        }
    }

    public struct Answer: Sendable, Equatable {
        public let isAuthorised: Bool
        public let reason: String

        public init(isAuthorised: Bool, reason: String) {
            self.isAuthorised = isAuthorised
            self.reason = reason
        }
    }

    /// One decision of the group: the earliest.
    public struct Example: Sendable {
        public let time: String
        /// `authorise` or `gateway`.
        public let endpoint: String
        public let requestID: String?
        public let subject: String?
        /// As asked (route decisions).
        public let route: String?
        public let live: Answer
        public let shadow: Answer
        public let candidateRevision: String
    }

    public struct Group: Sendable {
        public let key: Key
        public internal(set) var wouldAllow = 0
        public internal(set) var wouldDeny = 0
        /// The records' times (ISO 8601, UTC, fixed width: ordered as text).
        public internal(set) var first: String
        public internal(set) var last: String
        public internal(set) var example: Example

        public var differences: Int { wouldAllow + wouldDeny }
    }

    /// Why a line is not taken.
    public struct LineFailure: Error, Sendable {
        public let code: AuditLineProblem.Code
        public let message: String
    }

    /// Groups kept, at most; the differences of any further group are counted in `beyondGroups`. A
    /// log's groups are bounded by its policies (services, templates, roles) but for the method of a
    /// route decision, which is the caller's.
    public static let maximumGroups = 10_000
    /// Candidate revisions kept, at most (each reload of the candidate that changes it adds one).
    public static let maximumRevisions = 100

    /// Audit records read: decisions and GMS searches.
    public private(set) var records = 0
    /// Decision records read (`authorise` and `gateway`).
    public private(set) var decisions = 0
    public private(set) var wouldAllow = 0
    public private(set) var wouldDeny = 0
    /// Differences whose group could not be kept (`maximumGroups`).
    public private(set) var beyondGroups = 0
    /// Each candidate revision the differences name, with how many name it.
    public private(set) var candidateRevisions: [String: Int] = [:]
    private var groupsByKey: [Key: Group] = [:]

    public init() {}

    public var differences: Int { wouldAllow + wouldDeny }

    /// The groups, most differences first, then by service, rule and role.
    public var groups: [Group] {
        groupsByKey.values.sorted { ($1.differences, $0.key) < ($0.differences, $1.key) }
    }

    /// Takes one line of an audit log.
    public mutating func add(_ line: [UInt8]) throws(LineFailure) {
        let record: JSONValue
        do {
            record = try JSONReader.parse(line)
        } catch {
            throw LineFailure(code: .notJSON, message: "not JSON: \(error.description)")
        }
        guard case .object = record else {
            throw LineFailure(code: .notARecord, message: "not an audit record: \(record.kindName), not an object")
        }
        let endpoint = try Self.string("endpoint", of: record)
        guard endpoint.hasSameBytes(as: "authorise") || endpoint.hasSameBytes(as: "gateway") else {
            records += 1
            return
        }
        let time = try Self.string("time", of: record)
        let service = try Self.string("service", of: record)
        let type = try Self.string("type", of: record)
        let live = Answer(isAuthorised: try Self.bool("is_authorised", of: record), reason: try Self.string("reason", of: record))
        guard let shadow = record["shadow"], shadow != .null else {
            records += 1
            decisions += 1
            return
        }
        let candidate = Answer(
            isAuthorised: try Self.bool("is_authorised", of: shadow, in: "shadow"),
            reason: try Self.string("reason", of: shadow, in: "shadow"))
        let revision = try Self.string("policy_revision", of: shadow, in: "shadow")
        let rule: String
        if type.hasSameBytes(as: "route") {
            // The live template, or, when none decided live (a 404, no matching route), the candidate's.
            let live = try Self.optionalString("route_template", of: record)
            let candidate = try Self.optionalString("route_template", of: shadow, in: "shadow")
            let method = try Self.optionalString("method", of: record)
            rule = (method ?? "GET") + " " + (live ?? candidate ?? "(no matching route)")
        } else {
            rule = type
        }
        let role = try Self.optionalString("allowing_role", of: shadow, in: "shadow")
        let key = Key(service: ByteString(service), rule: ByteString(rule), role: role.map(ByteString.init))
        let example = Example(
            time: time, endpoint: endpoint, requestID: try Self.optionalString("request_id", of: record),
            subject: try Self.optionalString("sub", of: record), route: try Self.optionalString("route", of: record),
            live: live, shadow: candidate, candidateRevision: revision)
        records += 1
        decisions += 1
        count(candidate.isAuthorised, in: key, example: example)
        if candidateRevisions[revision] != nil || candidateRevisions.count < Self.maximumRevisions {
            candidateRevisions[revision, default: 0] += 1
        }
    }

    private mutating func count(_ wouldAllow: Bool, in key: Key, example: Example) {
        if wouldAllow { self.wouldAllow += 1 } else { wouldDeny += 1 }
        guard groupsByKey[key] != nil || groupsByKey.count < Self.maximumGroups else {
            beyondGroups += 1
            return
        }
        let time = example.time
        groupsByKey[key, default: Group(key: key, first: time, last: time, example: example)].add(wouldAllow, example)
    }

    // MARK: Reading a record's members

    private static func member(_ name: String, of object: JSONValue, in parent: String?) throws(LineFailure) -> JSONValue {
        guard let value = object[name] else {
            throw LineFailure(code: .notARecord, message: "not an audit record: no '\(path(name, parent))'")
        }
        return value
    }

    private static func string(_ name: String, of object: JSONValue, in parent: String? = nil) throws(LineFailure) -> String {
        guard case .string(let text) = try member(name, of: object, in: parent) else {
            throw wrongType(name, of: object, in: parent, expected: "a string")
        }
        return text
    }

    private static func bool(_ name: String, of object: JSONValue, in parent: String? = nil) throws(LineFailure) -> Bool {
        guard case .bool(let value) = try member(name, of: object, in: parent) else {
            throw wrongType(name, of: object, in: parent, expected: "a boolean")
        }
        return value
    }

    /// Nil when absent or null.
    private static func optionalString(_ name: String, of object: JSONValue, in parent: String? = nil) throws(LineFailure)
        -> String?
    {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw wrongType(name, of: object, in: parent, expected: "a string or null")
        }
    }

    private static func wrongType(_ name: String, of object: JSONValue, in parent: String?, expected: String) -> LineFailure {
        LineFailure(
            code: .notARecord,
            message: "not an audit record: '\(path(name, parent))' is \(object[name]?.kindName ?? "missing"), not \(expected)")
    }

    private static func path(_ name: String, _ parent: String?) -> String {
        parent.map { "\($0).\(name)" } ?? name
    }
}

extension ShadowReport.Group {
    mutating func add(_ wouldAllow: Bool, _ example: ShadowReport.Example) {
        if wouldAllow { self.wouldAllow += 1 } else { wouldDeny += 1 }
        if example.time.utf8.lexicographicallyPrecedes(first.utf8) {
            first = example.time
            self.example = example
        }
        if last.utf8.lexicographicallyPrecedes(example.time.utf8) { last = example.time }
    }
}
