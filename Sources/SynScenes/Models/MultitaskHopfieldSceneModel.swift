import SynCore
import SynModels

/// `model = "multitask_hopfield"`: a Hopfield network storing diluted ±1/0 archetypes (or
/// noisy examples of them) retrieves several at once (scene `multitask-hopfield`).
///
/// ```toml
/// [network]
/// units = 1000          # N Ising spins, in [16, 4096]
/// [rule]
/// name = "hebb"         # a rule of `HopfieldRules.registry`, applied to the example rows
/// [task]
/// patterns = 3          # K archetypes, in [1, 8]
/// dilution = 0.3        # d = P(xi_i = 0), in [0, 0.95] (live control)
/// examples = 1          # M examples per archetype, in [1, max_examples] (live)
/// max_examples = 50     # upper end of the control, in [1, 200]
/// quality = 1.0         # r, P(chi = +1) = (1 + r)/2, in [0, 1] (live)
/// temperature = 0.0     # T of Glauber dynamics, in [0, 2] (0 = sign with random ties; live)
/// couplings = "unsupervised"  # unsupervised | supervised (live)
/// start = "pattern"     # pattern (xi^1, zeros random) | random (live)
/// sweeps = 15           # sweeps per trial, in [1, 1000]
/// ```
public struct MultitaskHopfieldSceneModel: SceneModel {
    public static let kind = "multitask_hopfield"
    public static var ruleFamily: String { HopfieldRules.registry.family }
    public static let summary = "diluted +-1/0 patterns in a Hopfield net: parallel retrieval, Mattis magnetisations vs the (1-d) d^(k-1) ladder"

    let config: MultitaskHopfield.Config
    let selection: RuleSelection<any HopfieldLearningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 16...4096, default: 1000)
        try n.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: HopfieldRules.registry, default: "hebb")
        try r.finish()
        var t = try scene.table("task")
        let k = try t.integer("patterns", in: 1...8, default: 3)
        let d = try t.number("dilution", in: .closed(0, 0.95), default: 0.3)
        let maxM = try t.integer("max_examples", in: 1...200, default: 50)
        let m = try t.integer("examples", in: 1...200, default: 1)
        guard m <= maxM else { throw t.error("examples", "expected an integer in [1, \(maxM)] (at most max_examples), got \(m)") }
        let q = try t.number("quality", in: .closed(0, 1), default: 1)
        let temp = try t.number("temperature", in: .closed(0, 2), default: 0)
        let couplings = try t.string("couplings", oneOf: ["unsupervised", "supervised"], default: "unsupervised")
        let start = try t.string("start", oneOf: ["pattern", "random"], default: "pattern")
        let sweeps = try t.integer("sweeps", in: 1...1000, default: 15)
        try t.finish()
        config = .init(n: units, patterns: k, dilution: d, examples: m, quality: q, temperature: temp,
                       supervised: couplings == "supervised", randomStart: start == "random", sweeps: sweeps,
                       maxExamples: maxM, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { MultitaskHopfield.metricSpecs(patterns: config.patterns) }
    public var viewNames: [String] { MultitaskHopfield.viewSpecs.map(\.name) }
    public var views: [ViewSpec] { MultitaskHopfield.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        MultitaskHopfield(config: config, seed: seed)
    }
}

extension MultitaskHopfieldSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.n), rows = Double(config.patterns * config.maxExamples)
        c.bytes = n * n * 4 + rows * n * 4 * 2
        // A trial stores every example row (n^2 each) and runs `sweeps` sweeps (n^2 each).
        c.setupFlops = rows * n * n
        c.stepFlops = n * n + rows * n * n / Double(config.sweeps)
        return c
    }
}
