import SynCore
import SynModels

/// `model = "holomorphic_ep"`: generalised holomorphic equilibrium propagation in a digits
/// network whose feedback weights are not tied to the forward ones, one network per rule trained
/// in parallel from the same weights (scene `hep-homeostasis`; Laborieux & Zenke, ICLR 2024).
///
/// ```toml
/// [network]
/// hidden = [64, 64]          # hidden layer sizes, 1-3 layers, each in [2, 256]
/// scale = 0.7                # W ~ N(0, 1/fan_in) * scale, in (0, 3]
/// alpha_deg = 90             # asymmetry angle: B = cos(a) W^T + sin(a) R, in [0, 90] (live control)
/// gamma = 0.5                # relaxation rate, in (0, 1]
/// free_steps = 60            # free-phase relaxation steps, in [1, 1000]
/// nudge_steps = 40           # relaxation steps per nudge point, in [1, 1000]
/// [rule]
/// name = "hep"               # `synaptop rules holomorphic_ep`: hep, hep_homeostasis
/// switchable = [...]         # every listed rule trains its own network (all on screen)
/// eta = 0.05                 # rule parameter: SGD learning rate, in (0, 1]
/// lambda = 1                 # hep_homeostasis: homeostasis weight, in [0, 100] (live control, <= 20)
/// points = 4                 # nudge points N: 1, 2, 4 or 8 (live control)
/// beta = 0.5                 # nudge modulus |beta|, in [0.05, 1] (live control)
/// batch = 50                 # minibatch, in [1, 1500]
/// momentum = 0.9             # SGD momentum, in [0, 0.99]
/// [task]
/// probe_samples = 50         # training samples of the alignment probe, in [1, 500]
/// test_samples = 297         # test samples of test_acc (the first ones), in [10, 297]
/// ```
public struct HolomorphicEPSceneModel: SceneModel {
    public static let kind = "holomorphic_ep"
    public static var ruleFamily: String { HolomorphicEPRules.registry.family }
    public static let summary = "equilibrium propagation without weight symmetry: holomorphic N-point nudges and Jacobian homeostasis"

    let config: HolomorphicEPSimulation.Config
    let selection: RuleSelection<any HolomorphicEPRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 2...256, count: 1...3, default: [64, 64])
        let scale = try n.number("scale", in: .openClosed(0, 3), default: 0.7)
        let alpha = try n.number("alpha_deg", in: .closed(0, 90), default: 90)
        let gamma = try n.number("gamma", in: .openClosed(0, 1), default: 0.5)
        let freeSteps = try n.integer("free_steps", in: 1...1000, default: 60)
        let nudgeSteps = try n.integer("nudge_steps", in: 1...1000, default: 40)
        try n.finish()
        var r = try scene.table("rule")
        let points = try r.integer("points", in: 1...8, default: 4)
        guard HolomorphicEPSimulation.pointChoices.contains(points) else { throw r.error("points", "expected 1, 2, 4 or 8, got \(points)") }
        let beta = try r.number("beta", in: .closed(0.05, 1), default: 0.5)
        let batch = try r.integer("batch", in: 1...1500, default: 50)
        let momentum = try r.number("momentum", in: .closed(0, 0.99), default: 0.9)
        selection = try r.rules(from: HolomorphicEPRules.registry, default: "hep")
        try r.finish()
        var t = try scene.table("task")
        let probe = try t.integer("probe_samples", in: 1...500, default: 50)
        let tests = try t.integer("test_samples", in: 10...297, default: 297)
        try t.finish()
        config = .init(sizes: [64] + hidden + [10], scale: Float(scale), alphaDeg: alpha, gamma: Float(gamma), freeSteps: freeSteps,
                       nudgeSteps: nudgeSteps, points: points, beta: Float(beta), batch: batch, momentum: Float(momentum),
                       probeSamples: probe, testSamples: tests, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { HolomorphicEPSimulation.metricSpecs(hidden: config.sizes.count - 2, rules: selection.names) }
    public var viewNames: [String] { HolomorphicEPSimulation.viewSpecs.map(\.name) }
    public var views: [ViewSpec] { HolomorphicEPSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let (train, test) = Digits.split()
        return HolomorphicEPSimulation(config: config, train: train, test: test, seed: seed)
    }
}

extension HolomorphicEPSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let s = config.sizes.map(Double.init)
        // One relaxation step of one sample: forward and feedback products.
        let perStep = 2 * zip(s, s.dropFirst()).reduce(0.0) { $0 + 2 * $1.0 * $1.1 } + 60 * s.dropFirst().reduce(0, +)
        let arms = Double(config.rules.count)
        // Free phase + N/2 + 1 nudge points (complex ones cost two real ones).
        let relax = Double(config.freeSteps) + Double(config.points + 1) * Double(config.nudgeSteps)
        c.stepFlops = arms * Double(config.batch) * relax * perStep
        let probe = Double(config.probeSamples) * (2 * Double(config.freeSteps) + 8 * Double(config.nudgeSteps)) * perStep
        let testing = Double(config.testSamples) * Double(config.freeSteps) * perStep
        c.stepFlops += arms * (probe + testing) / Double(max(1, metricsEvery))
        c.bytes = arms * 3 * zip(s, s.dropFirst()).reduce(0.0) { $0 + 2 * $1.0 * $1.1 } * 4
            + (Double(config.batch) + 297 + Double(config.probeSamples)) * s.reduce(0, +) * 8 * 4 + 1797 * 75 * 4
        return c
    }
}
