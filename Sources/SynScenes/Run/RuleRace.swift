import SynModels

/// K copies of one scene from the same seed (the same initial weights and the same input
/// stream), one rule each, stepped in lockstep: the fair comparison of learning rules. Each
/// copy is built exactly as a plain run is, then switched to its rule at step 0 (a switch
/// keeps the weights), so lane k's rows equal `synaptop run SCENE --rule k` whenever the rule
/// does not change what the model draws at construction (tested).
public struct RuleRace {
    /// One copy: its rule and the rows it measured (step 0 included).
    public struct Lane: Sendable {
        public var rule: String
        public var rows: [MetricRow]
    }

    public let spec: SceneSpec
    public let rules: [String]
    private var copies: Lockstep

    /// Builds one copy per rule; an unknown rule is a one-line error naming the valid ones.
    public init(spec: SceneSpec, seed: UInt64? = nil, rules: [String]) throws(SceneError) {
        self.spec = spec
        guard !rules.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "--rules: expected at least one rule") }
        var sessions: [SceneSession] = []
        for rule in rules {
            var s = try SceneSession(spec: spec, seed: seed)
            guard s.selectRule(named: rule) else {
                throw SceneError(file: spec.file, key: nil,
                                 message: "--rules: unknown rule \"\(rule)\" (one of: \(s.sim.ruleNames.joined(separator: ", ")))")
            }
            sessions.append(s)
        }
        self.rules = rules
        copies = Lockstep(sessions)
    }

    /// Each copy's rule and rows.
    public var lanes: [Lane] { zip(rules, copies.rows).map { Lane(rule: $0, rows: $1) } }

    /// Steps taken by every copy.
    public var step: Int { copies.step }

    /// The metric names (the same for every copy).
    public var metricNames: [String] { copies.sessions.first?.metricNames ?? [] }

    /// Advances every copy by `steps`, copies on up to `threads` threads at once (each copy is
    /// owned by one thread for the call; the result does not depend on `threads`).
    public mutating func advance(_ steps: Int, threads: Int) {
        copies.advance(steps, threads: threads)
    }

    /// True when some copy's metrics stopped being finite.
    public var diverged: [String] {
        zip(rules, copies.sessions).compactMap { rule, session in session.divergence == nil ? nil : rule }
    }
}
