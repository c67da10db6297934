import SynCore

/// Block-recurrent dynamics across depth (Jacobs et al. 2025, "Block-Recurrent Dynamics in
/// Vision Transformers", science page 37): two copies of a 12-block residual MLP (`ResidualMLP`)
/// are trained side by side on the digits from the same initial weights and minibatches, one
/// without and one with drop-path (stochastic depth, rate p); after every epoch the layer × layer
/// linear CKA matrix of their residual states h_1..h_L on the test digits (`CKA.matrix`), its
/// best contiguous phase cut (`LayerPhases`) and each block's relative update ‖f_l‖ / ‖h_l‖.
///
/// One step = one minibatch update of both networks; an epoch = ⌈samples / batch⌉ steps.
public struct BlockRecurrentSimulation: Simulation {
    public struct Config: Sendable {
        public var width: Int
        public var hidden: Int
        public var blocks: Int
        public var batch: Int
        /// Training samples: the first `samples` rows of the digits training split.
        public var samples: Int
        /// Drop-path rate of the first arm (the "no drop-path" baseline, 0 by default).
        public var baseDrop: Float
        /// Drop-path rate of the second arm (live control `drop_path`).
        public var drop: Float
        /// Number of contiguous phases k searched in the CKA matrix (live control `phases`).
        public var phases: Int
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(width: Int = 64, hidden: Int = 128, blocks: Int = 12, batch: Int = 32, samples: Int = 1500,
                    baseDrop: Float = 0, drop: Float = 0.3, phases: Int = 2, rules: [any DynamicsRule], start: Int = 0) {
            self.width = width; self.hidden = hidden; self.blocks = blocks; self.batch = batch; self.samples = samples
            self.baseDrop = baseDrop; self.drop = drop; self.phases = phases; self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("loss", "mean training cross-entropy over the last epoch, no drop-path", mayBeUndefined: true),
        MetricSpec("loss_drop", "the same with drop-path", mayBeUndefined: true),
        MetricSpec("test_acc", "test accuracy, no drop-path"),
        MetricSpec("test_acc_drop", "test accuracy, drop-path arm (evaluated without dropping)"),
        MetricSpec("cka_offdiag_mean", "mean off-diagonal linear CKA between the residual states of the blocks, no drop-path",
                   mayBeUndefined: true),
        MetricSpec("cka_offdiag_mean_drop", "the same with drop-path (higher = more block-recurrent)", mayBeUndefined: true),
        MetricSpec("cka_adjacent_mean", "mean CKA of neighbouring blocks, no drop-path", mayBeUndefined: true),
        MetricSpec("cka_adjacent_mean_drop", "mean CKA of neighbouring blocks, drop-path", mayBeUndefined: true),
        MetricSpec("phase_cut", "first block of the second phase of the best contiguous partition, no drop-path",
                   mayBeUndefined: true),
        MetricSpec("phase_cut_drop", "the same with drop-path", mayBeUndefined: true),
        MetricSpec("phase_score", "mean within-phase CKA of the best partition, no drop-path", mayBeUndefined: true),
        MetricSpec("phase_score_drop", "the same with drop-path", mayBeUndefined: true),
        MetricSpec("update_norm_early", "mean relative update ‖f_l‖/‖h_l‖ of the first third of the blocks, no drop-path"),
        MetricSpec("update_norm_late", "mean relative update of the last third of the blocks, no drop-path"),
        MetricSpec("update_norm_late_drop", "mean relative update of the last third of the blocks, drop-path"),
        MetricSpec("epochs", "training epochs completed"),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("cka", "block x block linear CKA of the residual states on the test digits, no drop-path"),
        ViewSpec("cka_drop", "block x block linear CKA with drop-path"),
        ViewSpec("update_norms", "relative update ‖f_l‖/‖h_l‖ per block, both arms"),
        ViewSpec("phases", "phase cuts, CKA summaries and test accuracy of both arms"),
    ]

    /// One trained network with its optimiser state and last epoch's observables.
    struct Arm: Sendable {
        var theta: [Float]
        var net: ResidualMLP
        var state: DynamicsRuleState
        var drop: Float
        var rng: RNG
        var lossSum = 0.0
        var lossCount = 0
        var loss = Double.nan
        var testAcc = Double.nan
        var cka: [Double] = []
        var cuts: [Int] = []
        var phaseScore = Double.nan
        var relative: [Double] = []

