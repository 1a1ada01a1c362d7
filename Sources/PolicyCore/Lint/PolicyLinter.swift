import Foundation

/// `policyc lint`: every error the loader reports, and the checks that catch what loads but is
/// probably wrong (a role nobody uses, an expression that is always true, a parameter the path
/// never gives...). Unlike loading, linting goes on past errors and reports everything it can.
public struct PolicyLinter: Sendable {
    public var matcherKind: RouteMatcherKind

    public init(matcherKind: RouteMatcherKind = .trie) {
        self.matcherKind = matcherKind
    }

    /// Findings for the files and directories named, sorted by file, line and column.
    public func lint(paths: [String]) -> [Diagnostic] {
        let loader = PolicyLoader(matcherKind: matcherKind)
        var (files, diagnostics) = PolicyLoader.policyFiles(for: paths)
        var policies: [Policy] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic(.unreadableFile, file: file, at: nil, "cannot read the file"))
                continue
            }
            let bytes = [UInt8](data)
            switch loader.loadPolicyAndSource(bytes: bytes, file: file) {
            case .failure(let error):
                diagnostics += error.diagnostics
            case .success(let (policy, source)):
                policies.append(policy)
                var checks = PolicyLint(policy: policy, sourceMap: source.sourceMap)
                checks.run()
                diagnostics += checks.findings
            }
        }
        diagnostics += PolicyLoader.duplicateIdentities(policies)
        diagnostics += Self.versionGaps(policies)
        return diagnostics.sorted(by: Self.reportOrder)
    }

    static func reportOrder(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        let left = lhs.location ?? SourceLocation(line: 0, column: 0)
        let right = rhs.location ?? SourceLocation(line: 0, column: 0)
        return (ByteString(lhs.file), left.line, left.column, lhs.code.rawValue)
            < (ByteString(rhs.file), right.line, right.column, rhs.code.rawValue)
    }

    /// Versions 1 and 3 without 2 usually mean a file was lost or misnumbered.
    static func versionGaps(_ policies: [Policy]) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let byService = Dictionary(grouping: policies) { "\($0.type)\u{0}\($0.name)" }
        for (_, versions) in byService {
            let sorted = versions.sorted { $0.version < $1.version }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.version > earlier.version + 1 {
                let missing = (earlier.version + 1..<later.version).map(String.init).joined(separator: ", ")
                findings.append(Diagnostic(
                    .versionGap, .warning, file: later.source, at: later.versionLocation,
                    "\(later.type) policy '\(later.name)' jumps from version \(earlier.version) to \(later.version)",
                    hint: "version(s) \(missing) missing: clients pinning them get 'no such policy'"))
            }
        }
        return findings
    }
}
