/// The duplicate-member rule, the one place it is written: an object a client sends (a request
/// body, a token's header or payload, an issuer's answer) may not name a member twice, for two
/// values of one name let two readers of the same bytes see two different requests or tokens.
/// Names compare by their bytes, escapes decoded (`"a\u0075d"` is `"aud"`). Policy files are held
/// to it too (`PolicySource`), as jansson holds them.
public enum RepeatedNames {
    /// Each of `count` positions whose name an earlier position has, with the first such position.
    /// Pairwise for a few names, without allocating (the common request has one to three), through
    /// a dictionary beyond, so that many names are never a quadratic scan.
    public static func pairs(count: Int, name: (Int) -> String) -> [(first: Int, later: Int)] {
        var pairs: [(first: Int, later: Int)] = []
        if count <= 16 {
            for later in 0..<count {
                let text = name(later)
                if let first = (0..<later).first(where: { name($0).hasSameBytes(as: text) }) { pairs.append((first, later)) }
            }
            return pairs
        }
        var firsts: [ByteString: Int] = [:]
        firsts.reserveCapacity(count)
        for position in 0..<count {
            let key = ByteString(name(position))
            if let first = firsts[key] { pairs.append((first, position)) } else { firsts[key] = position }
        }
        return pairs
    }

    /// The first of `count` positions whose name an earlier position has, if any.
    public static func firstRepeat(count: Int, name: (Int) -> String) -> Int? {
        pairs(count: count, name: name).first?.later
    }

    /// The name of the first member that repeats an earlier one's, if any.
    public static func first(in members: [JSONMember]) -> String? {
        firstRepeat(count: members.count) { members[$0].key }.map { members[$0].key }
    }
}

extension JSONReader {
    /// Why bytes are not one JSON object whose members each have their own name.
    public enum ObjectProblem: Error, Sendable {
        case syntax(SyntaxError)
        /// The text is JSON, but not an object: `kindName` of what it is.
        case notAnObject(String)
        case repeatedName(String)
    }

    /// The members of a JSON object, in order, held to the duplicate-member rule.
    public static func parseObject(_ bytes: [UInt8]) throws(ObjectProblem) -> [JSONMember] {
        let value: JSONValue
        do {
            value = try parse(bytes)
        } catch {
            throw .syntax(error)
        }
        guard case .object(let members) = value else { throw .notAnObject(value.kindName) }
        if let name = RepeatedNames.first(in: members) { throw .repeatedName(name) }
        return members
    }

    /// `parseObject`'s members keyed by name, for the readers that look claims up by name (tokens,
    /// issuer answers). A `String` key is one for canonically equivalent spellings (`é` written
    /// precomposed and decomposed): two such members would silently become one entry, so they are
    /// refused as a repeated name too.
    public static func parseDictionary(_ bytes: [UInt8]) throws(ObjectProblem) -> [String: JSONValue] {
        let members = try parseObject(bytes)
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(members.count)
        for member in members where object.updateValue(member.value, forKey: member.key) != nil {
            throw .repeatedName(member.key)
        }
        return object
    }
}
