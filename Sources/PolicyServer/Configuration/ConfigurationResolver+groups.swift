import Foundation

/// Where callers' groups come from: `--issuer-groups`, the endpoints, the answer lifetime and timeout,
/// and the permissions client's credentials (from the environment or a file, never a flag).
extension ConfigurationResolver {
    func resolveGroupSources(into configuration: inout ServerConfiguration) throws(ConfigurationError) {
        var sources: [String: GroupSource] = [:]
        for entry in list(.issuerGroups) {
            let (issuer, source) = try GroupSource.assignment(entry)
            guard sources[issuer] == nil else { throw ConfigurationError("issuer groups: '\(issuer)' is given more than once") }
            sources[issuer] = source
        }
        configuration.issuerGroupSources = sources
        configuration.introspectionURLs = try endpoints(.introspectionURL, "introspection URL")
        configuration.userinfoURLs = try endpoints(.userinfoURL, "userinfo URL")
        if let value = given(.groupsCacheTTL) {
            configuration.groupsAnswerLifetime = try seconds(value, within: 0...86400)
        }
        if let value = given(.groupsLookupTimeout) {
            configuration.groupsLookupTimeout = .milliseconds(Int64(try seconds(value, within: 0.05...60) * 1000))
        }
        configuration.introspectionCredentials = try clientCredentials()

        let introspected = sources.filter { $0.value == .introspection }.keys.sorted()
        // One client secret goes to every introspection endpoint: with two issuers, each would learn the
        // credentials policyd holds for the other.
        guard introspected.count <= 1 else {
            throw ConfigurationError(
                "issuer groups: \(introspected.joined(separator: " and ")) both use introspection; policyd holds one set of client credentials, which each issuer would see, so give introspection to one issuer")
        }
        if let issuer = introspected.first, configuration.introspectionCredentials == nil {
            throw ConfigurationError(
                "issuer groups: \(issuer) uses introspection, which needs the permissions client: set POLICYD_INTROSPECTION_CLIENT_ID and POLICYD_INTROSPECTION_CLIENT_SECRET (or --introspection-client-secret-file)")
        }
    }

    /// `ISSUER=URL` entries, split at the first `=` (issuer URLs practically never contain one, endpoint
    /// URLs with a query string may), each URL held to the rule for keys: HTTPS, or HTTP to loopback.
    private func endpoints(_ setting: PolicydSetting, _ what: String) throws(ConfigurationError) -> [String: String] {
        var urls: [String: String] = [:]
        for entry in list(setting) {
            guard let equals = entry.firstIndex(of: "=") else {
                throw ConfigurationError("\(what) '\(entry)': expected ISSUER=URL")
            }
            let issuer = entry[..<equals].trimmingCharacters(in: .whitespaces)
            let url = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !issuer.isEmpty, !url.isEmpty else { throw ConfigurationError("\(what) '\(entry)': both ISSUER and URL are needed") }
            do {
                _ = try IssuerURL.checked(url)
            } catch {
                throw ConfigurationError("\(what) for \(issuer): \(error.description)")
            }
            guard urls[issuer] == nil else { throw ConfigurationError("\(what): '\(issuer)' is given more than once") }
            urls[issuer] = url
        }
        return urls
    }

    /// The client id from `POLICYD_INTROSPECTION_CLIENT_ID`; the secret from
    /// `POLICYD_INTROSPECTION_CLIENT_SECRET` or a file (`--introspection-client-secret-file`,
    /// `POLICYD_INTROSPECTION_CLIENT_SECRET_FILE`), whose surrounding whitespace (the newline an editor
    /// or `echo` leaves) is dropped. Messages never show the secret.
    private func clientCredentials() throws(ConfigurationError) -> ClientCredentials? {
        let clientID = given(.introspectionClientID)?.value
        let inline = given(.introspectionClientSecret)?.value
        let file = given(.introspectionClientSecretFile)
        let secret: String?
        switch (inline, file) {
        case (_?, _?):
            throw ConfigurationError(
                "POLICYD_INTROSPECTION_CLIENT_SECRET and \(file!.source) are both given: give the secret one way")
        case (let inline?, nil):
            secret = inline
        case (nil, let file?):
            guard let data = FileManager.default.contents(atPath: file.value),
                  let text = String(data: data, encoding: .utf8)
            else {
                throw ConfigurationError("\(file.source) '\(file.value)': cannot read the client secret file")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw ConfigurationError("\(file.source) '\(file.value)': the file is empty") }
            secret = trimmed
        case (nil, nil):
            secret = nil
        }
        switch (clientID, secret) {
        case (let clientID?, let secret?):
            return ClientCredentials(clientID: clientID, secret: secret)
        case (nil, nil):
            return nil
        case (nil, _?):
            throw ConfigurationError("an introspection client secret is given without POLICYD_INTROSPECTION_CLIENT_ID")
        case (_?, nil):
            throw ConfigurationError(
                "POLICYD_INTROSPECTION_CLIENT_ID is given without a secret: set POLICYD_INTROSPECTION_CLIENT_SECRET or --introspection-client-secret-file")
        }
    }
}
