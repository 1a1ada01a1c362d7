import PolicyCore

/// The property a gateway's decisions must hold for every spelling of a path: a spelling it grants
/// is routed by every upstream reading (`UpstreamReading`) to the template the gateway decided on,
/// and the canonical spelling of what each upstream reads is granted too. So no spelling is
/// decided on another template than the one the decoded, normalised path selects, and none grants
/// what the canonical spelling denies. Spellings the gateway denies satisfy it trivially: a denial
/// is never a wrongful grant.
public struct GatewayPathProperty: Sendable {
    public struct Violation: CustomStringConvertible, Sendable {
        public let policy: String
        public let spelling: String
        public let method: String
        public let groups: [String]
        public let reading: UpstreamReading
        public let problem: String

        public var description: String {
            "\(policy): \(method) \(spelling) granted to \(groups) on the gateway, but \(reading.rawValue) upstreams \(problem)"
        }
    }

    /// How much was checked, so that a test can tell a property that held from one never tried.
    public struct Tally: Sendable {
        public var spellings = 0
        public var grants = 0
        public var ambiguous = 0

        public init() {}
    }

    public let samples: PolicySamples
    private let router: ReferenceRouter

    public init(_ samples: PolicySamples) {
        self.samples = samples
        router = ReferenceRouter(templates: samples.templates)
    }

    /// Checks `spelling` asked with each of `methods` by each caller.
    public func violations(spelling: String, methods: [String], callers: [PolicySamples.Caller], tally: inout Tally) -> [Violation] {
        tally.spellings += 1
        let policy = samples.policy
        // The upstreams' readings, made only once some caller is granted: most spellings are refused.
        var readings: [(UpstreamReading, ReferenceRouter.Routed?, String)]?
        var found: [Violation] = []
        for method in methods {
            for caller in callers {
                let answer = policy.decide(GatewayQuery(path: spelling, method: method), groups: caller.table).decision
                if case .ambiguousPath = answer.reason {
                    // Refused before the method or any caller's groups are looked at: so for all.
                    tally.ambiguous += 1
                    return []
                }
                guard answer.isAuthorised else { continue }
                tally.grants += 1
                let decidedOn = answer.reason.routeTemplate ?? ""
                if readings == nil {
                    readings = UpstreamReading.allCases.map { reading in
                        let segments = reading.segments(of: spelling)
                        return (reading, router.route(segments, ignoringCase: reading.ignoresCase), HostileSpellings.canonical(segments))
                    }
                }
                for (reading, routed, canonical) in readings! {
                    func violation(_ problem: String) -> Violation {
                        Violation(policy: policy.name, spelling: spelling, method: method, groups: caller.groups, reading: reading, problem: problem)
                    }
                    guard let routed else {
                        found.append(violation("route it to no template of the policy (decided on \(decidedOn))"))
                        continue
                    }
                    let servedTemplate = samples.templates[routed.template].text
                    guard servedTemplate.utf8.elementsEqual(decidedOn.utf8) else {
                        found.append(violation("serve \(servedTemplate) (decided on \(decidedOn))"))
                        continue
                    }
                    guard !canonical.utf8.elementsEqual(spelling.utf8) else { continue }
                    let served = policy.decide(GatewayQuery(path: canonical, method: method), groups: caller.table).decision
                    if !served.isAuthorised {
                        found.append(violation("serve \(canonical), whose canonical spelling is denied: \(served.reason)"))
                    }
                }
            }
        }
        return found
    }
}
