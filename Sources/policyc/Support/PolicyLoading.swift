import ArgumentParser
import PolicyCore

/// Loads policies for a command, printing every finding to standard error on failure.
func loadPolicies(_ paths: [String], matcher: RouteMatcherKind = .trie) throws -> PolicySet {
    try reportingFindings { () throws(PolicyLoadError) in try PolicyLoader(matcherKind: matcher).load(paths: paths) }
}

/// The set `load` gives; or, when it fails, every finding on standard error and exit status 1.
func reportingFindings(_ load: () throws(PolicyLoadError) -> PolicySet) throws -> PolicySet {
    do {
        return try load()
    } catch {
        // One line per finding, nothing else: CI logs and editors jump straight to each.
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}

extension RouteMatcherKind: ExpressibleByArgument {}
