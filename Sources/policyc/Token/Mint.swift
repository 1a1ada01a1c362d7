import ArgumentParser
import Foundation
import PolicyTokens

/// `policyc token mint`: one RS256 compact JWS for development and tests, signed by a key the caller
/// holds (normally fixtures/dev/signing-key.pem, which `policyd --dev` trusts).
struct Mint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed RS256 access token (development and tests only).",
        discussion: """
            The token carries iss, aud, sub, iat, nbf, exp, groups and (when given) scope. \
            Example: policyc token mint --key fixtures/dev/signing-key.pem --issuer https://ska-iam.stfc.ac.uk \
            --audience data-management-api --scope data-management-api-service --group data/namespaces/testing/viewer
            """
    )

    @Option(help: "RSA private key, PEM (PKCS#8 or PKCS#1), at least 2048 bits.")
    var key: String

    @Option(help: "The iss claim.")
    var issuer: String

    @Option(help: "The aud claim.")
    var audience: String

    @Option(name: .customLong("group"), help: "A group for the groups claim (repeatable).")
    var groups: [String] = []

    @Option(help: "The scope claim (space-separated scopes).")
    var scope: String?

    @Option(help: "Seconds until exp; a negative value gives an already expired token.")
    var lifetime: Int = 3600

    @Option(help: "The kid header.")
    var kid: String = "dev"

    @Option(help: "The sub claim.")
    var subject: String = "dev-user"

    @Option(help: "How many tokens to print, one a line; past the first, the sub claim ends in -2, -3, … so that each is new to a cache (benchmarks of first calls).")
    var count: Int = 1

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        guard let pem = try? String(contentsOfFile: key, encoding: .utf8) else {
            printError("policyc token mint: cannot read the key \(key)")
            throw ExitCode(1)
        }
        let minter: TokenMinter
        do {
            minter = try TokenMinter(privateKeyPEM: pem, keyID: kid)
        } catch {
            printError("policyc token mint: \(key) is not an RSA private key of at least 2048 bits")
            throw ExitCode(1)
        }
        for index in 1...count {
            let claims = TokenMinter.Claims(
                issuer: issuer, audience: audience, subject: index == 1 ? subject : "\(subject)-\(index)", groups: groups,
                scope: scope, lifetime: TimeInterval(lifetime))
            print(try waitFor { try await minter.mint(claims) })
        }
    }
}
