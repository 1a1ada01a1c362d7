/// One line of `policyc eval --batch` (spec 6):
/// `{"type":"route","service":"…","version":null,"route":"…","method":"GET","params":{…},"groups":[…]}`.
/// Members the engine does not know (`note`, …) are ignored; only `params` holds parameters, nested
/// members included (spec 2.6).
public struct BatchQuery: Sendable {
    /// A line that is not a query at all: unusable input, which stops the batch.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public enum Parsed: Sendable {
        case query(Query, groups: CallerGroups)
        /// A query that can be answered without the policies (no usable version).
        case answered(Decision)
    }

    public static func parse(_ line: String) throws(Invalid) -> Parsed {
        let json: JSONValue
        do {
            json = try JSONReader.parse(line)
        } catch {
            throw Invalid(message: "not JSON: \(error)")
        }
        guard case .object = json else { throw Invalid(message: "a query must be a JSON object") }
        guard case .string(let typeName)? = json["type"],
              let type = PolicyType.allCases.first(where: { $0.rawValue.hasSameBytes(as: typeName) })
        else { throw Invalid(message: "'type' must be \"route\", \"exchange\" or \"plugin\"") }
        guard case .string(let service)? = json["service"] else {
            throw Invalid(message: "'service' must be a string")
        }
        let parameters: Parameters
        switch json["params"] {
        case nil, .null?: parameters = Parameters()
        case .object(let members)?:
            do {
                parameters = try Parameters(jsonObject: members)
            } catch {
                throw Invalid(message: "'params': \(error)")
            }
        default: throw Invalid(message: "'params' must be an object")
        }
        var groups: [String] = []
        switch json["groups"] {
        case nil, .null?: break
        case .array(let values)?:
            for value in values {
                guard case .string(let group) = value else { throw Invalid(message: "'groups' must be an array of strings") }
                groups.append(group)
            }
        default: throw Invalid(message: "'groups' must be an array of strings")
        }
        guard let version = VersionSelector(json: json["version"]) else {
            return .answered(.denied(.unusableVersion(json["version"].map { JSONWriter.string($0) } ?? "")))
        }
        let query = try Query(type: type, service: service, version: version, parameters: parameters) { () throws(Invalid) in
            guard case .string(let route)? = json["route"] else { throw Invalid(message: "a route query needs 'route', a string") }
            switch json["method"] {
            case nil, .null?: return (route, nil)
            case .string(let method)?: return (route, method)
            default: throw Invalid(message: "'method' must be a string")
            }
        }
        return .query(query, groups: CallerGroups(groups))
    }
}
