import ArgumentParser
import PolicyCore

/// Loads policies for a command, printing every finding to standard error on failure.
func loadPolicies(_ paths: [String], matcher: RouteMatcherKind = .trie) throws -> PolicySet {
    do {
        return try PolicyLoader(matcherKind: matcher).load(paths: paths)
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        printError("error: \(error.diagnostics.count) problem(s) in the policies; nothing was loaded")
        throw ExitCode(1)
    }
}

extension RouteMatcherKind: ExpressibleByArgument {}
