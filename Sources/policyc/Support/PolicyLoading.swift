import ArgumentParser
import PolicyCore

/// Loads policies for a command, printing every finding to standard error on failure.
func loadPolicies(_ paths: [String], matcher: RouteMatcherKind = .trie) throws -> PolicySet {
    do {
        return try PolicyLoader(matcherKind: matcher).load(paths: paths)
    } catch {
        // One line per finding, nothing else: CI logs and editors jump straight to each.
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}

extension RouteMatcherKind: ExpressibleByArgument {}
