import SynCore

/// Brain modes by per-neuron thresholds and gains (scene `taugate`, science page 12;
/// Ghasemlou, arXiv 2602.11726, gate reconstructed). Phase 1 trains a small ReLU foundation
/// (`GatedMLP` with gates off) by SGD on a 50/50 mix of upright and rotated digits; at
/// `foundationSteps` it is frozen and copied into one arm per mode-tuning rule (foundation,
/// bias-only, TauGate, LoRA, full fine-tuning), which then all train in parallel on the same
/// rotated minibatches. One step = one minibatch; the big step is one epoch of the phase.
public struct TauGateSimulation: Simulation {
    public struct Config: Sendable {
        /// Hidden widths (two or more layers).
        public var hidden: [Int]
        public var angleDegrees: Double
        public var foundationSteps: Int
        public var foundationEta: Float
        public var batch: Int
        public var temperature: Float
        public var rules: [any ModeTuningRule]
        public var start: Int
        public init(hidden: [Int] = [16, 16], angleDegrees: Double = 45, foundationSteps: Int = 1500, foundationEta: Float = 0.05,
                    batch: Int = 64, temperature: Float = 0.3, rules: [any ModeTuningRule], start: Int = 0) {
            self.hidden = hidden; self.angleDegrees = angleDegrees; self.foundationSteps = foundationSteps
            self.foundationEta = foundationEta; self.batch = batch; self.temperature = temperature
            self.rules = rules; self.start = start
        }
    }

