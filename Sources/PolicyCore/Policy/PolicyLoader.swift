import Foundation

/// Loads a policy set from files and directories: every `*.json` file (case-sensitive ending)
/// found recursively, hidden files and folders skipped, each file one policy. Either every file
/// parses and checks and the set is returned, or the load fails with every finding; nothing
/// partial is ever returned.
public struct PolicyLoader: Sendable {
    public var matcherKind: RouteMatcherKind

    public init(matcherKind: RouteMatcherKind = .trie) {
        self.matcherKind = matcherKind
    }

    public func load(directory: String) throws(PolicyLoadError) -> PolicySet {
        try load(paths: [directory])
    }

    /// Directories are searched; files named directly are taken whatever their ending.
    public func load(paths: [String]) throws(PolicyLoadError) -> PolicySet {
        var (files, diagnostics) = Self.policyFiles(for: paths)
        var policies: [Policy] = []
        for file in files {
            switch loadPolicy(file: file) {
            case .success(let policy): policies.append(policy)
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        diagnostics += Self.duplicateIdentities(policies)
        guard diagnostics.isEmpty else { throw PolicyLoadError(diagnostics) }
        return PolicySet(policies)
    }

    /// The policy files named by `paths`: directories are searched, files named directly are
    /// taken whatever their ending.
    static func policyFiles(for paths: [String]) -> (files: [String], missing: [Diagnostic]) {
        SourceFiles.expand(paths)
    }

    func loadPolicy(file: String) -> Result<Policy, PolicyLoadError> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(PolicyLoadError([Diagnostic(.unreadableFile, file: file, at: nil, "cannot read the file")]))
        }
        return loadPolicy(bytes: [UInt8](data), file: file)
    }

    /// Parses (jansson), checks and compiles one policy file's bytes.
    public func loadPolicy(bytes: [UInt8], file: String) -> Result<Policy, PolicyLoadError> {
        let document: JSONValue
        do {
            document = try JanssonParser.parse(bytes)
        } catch {
            return .failure(PolicyLoadError([
                Diagnostic(.jsonSyntax, file: file, at: error.location, "invalid JSON: \(error.message)")
            ]))
        }
        var checker = PolicyChecker(
            file: file, document: document, sourceMap: SourceMap(bytes), matcherKind: matcherKind)
        guard let policy = checker.check() else { return .failure(PolicyLoadError(checker.diagnostics)) }
        return .success(policy)
    }

    /// Sorted, so that "reported at the second" means the same on every machine.
    static func policyFiles(in directory: String, visited: inout Set<String>) -> [String] {
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard visited.insert(resolved).inserted,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        var files: [String] = []
        for entry in entries.sorted(by: { ByteString($0) < ByteString($1) }) where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files += policyFiles(in: path, visited: &visited)
            } else if entry.utf8.count > 5, entry.utf8.suffix(5).elementsEqual(".json".utf8) {
                files.append(path)
            }
        }
        return files
    }

    static func duplicateIdentities(_ policies: [Policy]) -> [Diagnostic] {
        var first: [PolicyIdentity: Policy] = [:]
        var diagnostics: [Diagnostic] = []
        for policy in policies {
            guard let earlier = first[policy.identity] else {
                first[policy.identity] = policy
                continue
            }
            diagnostics.append(Diagnostic(
                .duplicatePolicyIdentity, file: policy.source,
                at: SourceMap(Array((FileManager.default.contents(atPath: policy.source) ?? Data()))).location(
                    of: JSONPath.root.appending("version_number")),
                "\(policy.identity) is also defined in \(earlier.source)",
                hint: "raise version_number, or remove one of the files"))
        }
        return diagnostics
    }
}
