// Fuzz target `gateway-path`: the gateway's path property (GatewayPathOracle's
// `GatewayPathProperty`) over spellings of the paths of every shipped, fixture and conformance
// route policy, as the unit test GatewayPathPropertyTests checks it for each single mutation,
// here for any sequence of them and for free text.
//
// Input bytes:
//
//     [policy] [path] [method]               each taken modulo what there is
//     ([mutation] [position] [argument])*    HostileSpellings steps, until a 0xFF byte
//     0xFF text                              optional: text (UTF-8, invalid bytes replaced) that
//                                            replaces the spelling when it starts with '/', else
//                                            is appended to it
//
// For every caller of the path (nobody, each role alone, every role), a spelling the gateway
// grants must be routed by every upstream reading to the template the gateway decided on, and
// the canonical spelling of what that upstream reads must be granted too. A violation traps, so
// libFuzzer saves the input as a crash. Run from the checkout (scripts/fuzz does): the policies
// are read from policies/, fixtures/ and ../shared/reference/conformance/.
import FuzzSupport
import Foundation
import GatewayPathOracle
import PolicyCore

let properties: [GatewayPathProperty] = {
    var policies: [Policy] = []
    for directory in ["policies", "fixtures/compat/policies", "fixtures/lint", "../shared/reference/conformance/policies"]
    where FileManager.default.fileExists(atPath: directory) {
        guard let set = try? PolicyLoader().load(directory: directory) else { fuzzFailure("\(directory) does not load") }
        policies += set.policies.filter { $0.type == .route }
    }
    guard !policies.isEmpty else { fuzzFailure("no route policy found: run from the checkout") }
    return policies.map { GatewayPathProperty(PolicySamples($0)) }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard bytes.count >= 3 else { return 0 }
    let property = properties[Int(bytes[0]) % properties.count]
    let samples = property.samples
    guard !samples.paths.isEmpty, !samples.methods.isEmpty else { return 0 }
    let path = samples.paths[Int(bytes[1]) % samples.paths.count]
    let method = samples.methods[Int(bytes[2]) % samples.methods.count]

    let rest = bytes[3...]
    let end = rest.firstIndex(of: 0xFF) ?? rest.endIndex
    let mutations = HostileSpellings.Mutation.allCases
    var steps: [HostileSpellings.Step] = []
    var index = rest.startIndex
    while index + 2 < end, steps.count < 16 {
        steps.append(HostileSpellings.Step(
            mutations[Int(rest[index]) % mutations.count], position: Int(rest[index + 1]), argument: Int(rest[index + 2])))
        index += 3
    }
    var spelling = HostileSpellings.spelling(of: path.segments, applying: steps)
    if end < rest.endIndex {
        let text = String(decoding: rest[(end + 1)...], as: UTF8.self)
        spelling = text.hasPrefix("/") ? text : spelling + text
    }

    var tally = GatewayPathProperty.Tally()
    let violations = property.violations(spelling: spelling, methods: [method], callers: samples.callers(for: path), tally: &tally)
    if let first = violations.first {
        fuzzFailure("\(violations.count) violation(s), the first: \(first)")
    }
    return 0
}

/// The policies are loaded once and kept to the end, for speed; LeakSanitizer cannot follow Swift's
/// enum payloads through their tagged pointers, and took them for leaks at exit (the other targets
/// load per input and keep leak detection).
@_cdecl("__lsan_default_options")
public func leakSanitizerOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(("detect_leaks=0" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

@main
enum Main {
    static func main() {
        runLibFuzzer { data, size in fuzz(UnsafeRawPointer(data) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
    }
}