        /// One minibatch: drop factors, forward, backward and the rule's update.
        mutating func train(x: Matrix, labels: [Int], blocks: Int, rule: any DynamicsRule, mask: [Float], grad: inout [Float]) {
            let b = x.rows
            var keep: [Float]? = nil
            if drop > 0 {
                let scale = 1 / (1 - drop)
                keep = (0..<(blocks * b)).map { _ in rng.uniform() < drop ? 0 : scale }
            }
            net.forward(theta, x: x, keep: keep)
            let l = net.backward(theta, x: x, labels: labels, into: &grad)
            lossSum += Double(l) * Double(b)
            lossCount += b
            rule.update(&theta, gradient: grad, mask: mask, state: &state)
        }

        /// The evaluation results of `other` (same weights).
        mutating func copyObservables(from other: Arm) {
            testAcc = other.testAcc
            cka = other.cka
            cuts = other.cuts
            phaseScore = other.phaseScore
            relative = other.relative
        }

        /// Test accuracy, the CKA matrix of h_1..h_L and the relative updates on `test`.
        mutating func evaluate(_ test: Dataset, blocks: Int) {
            net.forward(theta, x: test.x)
            testAcc = net.accuracy(test.labels)
            let states = (1...blocks).map { net.state($0) }
            cka = CKA.matrix(states)
            relative = (0..<blocks).map { net.relativeUpdate($0) }
        }
    }

    public let config: Config
    public let metricNames = BlockRecurrentSimulation.metricSpecs.map(\.name)
    public let viewNames = BlockRecurrentSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  h_{l+1} = h_l + m_l f_l(LN(h_l)), m_l = 0 w.p. p else 1/(1-p)"
    }

    private var rules: [any DynamicsRule]
    private var arms: [Arm]
    private var phases: Int
    private let train: Dataset
    private let test: Dataset
    private let mask: [Float]
    private var order: [Int]
    private var cursor = 0
    private var dataRNG: RNG
    private var grad: [Float]
    private let stepsPerEpoch: Int
    public private(set) var epochs = 0

    public init(config: Config, seed: UInt64) {
        precondition(config.batch >= 1 && config.samples >= 1 && (1...config.blocks).contains(config.phases))
        self.config = config
        let root = RNG(seed: seed)
        let split = Digits.split()
        let n = min(config.samples, split.train.count)
        train = split.train.slice(0..<n)
        test = split.test
        let capacity = max(config.batch, test.count)
        let net = ResidualMLP(inputs: 64, width: config.width, hidden: config.hidden, blocks: config.blocks, classes: 10,
                              capacity: capacity)
        var initRNG = root.stream("init")
        let theta = net.initialParameters(rng: &initRNG)
        arms = [config.baseDrop, config.drop].enumerated().map { k, p in
            Arm(theta: theta, net: net, state: DynamicsRuleState(count: theta.count), drop: p, rng: root.stream("drop-path \(k)"))
        }
        mask = [Float](repeating: 1, count: theta.count)
        grad = mask
        rules = config.rules
        activeRule = config.start
        phases = config.phases
        dataRNG = root.stream("data")
        order = Array(0..<n)
        dataRNG.shuffle(&order)
        stepsPerEpoch = (n + config.batch - 1) / config.batch
        // Both arms start from the same weights: one evaluation serves both.
        evaluate(0)
        arms[1].copyObservables(from: arms[0])
    }

    public var controls: [Control] {
        [Control(name: "drop_path", value: Double(arms[1].drop), range: 0...0.9, step: 0.05),
         Control(name: "phases", value: Double(phases), range: 1...Double(min(4, config.blocks)), step: 1),
         Control(name: "eta", value: Double(rules[activeRule].eta), range: 0.0001...0.01, step: 0.0001)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "drop_path": arms[1].drop = Float(value)
        case "phases":
            phases = Int(value.rounded())
            for k in arms.indices { findPhases(k) }
        default: rules[activeRule].eta = Float(value)
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        for k in arms.indices { arms[k].state = DynamicsRuleState(count: arms[k].theta.count) }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            trainStep()
            step += 1
        }
    }

