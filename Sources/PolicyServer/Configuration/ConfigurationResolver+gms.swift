/// The GMS search (spec 4.2): which tokens it takes, and where clients reach it.
extension ConfigurationResolver {
    func resolveGroupSearch(into configuration: inout ServerConfiguration) throws(ConfigurationError) {
        configuration.gmsIssuers = try nonEmptyList(flags.gmsIssuers, "POLICYD_GMS_ISSUER", "GMS issuers")
        configuration.gmsAudiences = try nonEmptyList(flags.gmsAudiences, "POLICYD_GMS_AUDIENCE", "GMS audiences")
        if let url = setting(flags.gmsPublicURL, "--gms-public-url", "POLICYD_GMS_PUBLIC_URL") {
            do {
                configuration.gmsPublicURL = try GroupSearchCapabilities.checkedPublicURL(url.value)
            } catch {
                throw ConfigurationError("\(url.source): \(error.description)")
            }
        }
    }

    /// Repeated flags or the variable's list; nil when neither is given (the policies' lists then).
    /// An empty entry (a flag given as "") would accept no token at all: refused, as a mistake.
    private func nonEmptyList(_ flagValues: [String], _ variable: String, _ what: String) throws(ConfigurationError) -> [String]? {
        guard !flagValues.contains(where: \.isEmpty) else { throw ConfigurationError("\(what): an entry is empty") }
        let entries = list(flagValues, variable)
        return entries.isEmpty ? nil : entries
    }
}
