import ArgumentParser
import PolicyCore

struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a local what-if console for policy authors on 127.0.0.1.",
        discussion: """
            A web page on your own policy files: each policy's roles and rules, who can call what \
            (the alternatives of 'policyc access who' and a matrix of rules by roles), the lint \
            diagnostics at their file:line:col, updated when a file changes on disk, and a what-if \
            form that decides as 'policyc eval --explain' does. A pasted token is read without \
            verifying it, and marked so.

            It listens on 127.0.0.1 only, answers only requests whose Host is 127.0.0.1:PORT or \
            localhost:PORT, and sends no CORS headers: nothing but a browser on this machine can \
            use it. Everything it serves is in the binary: it works offline. It is no part of \
            policyd. Ctrl-C stops it.

            Example:
              policyc console --policies policies --port 8700
            """
    )

    @Option(help: ArgumentHelp("The policy directory (or file); may be repeated.", valueName: "dir"))
    var policies: [String]

    @Option(help: ArgumentHelp("The port on 127.0.0.1 (0: any free port).", valueName: "port"))
    var port: Int = 8700

    @OptionGroup var maxAlternatives: AlternativeLimit

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, got \(port)") }
    }

    func run() throws {
        let workspace = ConsoleWorkspace(paths: policies, alternativeLimit: maxAlternatives.value)
        try ConsoleServer(workspace: workspace).run(port: port) { bound in
            printNow("policyc console: serving \(policies.joined(separator: ", ")) on http://127.0.0.1:\(bound)/ (this machine only; Ctrl-C stops)")
        }
    }
}
