import PolicyCore

/// Why the server cannot start: the daemon prints it and exits 1.
public enum StartupError: Error, Sendable {
    /// The policy directory does not load; one diagnostic line per problem.
    case policies(PolicyLoadError)
    case configuration(ConfigurationError)
}
