import SynCore

/// Solution degeneracy across task-trained RNNs (Huang, Singh, Martinelli & Rajan, NeurIPS 2025,
/// arXiv 2410.03972; science page 35; no authors' code, the metric details are the page's
/// reconstruction). An ensemble of tanh RNNs (`FlipFlopNetwork`) is trained on the N-bit
/// flip-flop task (`FlipFlopTask`) from different seeds, plus one network with the first seed
/// again (the duplicate, a sanity check), one network after another: one step = one BPTT + rule
/// update (batch of fresh sequences) of the network in training.
///
/// As each network finishes it is run on a fixed out-of-distribution stream (longer than the
/// training sequences) and compared with every finished network at three levels:
/// - behaviour: RMS difference of the two networks' outputs on that stream;
/// - dynamics: `DelayDMD` spectrum distance of the delay-embedded hidden states, and 1 − linear
///   `CKA` of the hidden states (clamped at 0 against round-off);
/// - weights: `UnitMatching` (signed permutation from |activity correlation|) then
///   ‖W₁ − P W₂ Pᵀ‖_F / √(‖W₁‖_F ‖W₂‖_F).
public struct DegeneracySimulation: Simulation {
    public struct Config: Sendable {
        public var units: Int
        public var gain: Float
        public var l2: Float
        public var bits: Int
        public var pFlip: Double
        /// Training sequence length T and sequences per batch.
        public var steps: Int
        public var batch: Int
        /// Updates per network.
        public var updates: Int
        /// Networks from distinct seeds, and whether a duplicate of the first is added.
        public var seeds: Int
        public var duplicate: Bool
        /// The out-of-distribution stream: steps and sequences.
        public var oodSteps: Int
        public var oodSequences: Int
        public var dmdRank: Int
        public var dmdDelays: Int
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(units: Int = 32, gain: Float = 1, l2: Float = 0, bits: Int = 2, pFlip: Double = 0.05, steps: Int = 60,
                    batch: Int = 32, updates: Int = 1500, seeds: Int = 3, duplicate: Bool = true, oodSteps: Int = 200,
                    oodSequences: Int = 16, dmdRank: Int = 6, dmdDelays: Int = 3, rules: [any DynamicsRule], start: Int = 0) {
            self.units = units; self.gain = gain; self.l2 = l2; self.bits = bits; self.pFlip = pFlip; self.steps = steps
            self.batch = batch; self.updates = updates; self.seeds = seeds; self.duplicate = duplicate; self.oodSteps = oodSteps
            self.oodSequences = oodSequences; self.dmdRank = dmdRank; self.dmdDelays = dmdDelays; self.rules = rules
            self.start = start
        }

        /// Networks in training order: net1 … netK, then the duplicate of net1.
        public var memberNames: [String] { Self.memberNames(seeds: seeds, duplicate: duplicate) }

        static func memberNames(seeds: Int, duplicate: Bool) -> [String] {
            (1...max(1, seeds)).map { "net\($0)" } + (duplicate ? ["dup"] : [])
        }
    }

    /// The three levels (four measures), in the order of the metrics and matrices.
    static let measures = ["behaviour", "dynamics", "cka", "weight", "dsa"]

    public static func metricSpecs(seeds: Int, duplicate: Bool) -> [MetricSpec] {
        var out = [
            MetricSpec("train_mse", "per-output MSE on a fixed batch of training-length sequences, network in training (the last once all are trained)",
                       mayBeUndefined: true),
            MetricSpec("behaviour_dist", "mean over distinct-seed pairs of the RMS output difference on the OOD stream", mayBeUndefined: true),
            MetricSpec("dynamics_dist", "mean over distinct-seed pairs of the DMD eigenvalue-spectrum distance (delay-embedded hidden states, OOD stream)",
                       mayBeUndefined: true),
            MetricSpec("cka_dist", "mean over distinct-seed pairs of 1 - linear CKA of the hidden states on the OOD stream", mayBeUndefined: true),
            MetricSpec("weight_dist", "mean over distinct-seed pairs of |W1 - P W2 P^T|_F / sqrt(|W1|_F |W2|_F) after signed unit matching",
                       mayBeUndefined: true),
            MetricSpec("dsa_dist", "mean over distinct-seed pairs of DSA's min over orthogonal C of |A1 - C A2 C^T|_F (the fitted delay-DMD operators)",
                       mayBeUndefined: true),
        ]
        if duplicate {
            for m in measures {
                out.append(MetricSpec("duplicate_\(m)_dist", "\(m) distance between net1 and its duplicate (same seed): must be 0",
                                      mayBeUndefined: true))
            }
        }
        out.append(MetricSpec("ood_mse", "mean per-output MSE of the trained distinct-seed networks on the OOD stream (longer than training)",
                              mayBeUndefined: true))
        out.append(MetricSpec("weight_change", "mean over trained distinct-seed networks of |W - W_init|_F / |W_init|_F (how far training moved W)",
                              mayBeUndefined: true))
        out.append(MetricSpec("networks_done", "networks trained so far"))
        for name in Config.memberNames(seeds: seeds, duplicate: duplicate) {
            out.append(MetricSpec("mse_\(name)", "per-output MSE of \(name) on the fixed training-length batch (NaN before it starts)",
                                  mayBeUndefined: true))
        }
        return out
    }

