/// Runs test files (`policyc test`): each file's tests against its policies, loaded once per
/// directory. A file that cannot be used, or whose policies do not load, runs none of its tests
/// and fails the run.
public struct PolicyTestRunner: Sendable {
    /// When set, every file's tests run against these policies instead of the file's own.
    public var policies: String?
    public var loader: PolicyLoader

    public init(policies: String? = nil, loader: PolicyLoader = PolicyLoader()) {
        self.policies = policies
        self.loader = loader
    }

    /// Runs every `*.test.json` file under `paths` (files named directly are taken whatever
    /// their name), in path order.
    public func run(paths: [String]) -> PolicyTestReport {
        var report = PolicyTestReport()
        var engines: [ByteString: DecisionEngine?] = [:]
        for path in paths {
            let (files, missing) = SourceFiles.expand([path], endingWith: ".test.json")
            report.files += missing.map { PolicyTestReport.FileOutcome(file: $0.file, problems: [$0.description]) }
            // A directory without tests is a mistake in the command, not a success.
            if files.isEmpty, missing.isEmpty {
                report.files.append(.init(file: path, problems: ["\(path): error: no test files (*.test.json) found"]))
            }
            for file in files {
                report.files.append(run(file: file, engines: &engines))
            }
        }
        return report
    }

    private func run(file path: String, engines: inout [ByteString: DecisionEngine?]) -> PolicyTestReport.FileOutcome {
        let file: PolicyTestFile
        do {
            file = try PolicyTestFile.load(path: path)
        } catch {
            return .init(file: path, problems: error.problems.map(\.description))
        }
        guard let directory = policies ?? file.policies else {
            return .init(file: path, problems: [
                "\(path): error: no policies to test: give 'policies' in the file, or --policies",
            ])
        }
        var problems: [String] = []
        if engines[ByteString(directory)] == nil {
            do {
                engines[ByteString(directory)] = DecisionEngine(policies: try loader.load(paths: [directory]))
            } catch {
                // Remembered as broken, so that its diagnostics are printed once, not per file.
                engines[ByteString(directory)] = .some(nil)
                problems = error.diagnostics.map(\.description)
            }
        }
        guard let engine = engines[ByteString(directory)] ?? nil else {
            return .init(file: path, problems: problems + ["\(path): error: the policies in \(directory) do not load"])
        }
        return .init(file: path, results: file.tests.map { $0.run(engine) })
    }
}

/// What a run found, file by file in order.
public struct PolicyTestReport: Sendable {
    public struct FileOutcome: Sendable {
        public let file: String
        /// One line each: why the file could not be used (then it has no results).
        public var problems: [String] = []
        public var results: [PolicyTestResult] = []
    }

    public var files: [FileOutcome] = []

    public var passed: Int { files.reduce(0) { $0 + $1.results.filter(\.passed).count } }
    public var failed: Int { files.reduce(0) { $0 + $1.results.filter { !$0.passed }.count } }
    /// True when every test passed and every file could be used.
    public var succeeded: Bool { failed == 0 && files.allSatisfy(\.problems.isEmpty) }

    /// The closing line: `N passed, M failed`.
    public var summary: String { "\(passed) passed, \(failed) failed" }
}
