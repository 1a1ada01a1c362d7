/// What `policyd --dev` prints on standard error before it serves, so nobody mistakes it for production.
public enum DevelopmentNotice {
    public static func warning(keysDirectory: String, issuers: [String]) -> String {
        let rule = String(repeating: "!", count: 78)
        var lines = [
            rule,
            "!! DEVELOPMENT MODE (--dev). DO NOT USE IN PRODUCTION.",
            "!! Tokens signed by the PUBLIC development key in \(keysDirectory)",
            "!! (kid \"dev\") are trusted for every issuer the loaded policies name:",
        ]
        lines += issuers.map { "!!   \($0)" }
        lines += ["!! Anyone can mint such tokens with `policyc token mint`.", rule]
        return lines.joined(separator: "\n")
    }
}
