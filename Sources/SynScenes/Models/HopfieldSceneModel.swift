import SynCore
import SynModels

/// `model = "hopfield"`: store P random patterns with Hebb's rule and recall them from
/// corrupted cues (scene `hopfield`).
///
/// ```toml
/// [network]
/// units = 400             # N, in [4, 4096]
/// kind = "binary"         # binary | continuous
/// gain = 4.0              # continuous units: s = tanh(gain h)
/// [rule]
/// name = "hebb"           # a rule of `HopfieldRules.registry` (`synaptop rules hopfield`): hebb
/// [task]
/// patterns = 20           # P stored patterns (live control "patterns")
/// max_patterns = 120      # upper end of the control, in [1, 4096]
/// corruption = 0.1        # fraction of cue bits flipped, in [0, 0.5]
/// sweeps = 5              # asynchronous sweeps per recall trial, in [1, 1000]
/// ```
public struct HopfieldSceneModel: SceneModel {
    public static let kind = "hopfield"
    public static var ruleFamily: String { HopfieldRules.registry.family }
    public static let summary = "Hopfield network: Hebbian storage, recall from corrupted cues, capacity ~0.14 N"

    let config: HopfieldSimulation.Config

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 4...4096, default: 400)
        let kind = try n.string("kind", oneOf: ["binary", "continuous"], default: "binary")
        let gain = try n.number("gain", in: .openClosed(0, 1000), default: 4)
        try n.finish()
        var r = try scene.table("rule")
        let selection = try r.rules(from: HopfieldRules.registry, default: "hebb")
        try r.finish()
        var t = try scene.table("task")
        let maxP = try t.integer("max_patterns", in: 1...4096, default: min(4096, units))
        let p = try t.integer("patterns", in: 1...4096, default: max(1, units / 20))
        guard p <= maxP else { throw t.error("patterns", "expected an integer in [1, \(maxP)] (at most max_patterns), got \(p)") }
        let corruption = try t.number("corruption", in: .closed(0, 0.5), default: 0.1)
        let sweeps = try t.integer("sweeps", in: 1...1000, default: 5)
        try t.finish()
        config = HopfieldSimulation.Config(n: units, units: kind == "binary" ? .binary : .continuous(gain: Float(gain)),
                                           patterns: p, maxPatterns: maxP, corruption: corruption, sweeps: sweeps,
                                           rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { ["recall_overlap", "overlap", "energy", "load"] }
    public var viewNames: [String] { ["state", "target", "weights"] }
    public var ruleNames: [String] { config.rules.map(\.name) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        HopfieldSimulation(config: config, seed: seed)
    }
}

extension HopfieldSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let n = Double(config.n)
        c.bytes = n * n * f + Double(config.maxPatterns) * n * f * 2
        c.setupFlops = Double(config.maxPatterns) * n * n
        c.stepFlops = n * n * Double(config.sweeps)
        return c
    }
}