    public static func viewSpecs(seeds: Int, duplicate: Bool) -> [ViewSpec] {
        Config.memberNames(seeds: seeds, duplicate: duplicate).map {
            ViewSpec("trajectory_\($0)", "hidden state of \($0) on OOD stream 0 in its own top-2 PC plane (live while it trains)")
        } + [
            ViewSpec("behaviour_matrix", "RMS output difference on the OOD stream, every pair of trained networks"),
            ViewSpec("dynamics_matrix", "DMD eigenvalue-spectrum distance, every pair of trained networks"),
            ViewSpec("cka_matrix", "1 - linear CKA of the hidden states, every pair of trained networks"),
            ViewSpec("weight_matrix", "recurrent-weight distance after signed unit matching, every pair of trained networks"),
            ViewSpec("dsa_matrix", "DSA distance of the fitted delay-DMD operators, every pair of trained networks"),
        ]
    }

    /// What a trained network leaves for the comparisons.
    struct Evaluation: Sendable {
        var rates: Matrix
        var outputs: [Float]
        var spectrum: [ComplexValue]
        /// The fitted delay-DMD operator (nil when the fit is undefined).
        var dmd: (operator: [Double], dim: Int)?
        var oodMSE: Double
        /// ‖W − W_init‖_F / ‖W_init‖_F.
        var weightChange: Double
    }

    struct Member: Sendable {
        let name: String
        let initialRecurrent: [Float]
        var net: FlipFlopNetwork
        var data: RNG
        var state: DynamicsRuleState
        var updates = 0
        var mse = Double.nan
        var evaluation: Evaluation?
    }

