import Foundation

/// A file of policy unit tests (documented in docs/policyc.md):
///
///     {"policies": "../policies",
///      "tests": [{"name": "…", "query": {…a batch query…}, "expect": "allow", "reason": "…"}]}
///
/// The format is strict, so that a typo cannot silently drop a check: unknown or repeated
/// members, a missing or empty field, or a query that is not a query make the whole file
/// unusable, and none of its tests runs.
public struct PolicyTestFile: Sendable {
    public let path: String
    /// The policy directory (or file) named by the file, resolved against the file's folder.
    public let policies: String?
    public let tests: [PolicyTest]

    public static func load(path: String) throws(PolicyTestFileError) -> PolicyTestFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyTestFileError([TestFileProblem(file: path, at: nil, "cannot read the test file")])
        }
        return try parse(bytes: [UInt8](data), path: path)
    }

    public static func parse(bytes: [UInt8], path: String) throws(PolicyTestFileError) -> PolicyTestFile {
        let document: JSONValue
        let spans: [String: JSONReader.ValueSpan]
        do {
            (document, spans) = try JSONReader.parseWithSpans(bytes)
        } catch {
            throw PolicyTestFileError([TestFileProblem(
                file: path, at: LineTable(bytes).location(ofOffset: error.offset), "invalid JSON: \(error.message)")])
        }
        var parser = TestFileParser(path: path, sourceMap: SourceMap(bytes: bytes, spans: spans))
        let file = parser.file(document)
        guard parser.problems.isEmpty, let file else {
            // In source order, whatever order the checks ran in.
            let problems = parser.problems.enumerated().sorted { left, right in
                let l = left.element.location ?? SourceLocation(line: 0, column: 0)
                let r = right.element.location ?? SourceLocation(line: 0, column: 0)
                return (l, left.offset) < (r, right.offset)
            }
            throw PolicyTestFileError(problems.map(\.element))
        }
        return file
    }
}

public struct PolicyTestFileError: Error, Sendable {
    public let problems: [TestFileProblem]

    public init(_ problems: [TestFileProblem]) {
        self.problems = problems
    }
}

/// Reads a parsed test file, collecting every problem with where it is.
private struct TestFileParser {
    let path: String
    let sourceMap: SourceMap
    var problems: [TestFileProblem] = []

    mutating func report(_ path: JSONPath, _ message: String, atKey: Bool = false) {
        let location = atKey ? sourceMap.keyLocation(of: path) : sourceMap.location(of: path)
        problems.append(TestFileProblem(file: self.path, at: location, message))
    }

    /// Whether a value is an object; a problem for each of its members that is unknown or
    /// given twice.
    mutating func isObject(_ value: JSONValue, at path: JSONPath, of what: String, known: [String]) -> Bool {
        guard case .object(let members) = value else {
            report(path, "\(what) must be a JSON object, found \(value.kindName)")
            return false
        }
        var seen: [String] = []
        for member in members {
            if !known.contains(where: { $0.hasSameBytes(as: member.key) }) {
                report(path.appending(member.key), "\(what): unknown member '\(member.key)'; known: \(known.joined(separator: ", "))", atKey: true)
            } else if seen.contains(where: { $0.hasSameBytes(as: member.key) }) {
                report(path.appending(member.key), "\(what): '\(member.key)' is given twice", atKey: true)
            }
            seen.append(member.key)
        }
        return true
    }

    mutating func file(_ document: JSONValue) -> PolicyTestFile? {
        guard isObject(document, at: .root, of: "test file", known: ["policies", "tests"]) else { return nil }
        var policies: String?
        if let value = document["policies"] {
            if case .string(let text) = value, !text.utf8.isEmpty {
                policies = Self.resolve(text, againstFolderOf: path)
            } else {
                report(JSONPath.root.appending("policies"), "test file: 'policies' must be a non-empty string: a directory (or file) relative to the test file")
            }
        }
        let testsPath = JSONPath.root.appending("tests")
        guard case .array(let values)? = document["tests"], !values.isEmpty else {
            report(document["tests"] == nil ? .root : testsPath, "test file: 'tests' must be a non-empty array of tests")
            return nil
        }
        var tests: [PolicyTest] = []
        for (index, value) in values.enumerated() {
            guard let test = test(value, at: testsPath.appending(index), number: index + 1) else { continue }
            if tests.contains(where: { $0.name.hasSameBytes(as: test.name) }) {
                report(testsPath.appending(index).appending("name"), "test \(index + 1): another test is named '\(test.name)'")
            }
            tests.append(test)
        }
        return PolicyTestFile(path: path, policies: policies, tests: tests)
    }

    mutating func test(_ value: JSONValue, at path: JSONPath, number: Int) -> PolicyTest? {
        let what = "test \(number)"
        guard isObject(value, at: path, of: what, known: ["name", "query", "expect", "reason"]) else { return nil }
        var valid = true
        var name = ""
        if case .string(let text)? = value["name"], !text.utf8.isEmpty {
            name = text
        } else {
            report(value["name"] == nil ? path : path.appending("name"), "\(what): 'name' must be a non-empty string")
            valid = false
        }
        var allows = false
        switch value["expect"] {
        case .string(let text)? where text.hasSameBytes(as: "allow"): allows = true
        case .string(let text)? where text.hasSameBytes(as: "deny"): allows = false
        default:
            report(value["expect"] == nil ? path : path.appending("expect"), "\(what): 'expect' must be \"allow\" or \"deny\"")
            valid = false
        }
        var reason: String?
        if let given = value["reason"] {
            if case .string(let text) = given { reason = text } else {
                report(path.appending("reason"), "\(what): 'reason' must be a string: the exact reason of the decision")
                valid = false
            }
        }
        var query: BatchQuery.Parsed?
        if let given = value["query"] {
            // A batch line ignores members it does not know (spec section 6); a test must not, or a
            // typo (`parms`) would drop what it names and the test check something else.
            let problemsBefore = problems.count
            _ = isObject(
                given, at: path.appending("query"), of: "\(what) query",
                known: ["type", "service", "version", "route", "method", "params", "groups"])
            if problems.count > problemsBefore { valid = false }
            do {
                query = try BatchQuery.parse(JSONWriter.string(given))
            } catch {
                report(path.appending("query"), "\(what): 'query' is not a batch query: \(error.message)")
            }
        } else {
            report(path, "\(what): 'query' is missing: a batch query object (spec section 6)")
        }
        guard valid, let query else { return nil }
        return PolicyTest(name: name, query: query, expectation: .init(allows: allows, reason: reason))
    }

    /// Relative to the test file's folder; absolute paths stay as they are. Not normalised: `..`
    /// after a symbolic link must mean what the file system means by it.
    static func resolve(_ relative: String, againstFolderOf file: String) -> String {
        guard !relative.hasPrefix("/") else { return relative }
        guard let slash = file.lastIndex(of: "/") else { return relative }
        return String(file[...slash]) + relative
    }
}
