#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LibFuzzerDriver

/// The `main` of every fuzz target: hands the target's `LLVMFuzzerTestOneInput` to libFuzzer's
/// driver, which parses the command line (`-max_total_time=`, corpus folders, a crash file to
/// replay, …) exactly as libFuzzer's own `main` would.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// A failed property: prints what was found, then traps, so that libFuzzer records the input as a
/// crash (`crash-…`) with the stack.
public func fuzzFailure(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}

/// The input split at `\n` (a trailing `\r` is kept: it is data).
public func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
}