    /// One minibatch through both arms; at the end of an epoch, the evaluation and a new order.
    private mutating func trainStep() {
        let b = min(config.batch, order.count - cursor)
        let rows = Array(order[cursor..<(cursor + b)])
        let x = Matrix(rows: b, cols: train.features) { i, j in train.x[rows[i], j] }
        let labels = rows.map { train.labels[$0] }
        for k in arms.indices {
            arms[k].train(x: x, labels: labels, blocks: config.blocks, rule: rules[activeRule], mask: mask, grad: &grad)
        }
        cursor += b
        if cursor == order.count {
            cursor = 0
            epochs += 1
            dataRNG.shuffle(&order)
            for k in arms.indices {
                arms[k].loss = arms[k].lossCount > 0 ? arms[k].lossSum / Double(arms[k].lossCount) : .nan
                arms[k].lossSum = 0
                arms[k].lossCount = 0
                evaluate(k)
            }
        }
    }

    /// Test accuracy, the CKA matrix of h_1..h_L, the phases and the relative updates of arm k.
    private mutating func evaluate(_ k: Int) {
        arms[k].evaluate(test, blocks: config.blocks)
        findPhases(k)
    }

    private mutating func findPhases(_ k: Int) {
        let best = LayerPhases.best(arms[k].cka, layers: config.blocks, phases: phases)
        arms[k].cuts = best.cuts
        arms[k].phaseScore = best.score
    }

    /// Mean of the relative updates over the first or last third of the blocks.
    private func updateNorm(_ k: Int, late: Bool) -> Double {
        let r = arms[k].relative, third = max(1, r.count / 3)
        let part = late ? r.suffix(third) : r.prefix(third)
        return part.reduce(0, +) / Double(part.count)
    }

    public mutating func measure() -> [Double] {
        let l = config.blocks
        func cut(_ k: Int) -> Double { arms[k].cuts.first.map { Double($0 + 1) } ?? .nan }
        return [arms[0].loss, arms[1].loss, arms[0].testAcc, arms[1].testAcc,
                LayerPhases.offDiagonalMean(arms[0].cka, layers: l), LayerPhases.offDiagonalMean(arms[1].cka, layers: l),
                LayerPhases.adjacentMean(arms[0].cka, layers: l), LayerPhases.adjacentMean(arms[1].cka, layers: l),
                cut(0), cut(1), arms[0].phaseScore, arms[1].phaseScore,
                updateNorm(0, late: false), updateNorm(0, late: true), updateNorm(1, late: true), Double(epochs)]
    }

    /// Lower end of the CKA colour scale: the residual streams are similar everywhere, so the
    /// map spans [0.8, 1] to resolve the phase structure (lower values clamp to the bottom colour).
    public static let ckaFloor: Float = 0.8

    public func views() -> [String: PanelView] {
        let l = config.blocks
        func heat(_ k: Int) -> PanelView {
            .heatmap(HeatmapView(rows: l, cols: l, values: arms[k].cka.map { $0.isFinite ? Float($0) : Self.ckaFloor },
                                 scale: .fixed(Self.ckaFloor, 1)))
        }
        let xs = (1...l).map(Float.init)
        let norms = TracesView(names: ["p = \(NumberFormat.value(Double(arms[0].drop)))",
                                       "p = \(NumberFormat.value(Double(arms[1].drop)))"],
                               series: arms.map { $0.relative.map(Float.init) }, unit: "|f|/|h|",
                               xs: [xs, xs], xLabel: "block")
        func describe(_ k: Int) -> String {
            let a = arms[k]
            let bounds = [0] + a.cuts + [l]
            let segs = (0..<(bounds.count - 1)).map { "\(bounds[$0] + 1)-\(bounds[$0 + 1])" }.joined(separator: " | ")
            return "p = \(NumberFormat.value(Double(a.drop)))  phases \(segs)  within \(NumberFormat.value(a.phaseScore))  "
                + "offdiag \(NumberFormat.value(LayerPhases.offDiagonalMean(a.cka, layers: l)))  "
                + "test_acc \(NumberFormat.value(a.testAcc))"
        }
        let text = """
            epoch \(epochs)   CKA of h_1..h_\(l) on \(test.count) test digits, colour scale [\(NumberFormat.value(Double(Self.ckaFloor))), 1]
            \(describe(0))
            \(describe(1))
            """
        return ["cka": heat(0), "cka_drop": heat(1), "update_norms": .traces(norms), "phases": .text(text)]
    }

    public func probe() -> [Factor] {
        [Factor("p", Double(arms[1].drop)), Factor("cka_offdiag p=0", LayerPhases.offDiagonalMean(arms[0].cka, layers: config.blocks)),
         Factor("cka_offdiag drop", LayerPhases.offDiagonalMean(arms[1].cka, layers: config.blocks)),
         Factor("test_acc", arms[0].testAcc), Factor("test_acc drop", arms[1].testAcc)]
    }
}
