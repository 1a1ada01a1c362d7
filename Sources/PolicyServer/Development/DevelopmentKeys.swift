import Foundation
import PolicyTokens

/// The development key pair of `fixtures/dev`: its public JWKS, trusted in `--dev` mode for every issuer
/// a loaded policy names, and its private key, used to mint the token of the printed `curl` line.
public struct DevelopmentKeys: Sendable {
    public let directory: String
    public let keys: IssuerKeys
    /// Nil when the directory holds only `jwks.json`: the server still runs, without a ready `curl` line.
    public let signingKeyPEM: String?

    public static let jwksFileName = "jwks.json"
    public static let signingKeyFileName = "signing-key.pem"

    public init(directory: String) throws(ConfigurationError) {
        let jwksPath = directory + "/" + Self.jwksFileName
        guard let jwks = FileManager.default.contents(atPath: jwksPath) else {
            throw ConfigurationError("development keys: cannot read \(jwksPath)")
        }
        do {
            keys = try IssuerKeys(jwksJSON: jwks)
        } catch {
            throw ConfigurationError("development keys: \(jwksPath) is not a usable JWKS document")
        }
        self.directory = directory
        signingKeyPEM = try? String(contentsOfFile: directory + "/" + Self.signingKeyFileName, encoding: .utf8)
    }

    /// Where to look for `fixtures/dev` when `--dev-keys` is not given.
    public struct SearchLocations: Sendable {
        public var workingDirectory: String
        public var executablePaths: [String]

        public init(workingDirectory: String, executablePaths: [String]) {
            self.workingDirectory = workingDirectory
            self.executablePaths = executablePaths
        }

        /// The working directory, then the directory of the running executable (as invoked and with
        /// symbolic links resolved, since `.build/debug` is itself a link).
        public static func current() -> SearchLocations {
            var executables: [String] = []
            if let invoked = CommandLine.arguments.first, invoked.contains("/") {
                executables.append(URL(fileURLWithPath: invoked).standardizedFileURL.path)
            }
            if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                executables.append(resolved)
            }
            return SearchLocations(
                workingDirectory: FileManager.default.currentDirectoryPath, executablePaths: executables)
        }

        /// `fixtures/dev` under the working directory, then under each ancestor (up to four levels) of
        /// the executable's directory: `.build/<config>/policyd` finds `../../fixtures/dev`.
        var candidates: [String] {
            var candidates = [workingDirectory + "/fixtures/dev"]
            for executable in executablePaths {
                var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
                for _ in 0..<5 {
                    candidates.append(directory.appendingPathComponent("fixtures/dev").path)
                    directory = directory.deletingLastPathComponent()
                }
            }
            return candidates
        }
    }

    public static func locate(override: String?, in locations: SearchLocations) throws(ConfigurationError)
        -> DevelopmentKeys
    {
        if let override {
            return try DevelopmentKeys(directory: override)
        }
        for candidate in locations.candidates
        where FileManager.default.fileExists(atPath: candidate + "/" + jwksFileName) {
            return try DevelopmentKeys(directory: candidate)
        }
        throw ConfigurationError(
            "--dev: no fixtures/dev/\(jwksFileName) under the working directory or beside the executable; give --dev-keys DIR")
    }
}