    /// Metrics of a configuration whose arms are `rules`.
    public static func metricSpecs(rules: [String]) -> [MetricSpec] {
        rules.map { MetricSpec("acc_rotated_\($0)", "rotated test accuracy of the \($0) arm (inference gate)") }
            + rules.map { MetricSpec("acc_upright_\($0)", "upright test accuracy of the \($0) arm with its mode on") }
            + [MetricSpec("open_fraction", "fraction of hidden activities > 0 on rotated test digits, active arm"),
               MetricSpec("trainable_params", "parameters the active arm trains"),
               MetricSpec("loss", "training cross-entropy of the last minibatch, active arm (the foundation's in phase 1); NaN before the first", mayBeUndefined: true)]
    }
    public static let metricCatalog = metricSpecs(rules: ModeTuningRules.registry.rules.map(\.name))
    public static let viewSpecs = [
        ViewSpec("gates", "open hidden units (rows: layer-1 then layer-2 neurons) x the first 64 rotated test digits, active arm"),
        ViewSpec("modulators", "per-neuron threshold tau (row 1) and gain - 1 (row 2) of the TauGate arm"),
        ViewSpec("attribution", "mean activity of each hidden neuron per digit class (rows: neurons, cols: 0-9), active arm"),
        ViewSpec("preview", "a test digit upright and rotated"),
    ]
    static let shownDigits = 64

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var ruleStateViewNames: [String] { ["gates", "attribution"] }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: max(1, rotatedTrain.count / config.batch)) }
    public var ruleEquation: String {
        step < config.foundationSteps
            ? "phase 1, foundation: W <- W - \(config.foundationEta) dL/dW on upright + rotated digits (frozen at step \(config.foundationSteps))"
            : config.rules[activeRule].equation
    }
    public var events: [SimulationEvent] {
        step >= config.foundationSteps ? [SimulationEvent(step: config.foundationSteps, label: "freeze")] : []
    }

    private let mixTrain: Dataset
    private let rotatedTrain: Dataset
    private let uprightTest: Dataset
    private let rotatedTest: Dataset
    private var foundation: GatedMLP
    private var arms: [GatedMLP] = []
    private var batchRNG: RNG
    private let adapterRNG: RNG
    private var lastLoss: [Float]
    private var temperature: Float
    private var hardInference = true
    private var modeOn = true

    public init(config: Config, seed: UInt64, train: Dataset, test: Dataset) {
        precondition(config.hidden.count >= 2 && config.rules.indices.contains(config.start) && config.batch >= 1)
        self.config = config
        activeRule = config.start
        temperature = config.temperature
        metricNames = Self.metricSpecs(rules: config.rules.map(\.name)).map(\.name)
        let rotTrain = DigitTransforms.rotated(train, degrees: config.angleDegrees)
        rotatedTrain = rotTrain
        var mix = train
        mix.x = Matrix(rows: 2 * train.count, cols: train.features, storage: train.x.storage + rotTrain.x.storage)
        mix.labels = train.labels + rotTrain.labels
        mixTrain = mix
        uprightTest = test
        rotatedTest = DigitTransforms.rotated(test, degrees: config.angleDegrees)
        let root = RNG(seed: seed)
        var wrng = root.stream("weights")
        foundation = GatedMLP(sizes: [train.features] + config.hidden + [train.classes], rng: &wrng)
        batchRNG = root.stream("batches")
        adapterRNG = root.stream("adapters")
        lastLoss = [Float](repeating: .nan, count: config.rules.count)
    }

    private var inferenceGate: GatedMLP.Gate { hardInference ? .hard : .soft(temperature: temperature) }

    public var controls: [Control] {
        [Control(name: "temperature", value: Double(temperature), range: 0.05...2, step: 0.05),
         Control(name: "inference_gate", value: hardInference ? 0 : 1, range: 0...1, step: 1, labels: ["hard", "soft"]),
         Control(name: "mode", value: modeOn ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"])]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "temperature": temperature = Float(value)
        case "inference_gate": hardInference = value.rounded() == 0
        default: modeOn = value.rounded() == 1
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    private mutating func batch(from data: Dataset) -> (Matrix, [Int]) {
        let f = data.features, n = config.batch
        var x = [Float](repeating: 0, count: n * f), y = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let r = batchRNG.int(below: data.count)
            y[i] = data.labels[r]
            for j in 0..<f { x[i * f + j] = data.x.storage[r * f + j] }
        }
        return (Matrix(rows: n, cols: f, storage: x), y)
    }

    /// Freezes the foundation into one arm per rule (each rule binds its own state).
    private mutating func freeze() {
        var rng = adapterRNG
        arms = config.rules.map { rule in
            var net = foundation
            rule.bind(&net, rng: &rng)
            return net
        }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            if step < config.foundationSteps {
                let (x, y) = batch(from: mixTrain)
                foundation.forward(x, gate: .off)
                let (loss, g) = foundation.backward(labels: y)
                FullFineTuneMode(RuleParameterValues(FullFineTuneMode.parameters, given: ["eta": Double(config.foundationEta)]))
                    .apply(g, to: &foundation)
                for k in lastLoss.indices { lastLoss[k] = loss }
            } else {
                if arms.isEmpty { freeze() }
                let (x, y) = batch(from: rotatedTrain)
                for k in arms.indices {
                    let rule = config.rules[k]
                    arms[k].forward(x, gate: rule.usesGates ? .soft(temperature: temperature) : .off)
                    let (loss, g) = arms[k].backward(labels: y)
                    rule.apply(g, to: &arms[k])
                    lastLoss[k] = loss
                }
            }
            step += 1
        }
    }

    /// The network of arm k as evaluated now (the foundation before the freeze or with the
    /// mode switched off), with its inference gate.
    private func evaluated(_ k: Int) -> (GatedMLP, GatedMLP.Gate) {
        guard modeOn, arms.indices.contains(k) else { return (foundation, .off) }
        return (arms[k], config.rules[k].usesGates ? inferenceGate : .off)
    }

    public mutating func measure() -> [Double] {
        var rot: [Double] = [], up: [Double] = []
        var open = Double.nan
        for k in config.rules.indices {
            var (net, gate) = evaluated(k)
            let r = net.evaluate(rotatedTest.x, labels: rotatedTest.labels, gate: gate)
            rot.append(r.accuracy)
            up.append(net.evaluate(uprightTest.x, labels: uprightTest.labels, gate: gate).accuracy)
            if k == activeRule { open = r.open }
        }
        let trainable = arms.indices.contains(activeRule) ? config.rules[activeRule].trainableCount(arms[activeRule]) : 0
        return rot + up + [open, Double(trainable), Double(lastLoss[activeRule])]
    }

    public func views() -> [String: PanelView] {
        var (net, gate) = evaluated(activeRule)
        let n = min(Self.shownDigits, rotatedTest.count), f = rotatedTest.features
        let x = Matrix(rows: n, cols: f, storage: Array(rotatedTest.x.storage[0..<(n * f)]))
        net.forward(x, gate: gate)
        let units = net.hiddenUnits
        var open = [Float](repeating: 0, count: units * n)
        var row = 0
        for l in 1...net.hiddenLayers {
            let c = net.sizes[l]
            for j in 0..<c { for i in 0..<n { open[(row + j) * n + i] = net.h[l].storage[i * c + j] > 0 ? 1 : 0 } }
            row += c
        }
        // Class-mean activity of every hidden neuron over the rotated test set.
        net.forward(rotatedTest.x, gate: gate)
        var attribution = [Float](repeating: 0, count: units * 10)
        var counts = [Float](repeating: 0, count: 10)
        for y in rotatedTest.labels where y < 10 { counts[y] += 1 }
        row = 0
        for l in 1...net.hiddenLayers {
            let c = net.sizes[l]
            for i in 0..<rotatedTest.count where rotatedTest.labels[i] < 10 {
                let y = rotatedTest.labels[i]
                for j in 0..<c { attribution[(row + j) * 10 + y] += net.h[l].storage[i * c + j] / max(1, counts[y]) }
            }
            row += c
        }
        let tg = config.rules.firstIndex { $0.usesGates }
        let mod = tg.flatMap { arms.indices.contains($0) ? arms[$0] : nil } ?? foundation
        let taus = mod.tau.flatMap { $0 }, gains = mod.gain.flatMap { $0 }.map { $0 - 1 }
        let m = max((taus + gains).map(abs).max() ?? 0, 1e-3)
        let preview = Array(uprightTest.x.storage[0..<64]) + Array(rotatedTest.x.storage[0..<64])
        return [
            "gates": .heatmap(HeatmapView(rows: units, cols: n, values: open, scale: .fixed(0, 1))),
            "modulators": .heatmap(HeatmapView(rows: 2, cols: units, values: taus + gains, scale: .symmetric(m))),
            "attribution": .heatmap(HeatmapView(rows: units, cols: 10, values: attribution,
                                                scale: .fixed(0, max(attribution.max() ?? 0, 1e-3)))),
            "preview": .heatmap(HeatmapView(rows: 2, cols: 64, values: preview, tile: TileShape(rows: 8, cols: 8), scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        guard arms.indices.contains(activeRule) else { return [Factor("phase", 1)] }
        let net = arms[activeRule]
        return [Factor("tau_1[0]", Double(net.tau[0][0])), Factor("g_1[0]", Double(net.gain[0][0])),
                Factor("T", Double(temperature)), Factor("loss", Double(lastLoss[activeRule]))]
    }
}
