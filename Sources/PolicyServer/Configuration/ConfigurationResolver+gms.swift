/// The GMS search (spec 4.2): which tokens it takes, and where clients reach it.
extension ConfigurationResolver {
    func resolveGroupSearch(into configuration: inout ServerConfiguration) throws(ConfigurationError) {
        configuration.gmsIssuers = try nonEmptyList(.gmsIssuer, "GMS issuers")
        configuration.gmsAudiences = try nonEmptyList(.gmsAudience, "GMS audiences")
        if let url = given(.gmsPublicURL) {
            do {
                configuration.gmsPublicURL = try GroupSearchCapabilities.checkedPublicURL(url.value)
            } catch {
                throw ConfigurationError("\(url.source): \(error.description)")
            }
        }
    }

    /// Repeated flags or the variable's list; nil when neither is given (the policies' lists then).
    /// An empty entry (a flag given as "") would accept no token at all: refused, as a mistake.
    private func nonEmptyList(_ setting: PolicydSetting, _ what: String) throws(ConfigurationError) -> [String]? {
        guard !flags.values(setting).contains(where: \.isEmpty) else { throw ConfigurationError("\(what): an entry is empty") }
        let entries = list(setting)
        return entries.isEmpty ? nil : entries
    }
}
