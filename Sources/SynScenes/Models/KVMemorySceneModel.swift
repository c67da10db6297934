import SynCore
import SynModels

/// `model = "kv_memory"`: capacity of a hetero-associative key-value memory M = Σ v kᵀ against
/// the load N/d_k, Hebbian vs Rescorla-Wagner storage, dense vs sparse positive key codes
/// (scenes `pavlovian-memory`, `bdh-memory`).
///
/// ```toml
/// [network]
/// key_dims = [16, 32, 64]   # d_k of the arms, each in [2, 256]
/// neurons = [0]             # sparse-code neurons per arm (0 = dense keys), each 0 or in [8, 4096]
/// value_dim = 64            # d_v, in [2, 512]
/// active_fraction = 0.05    # sparse codes: fraction of neurons active per key, in (0, 0.5]
/// [rule]
/// name = "hebb_kv"          # `synaptop rules kv_memory`: hebb_kv, rescorla_wagner
/// [task]
/// loads = [0.25, 0.5, 1]    # grid of N/d_k, each in (0, 16], ascending; N = round(load d_k)
/// probe_load = 1.0          # load the scalar metrics report (live control "load"), one of loads
/// keys = "random"           # random | orthogonal (live control "keys")
/// ```
public struct KVMemorySceneModel: SceneModel {
    public static let kind = "kv_memory"
    public static var ruleFamily: String { KVMemoryRules.registry.family }
    public static let summary = "key-value memory M = sum v k^T: fidelity vs load N/d_k, Hebb vs Rescorla-Wagner, dense vs sparse keys"

    let config: KeyValueCapacity.Config
    let selection: RuleSelection<any KVMemoryLearningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let dims = try n.integers("key_dims", in: 2...256, count: 1...6, default: [16, 32, 64])
        let neurons = try n.integers("neurons", in: 0...4096, count: 1...4, default: [0])
        if let bad = neurons.first(where: { $0 != 0 && $0 < 8 }) {
            throw n.error("neurons", "expected 0 (dense) or an integer in [8, 4096], got \(bad)")
        }
        let valueDim = try n.integer("value_dim", in: 2...512, default: 64)
        let active = try n.number("active_fraction", in: .openClosed(0, 0.5), default: 0.05)
        try n.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: KVMemoryRules.registry, default: "hebb_kv")
        try r.finish()
        var t = try scene.table("task")
        let loads = try t.numbers("loads", in: .openClosed(0, 16), count: 1...32, default: [0.25, 0.5, 1, 1.5, 2, 3])
        guard zip(loads, loads.dropFirst()).allSatisfy({ $0 < $1 }) else { throw t.error("loads", "expected strictly ascending loads") }
        let probe = try t.number("probe_load", in: .openClosed(0, 16), default: loads[loads.count / 2])
        guard let probeIndex = loads.firstIndex(of: probe) else {
            throw t.error("probe_load", "expected one of loads [\(loads.map { NumberFormat.shortest($0) }.joined(separator: ", "))], got \(NumberFormat.shortest(probe))")
        }
        let keys = try t.string("keys", oneOf: ["random", "orthogonal"], default: "random")
        try t.finish()
        var arms: [KeyValueCapacity.Arm] = []
        for d in dims { for m in neurons { arms.append(.init(keyDim: d, neurons: m == 0 ? nil : m)) } }
        guard Set(arms.map(\.label)).count == arms.count else { throw scene.error("network", "key_dims and neurons must not repeat") }
        config = KeyValueCapacity.Config(arms: arms, valueDim: valueDim, loads: loads, activeFraction: active,
                                         orthogonalKeys: keys == "orthogonal", probeLoad: probeIndex,
                                         rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] {
        KeyValueCapacity.baseMetrics
            + config.arms.map { MetricSpec("fidelity_\($0.label)", "mean fidelity of arm \($0.label) at the probe load (active rule)", mayBeUndefined: true) }
            + selection.names.map { MetricSpec("fidelity_\($0)", "mean fidelity of rule \($0) at the probe load (last arm)", mayBeUndefined: true) }
    }
    public var viewNames: [String] { KeyValueCapacity.viewSpecs.map(\.name) }
    public var views: [ViewSpec] { KeyValueCapacity.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        KeyValueCapacity(config: config, seed: seed)
    }
}

extension KVMemorySceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let dv = Double(config.valueDim)
        let passes = selection.rules.reduce(1.0) { $0 + Double(($1 as? RescorlaWagner)?.passes ?? 1) }
        var work = 0.0, bytes = 0.0
        for arm in config.arms {
            let f = Double(arm.neurons ?? arm.keyDim), d = Double(arm.keyDim)
            bytes = max(bytes, d * f * 4 + 3 * dv * f * 4)
            for load in config.loads {
                let n = max(1, (load * d).rounded())
                // Features, every rule's store (a pass is 4 d_v f per item), recall and decoding.
                work += n * d * f + passes * 4 * n * dv * f + 2 * n * dv * f + 2 * n * n * dv
                bytes = max(bytes, n * (f + dv + n) * 4 * 2)
            }
        }
        c.bytes = bytes
        c.setupFlops = config.arms.reduce(0.0) { $0 + 256 * Double($1.keyDim) * Double($1.neurons ?? 0) }
        c.stepFlops = work / Double(config.arms.count * config.loads.count)
        return c
    }
}
