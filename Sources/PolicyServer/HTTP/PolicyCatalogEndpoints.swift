import Hummingbird
import PolicyCore

/// `GET /v1/policies…`: what is loaded, and each policy document as it was loaded.
struct PolicyCatalogEndpoints: Sendable {
    let policies: PolicyStore

    static let noSuchType = HTTPProblem(.notFound, "no such policy type")

    /// Every (type, service): `[{"type","name","versions","latest"}]`.
    func all() -> Response {
        .json(.array(policies.policies.entries.map(Self.json)))
    }

    /// The types that have at least one policy.
    func types() -> Response {
        .json(.array(policies.policies.types.map { .string($0.rawValue) }))
    }

    /// The entries of one type; a known type without policies gives `[]`.
    func entries(context: some RequestContext) throws(HTTPProblem) -> Response {
        let type = try Self.type(in: context)
        return .json(.array(policies.policies.entries.filter { $0.type == type }.map(Self.json)))
    }

    func entry(context: some RequestContext) throws(HTTPProblem) -> Response {
        let type = try Self.type(in: context)
        let service = try PathParameter.decoded("service", in: context, orElse: .noSuchPolicy)
        guard let entry = policies.policies.entries.first(where: { $0.type == type && $0.name.utf8.elementsEqual(service.utf8) })
        else {
            throw HTTPProblem.noSuchPolicy
        }
        return .json(Self.json(entry))
    }

    func document(context: some RequestContext) throws(HTTPProblem) -> Response {
        let type = try Self.type(in: context)
        let service = try PathParameter.decoded("service", in: context, orElse: .noSuchPolicy)
        let text = try PathParameter.decoded("version", in: context, orElse: .noSuchPolicy)
        guard let version = VersionSelector(queryValue: text) else {
            throw HTTPProblem(.unprocessableContent, DecisionReason.unusableVersion("'\(text.prefix(64))'").description)
        }
        guard let policy = policies.policies.policy(type: type, service: service, version: version) else {
            throw HTTPProblem.noSuchPolicy
        }
        return .json(policy.document)
    }

    private static func type(in context: some RequestContext) throws(HTTPProblem) -> PolicyType {
        let name = try PathParameter.decoded("type", in: context, orElse: noSuchType)
        guard let type = PolicyType.allCases.first(where: { $0.rawValue.utf8.elementsEqual(name.utf8) }) else {
            throw noSuchType
        }
        return type
    }

    static func json(_ entry: PolicySet.Entry) -> JSONValue {
        .object([
            JSONMember("type", .string(entry.type.rawValue)),
            JSONMember("name", .string(entry.name)),
            JSONMember("versions", .array(entry.versions.map { .number(JSONNumber(Int64($0))) })),
            JSONMember("latest", .number(JSONNumber(Int64(entry.latest)))),
        ])
    }
}
