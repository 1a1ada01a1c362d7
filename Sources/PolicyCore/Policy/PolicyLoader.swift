import Foundation

/// Loads a policy set from files and directories: every `*.json` file (case-sensitive ending)
/// found recursively, hidden files and folders skipped, each file one policy. Either every file
/// parses and checks and the set is returned, or the load fails with every finding; nothing
/// partial is ever returned.
public struct PolicyLoader: Sendable {
    public var matcherKind: RouteMatcherKind
    /// Where the files are read: a test hands in one that fails as a full descriptor table would.
    public var fileManager: FileManager

    public init(matcherKind: RouteMatcherKind = .trie, fileManager: FileManager = .default) {
        self.matcherKind = matcherKind
        self.fileManager = fileManager
    }

    public func load(directory: String) throws(PolicyLoadError) -> PolicySet {
        try load(paths: [directory])
    }

    /// A policy directory as policyd serves it, at start and on reload (and as `policyc revision`
    /// reads it): a set with no policy at all is refused unless `allowsEmpty`
    /// (`--allow-empty-policies`). A reload never succeeds into nothing: a directory emptied by
    /// mistake, or one that reads as empty, would otherwise answer every call "no such policy".
    public func load(directory: String, allowsEmpty: Bool) throws(PolicyLoadError) -> PolicySet {
        let policies = try load(directory: directory)
        guard allowsEmpty || !policies.policies.isEmpty else {
            throw PolicyLoadError([Diagnostic(
                .noPolicies, file: directory, at: nil, "the policy directory holds no policy",
                hint: "add policy files (*.json), or start policyd with --allow-empty-policies")])
        }
        return policies
    }

    /// Directories are searched; files named directly are taken whatever their ending.
    public func load(paths: [String]) throws(PolicyLoadError) -> PolicySet {
        var (files, diagnostics) = SourceFiles.expand(paths, fileManager: fileManager)
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
        guard let data = fileManager.contents(atPath: file) else {
            return .failure(PolicyLoadError([Diagnostic(.unreadableFile, file: file, at: nil, "cannot read the file")]))
        }
        return loadPolicy(bytes: [UInt8](data), file: file)
    }

    /// Reads (once), checks and compiles one policy file's bytes.
    public func loadPolicy(bytes: [UInt8], file: String) -> Result<Policy, PolicyLoadError> {
        loadPolicyAndSource(bytes: bytes, file: file).map(\.policy)
    }

    /// `loadPolicy`, with the reading it checked, for lint's checks of the same file.
    func loadPolicyAndSource(bytes: [UInt8], file: String) -> Result<(policy: Policy, source: PolicySource), PolicyLoadError> {
        let source: PolicySource
        switch PolicySource.read(bytes, file: file) {
        case .success(let read): source = read
        case .failure(let diagnostic): return .failure(PolicyLoadError([diagnostic]))
        }
        var checker = PolicyChecker(file: file, source: source, matcherKind: matcherKind)
        guard let policy = checker.check() else { return .failure(PolicyLoadError(checker.diagnostics)) }
        return .success((policy, source))
    }

    /// Sorted, so that "reported at the second" means the same on every machine. Whatever cannot be
    /// listed or followed is a finding, never skipped: a tree read in part would load fewer policies,
    /// and a missing stricter version lets a laxer one decide.
    static func policyFiles(in directory: String, visited: inout Set<String>, fileManager: FileManager = .default)
        -> (files: [String], problems: [Diagnostic])
    {
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        // A directory reached twice (through a link) holds the same files: once is all of them.
        guard visited.insert(resolved).inserted else { return ([], []) }
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            return ([], [Diagnostic(
                .unreadableDirectory, file: directory, at: nil, "cannot list the directory (\(Self.reason(error)))",
                hint: "every folder of a policy tree must be readable; nothing is loaded until it is")])
        }
        var files: [String] = []
        var problems: [Diagnostic] = []
        for entry in entries.sorted(by: { ByteString($0) < ByteString($1) }) where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                // Listed but not there: a symbolic link whose target is gone (or a file removed meanwhile).
                problems.append(Diagnostic(
                    .danglingLink, file: path, at: nil, "the entry points at nothing (a symbolic link whose target is gone?)",
                    hint: "restore its target or remove the link; nothing is loaded until then"))
                continue
            }
            if isDirectory.boolValue {
                let nested = policyFiles(in: path, visited: &visited, fileManager: fileManager)
                files += nested.files
                problems += nested.problems
            } else if entry.utf8.count > 5, entry.utf8.suffix(5).elementsEqual(".json".utf8) {
                files.append(path)
            }
        }
        return (files, problems)
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
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
                .duplicatePolicyIdentity, file: policy.source, at: policy.versionLocation,
                "\(policy.identity) is also defined in \(earlier.source)",
                hint: "raise version_number, or remove one of the files"))
        }
        return diagnostics
    }
}