    public let config: Config
    public let metricNames: [String]
    public let viewNames: [String]
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "one network", steps: config.updates) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  L = mean |z - target|^2 + l2 |theta|^2, BPTT over T = \(config.steps) (l2 = \(config.l2))"
    }
    public private(set) var events: [SimulationEvent] = []

    private var rules: [any DynamicsRule]
    private let task: FlipFlopTask
    private var members: [Member]
    /// Index of the network in training (members.count once all are trained).
    private var current = 0
    /// Distances per measure, members² row-major, NaN until both networks are trained.
    private var matrices: [[Double]]
    private let evalInputs: [Float], evalTargets: [Float]
    private let oodInputs: [Float], oodTargets: [Float]
    /// Stream 0 of the OOD batch alone (for the trajectory views).
    private let stream0: [Float]
    private var grad: [Float]
    private let mask: [Float]

    public init(config: Config, seed: UInt64) {
        precondition(config.units >= 2 && config.seeds >= 1 && config.updates >= 1 && config.batch >= 1)
        self.config = config
        metricNames = Self.metricSpecs(seeds: config.seeds, duplicate: config.duplicate).map(\.name)
        viewNames = Self.viewSpecs(seeds: config.seeds, duplicate: config.duplicate).map(\.name)
        let root = RNG(seed: seed)
        task = FlipFlopTask(bits: config.bits, pFlip: config.pFlip)
        var ev = root.stream("eval")
        (evalInputs, evalTargets) = task.batch(steps: config.steps, sequences: config.batch, rng: &ev)
        var ood = root.stream("ood")
        let (oi, ot) = task.batch(steps: config.oodSteps, sequences: config.oodSequences, rng: &ood)
        (oodInputs, oodTargets) = (oi, ot)
        let ni = task.inputs, c = config.oodSequences
        stream0 = (0..<config.oodSteps).flatMap { t in oi[(t * c * ni)..<(t * c * ni + ni)] }
        let nets = root.stream("network")
        var built = [Member]()
        for (k, name) in config.memberNames.enumerated() {
            // The duplicate takes the first network's stream: same initialisation, same batches.
            let stream = nets.stream(k < config.seeds ? k : 0)
            var initRNG = stream.stream("init")
            let net = FlipFlopNetwork(units: config.units, task: task, gain: config.gain, rng: &initRNG)
            built.append(Member(name: name, initialRecurrent: Array(net.recurrent), net: net, data: stream.stream("data"), state: DynamicsRuleState(count: net.rnn.params.count)))
        }
        members = built
        let count = built[0].net.rnn.params.count
        grad = [Float](repeating: 0, count: count)
        mask = [Float](repeating: 1, count: count)
        matrices = Self.measures.map { _ in [Double](repeating: .nan, count: built.count * built.count) }
        rules = config.rules
        activeRule = config.start
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        if current < members.count { members[current].state = DynamicsRuleState(count: grad.count) }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            if current < members.count {
                train(current)
                if members[current].updates == config.updates {
                    finish(current)
                    current += 1
                }
            }
            step += 1
        }
    }

    /// One update of member i on a fresh batch from its own data stream.
    private mutating func train(_ i: Int) {
        let (u, y) = task.batch(steps: config.steps, sequences: config.batch, rng: &members[i].data)
        _ = members[i].net.lossAndGradient(inputs: u, targets: y, sequences: config.batch, l2: config.l2, into: &grad)
        var member = members[i]
        rules[activeRule].update(&member.net.rnn.params, gradient: grad, mask: mask, state: &member.state)
        member.updates += 1
        members[i] = member
    }

    /// Evaluates a trained member and fills its row and column of every matrix.
    private mutating func finish(_ i: Int) {
        let net = members[i].net
        members[i].mse = net.mse(inputs: evalInputs, targets: evalTargets, sequences: config.batch)
        let tr = net.rnn.run(oodInputs, conditions: config.oodSequences)
        let rates = tr.rateMatrix(units: config.units)
        var se = 0.0
        for k in tr.outputs.indices { let e = Double(tr.outputs[k] - oodTargets[k]); se += e * e }
        let dmd = DelayDMD.fit(rates, sequences: config.oodSequences, rank: config.dmdRank, delays: config.dmdDelays)
        let spectrum = dmd.map { RealEigen.eigenvalues($0.operator, n: $0.dim) }
            ?? [ComplexValue](repeating: ComplexValue(.nan, .nan), count: min(config.dmdRank, config.units) * config.dmdDelays)
        let ev = Evaluation(rates: rates, outputs: tr.outputs, spectrum: spectrum, dmd: dmd,
                            oodMSE: se / Double(oodTargets.count),
                            weightChange: Self.relativeChange(net.recurrent, from: members[i].initialRecurrent))
        members[i].evaluation = ev
        let m = members.count
        for j in 0..<m {
            guard let other = members[j].evaluation else { continue }
            let d = j == i ? Self.measures.map { _ in 0 } : Self.distances(ev, other, members[i].net, members[j].net, units: config.units)
            for (k, v) in d.enumerated() {
                matrices[k][i * m + j] = v
                matrices[k][j * m + i] = v
            }
        }
        events.append(SimulationEvent(step: step + 1, label: "\(members[i].name) trained"))
    }

    /// ‖w − w₀‖ / ‖w₀‖ (NaN for w₀ = 0).
    static func relativeChange(_ w: ArraySlice<Float>, from w0: [Float]) -> Double {
        var d = 0.0, n = 0.0
        for (a, b) in zip(w, w0) { d += Double(a - b) * Double(a - b); n += Double(b) * Double(b) }
        return n > 0 ? (d / n).squareRoot() : .nan
    }

    /// Behaviour, DMD spectrum, 1 − CKA, weight and DSA distances of two trained networks.
    static func distances(_ a: Evaluation, _ b: Evaluation, _ na: FlipFlopNetwork, _ nb: FlipFlopNetwork, units n: Int) -> [Double] {
        var se = 0.0
        for k in a.outputs.indices { let e = Double(a.outputs[k] - b.outputs[k]); se += e * e }
        let behaviour = (se / Double(a.outputs.count)).squareRoot()
        let dynamics = DelayDMD.spectrumDistance(a.spectrum, b.spectrum)
        // CKA ≤ 1; the clamp removes the last-bit round-off of identical states (1 − CKA = −2e−16).
        let cka = max(0, 1 - CKA.linear(a.rates, b.rates))
        let match = UnitMatching.match(a.rates, b.rates)
        let weight = UnitMatching.distance(na.recurrent, nb.recurrent, n: n, match: match)
        return [behaviour, dynamics, cka, weight, DelayDMD.dsaDistance(a.dmd, b.dmd)]
    }

    public mutating func measure() -> [Double] {
        let shown = min(current, members.count - 1)
        if current < members.count {
            members[current].mse = members[current].net.mse(inputs: evalInputs, targets: evalTargets, sequences: config.batch)
        }
        let m = members.count, distinct = config.seeds
        var out = [members[shown].mse]
        for k in Self.measures.indices {
            var s = 0.0, count = 0
            for i in 0..<distinct {
                for j in (i + 1)..<distinct where matrices[k][i * m + j].isFinite {
                    s += matrices[k][i * m + j]
                    count += 1
                }
            }
            out.append(count > 0 ? s / Double(count) : .nan)
        }
        if config.duplicate {
            for k in Self.measures.indices { out.append(matrices[k][m - 1]) }
        }
        let ood = members.prefix(distinct).compactMap { $0.evaluation?.oodMSE }
        out.append(ood.isEmpty ? .nan : ood.reduce(0, +) / Double(ood.count))
        let moved = members.prefix(distinct).compactMap { $0.evaluation?.weightChange }
        out.append(moved.isEmpty ? .nan : moved.reduce(0, +) / Double(moved.count))
        out.append(Double(members.filter { $0.evaluation != nil }.count))
        out += members.map(\.mse)
        return out
    }

    public func views() -> [String: PanelView] {
        var out = [String: PanelView]()
        for (i, member) in members.enumerated() {
            let key = "trajectory_\(member.name)"
            if i > current {
                out[key] = .text("\(member.name): waits for \(members[i - 1].name)")
            } else if let plane = Self.pcaPlane(member.net, inputs: stream0, bits: config.bits, units: config.units) {
                let label = member.evaluation == nil ? "\(member.name) (\(member.updates)/\(config.updates))" : member.name
                out[key] = .traces(TracesView(names: [label], series: [plane.y], unit: "PC2", xs: [plane.x], xLabel: "PC1"))
            } else {
                out[key] = .text("\(member.name): no variance yet")
            }
        }
        let m = members.count
        for (k, name) in Self.measures.map({ $0 + "_matrix" }).enumerated() {
            let values = matrices[k].map(Float.init)
            let top = values.filter(\.isFinite).max() ?? 0
            out[name] = .heatmap(HeatmapView(rows: m, cols: m, values: values, scale: .fixed(0, max(top, 1e-3))))
        }
        return out
    }

    /// Hidden states of `net` on one input stream projected on their own top-2 principal
    /// components, each oriented to correlate positively with the targets' bits 1 and 2.
    static func pcaPlane(_ net: FlipFlopNetwork, inputs: [Float], bits: Int, units n: Int) -> (x: [Float], y: [Float])? {
        let tr = net.rnn.run(inputs, conditions: 1)
        guard let p = PopulationCCA.scores(tr.rateMatrix(units: n), components: 2), p.cols == 2 else { return nil }
        var axes = [p.column(0), p.column(1)]
        for k in 0..<2 {
            // Orient PC k along output k (output 0 for k = 1 in a 1-bit task).
            let o = min(k, bits - 1)
            var s = 0.0
            for t in 0..<p.rows { s += Double(axes[k][t]) * Double(tr.outputs[t * bits + o]) }
            if s < 0 { axes[k] = axes[k].map { -$0 } }
        }
        return (axes[0], axes[1])
    }

    public func probe() -> [Factor] {
        [Factor("eta", Double(rules[activeRule].eta)), Factor("l2", Double(config.l2)),
         Factor("networks trained", Double(members.filter { $0.evaluation != nil }.count))]
            + members.map { Factor("mse \($0.name)", $0.mse) }
    }
}
