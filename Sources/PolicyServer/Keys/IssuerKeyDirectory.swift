import PolicyTokens

/// The keys of every issuer: from a configured file, from the development key set in `--dev` mode, or
/// fetched over the network (configured URL or discovery) through a `KeyStore`.
struct IssuerKeyDirectory: KeySetProvider {
    let fileKeys: IssuerKeyFiles
    let configuredURLs: [String: String]
    let developmentKeys: IssuerKeys?
    let fetchedKeys: KeyStore

    func origin(of issuer: String) -> KeyOrigin {
        if let path = fileKeys.path(of: issuer) { return .file(path) }
        if let url = configuredURLs[issuer] { return .url(url) }
        if developmentKeys != nil { return .development }
        return .discovery
    }

    func keys(forIssuer issuer: String) async throws -> IssuerKeys {
        if let fixed = fixedKeys(of: issuer) { return fixed }
        return try await fetchedKeys.keys(forIssuer: issuer)
    }

    func keysInHand(forIssuer issuer: String) -> IssuerKeys? {
        fixedKeys(of: issuer) ?? fetchedKeys.keysInHand(forIssuer: issuer)
    }

    func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys {
        if let fixed = fixedKeys(of: issuer) { return fixed }
        return try await fetchedKeys.refreshedKeys(forIssuer: issuer)
    }

    private func fixedKeys(of issuer: String) -> IssuerKeys? {
        switch origin(of: issuer) {
        case .file: fileKeys.keys(of: issuer)
        case .development: developmentKeys
        case .url, .discovery: nil
        }
    }
}
