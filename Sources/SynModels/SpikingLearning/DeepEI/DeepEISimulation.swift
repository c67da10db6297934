import SynCore

/// Configuration of the deep E-I experiment (science page 26, smallest experiment).
public struct DeepEIConfig: Sendable, Equatable {
    /// Layers (weight matrices): depth − 1 spiking hidden layers and the read-out.
    public var depth = 8
    /// Hidden width n_E (n_I = n_E / 4 interneurons in the E-I arm).
    public var width = 128
    public var timeSteps = 4
    /// Membrane time constant in steps.
    public var tau: Float = 2
    public var threshold: Float = 1
    public var batch = 64
    /// E-I Init (else the positive uniform fallback).
    public var eiInit = true
    /// E-I Prop (zero replacement in I_sh and W_EI's gradient / d).
    public var eiProp = true
    /// Test digits in the rasters.
    public var rasterDigits = 8
    /// Neurons per layer in the rasters.
    public var rasterNeurons = 32

    public static let depthRange = 2...10
    public init() {}
}

/// Three deep LIF MLPs on the 8x8 digits side by side — plain, batch-normalised and E-I
/// circuit (`DeepSpikingNetwork`) — trained on the same mini-batches by BPTT with the rule's
/// surrogate spike derivative and Adam (rate η). One step = one mini-batch update of every arm
/// (order shuffled each epoch, `RNG` stream "order"); `measure` classifies every test digit with
/// each arm and reports per-layer firing rates. The depth control rebuilds all three arms
/// (fresh weights from the seed), `ei_init` rebuilds the E-I arm, `ei_prop` acts live.
public struct DeepEISimulation: Simulation {
    public private(set) var config: DeepEIConfig
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let rules: [any SurrogateGradient]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    public private(set) var arms: [DeepSpikingNetwork] = []
    let train: Dataset
    let test: Dataset
    let seed: UInt64
    var orderRNG: RNG
    var order: [Int]
    var position = 0
    var lossSum: [Double]
    var seen = 0
    var lastTest: [DeepSpikingNetwork.Pass] = []

    public init(config: DeepEIConfig, rules: [any SurrogateGradient], names: [String], start: Int, seed: UInt64,
                data: (train: Dataset, test: Dataset) = Digits.split()) {
        precondition(!rules.isEmpty && rules.count == names.count && DeepEIConfig.depthRange.contains(config.depth))
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        train = data.train
        test = data.test
        self.seed = seed
        orderRNG = RNG(seed: seed).stream("order")
        order = Array(0..<train.count)
        lossSum = [Double](repeating: 0, count: DeepEIArm.allCases.count)
        arms = DeepEIArm.allCases.map(build)
    }

    /// An arm with fresh weights from the seed ("init" stream per arm; E-I Init uses a batch of
    /// training digits drawn from the "init-batch" stream).
    private func build(_ arm: DeepEIArm) -> DeepSpikingNetwork {
        let root = RNG(seed: seed)
        var rng = root.stream("init").stream(arm.rawValue)
        var pick = root.stream("init-batch")
        var batch: [Float] = []
        for _ in 0..<config.batch { batch.append(contentsOf: train.sample(pick.int(below: train.count))) }
        let sizes = [train.features] + [Int](repeating: config.width, count: config.depth - 1) + [train.classes]
        return DeepSpikingNetwork(arm: arm, sizes: sizes, steps: config.timeSteps, lif: SoftResetLIF(tau: config.tau, threshold: config.threshold),
                                  eiInit: config.eiInit, eiProp: config.eiProp, initBatch: batch, rng: &rng)
    }

    /// Hidden layers with a rate metric (the deepest network of the depth control).
    public static let maxHidden = DeepEIConfig.depthRange.upperBound - 1

    public static let metrics: [MetricSpec] = {
        var m: [MetricSpec] = []
        for a in [DeepEIArm.eiCircuit, .plain, .batchNorm] {
            m.append(MetricSpec("loss" + a.suffix, unit: "nats", "mean training cross-entropy of the \(a.label) arm since the last row (NaN before the first)",
                                mayBeUndefined: true))
        }
        for a in [DeepEIArm.eiCircuit, .plain, .batchNorm] {
            m.append(MetricSpec("test_acc" + a.suffix, "test digits the \(a.label) arm classifies right"))
        }
        for a in [DeepEIArm.eiCircuit, .plain, .batchNorm] {
            for k in 1...maxHidden {
                m.append(MetricSpec("rate_layer_\(k)" + a.suffix, "spikes per neuron per step of hidden layer \(k) of the \(a.label) arm on the test digits (NaN beyond the depth)",
                                    mayBeUndefined: true))
            }
        }
        return m
    }()

    public static let views = [
        ViewSpec("raster_plain", "plain arm: spikes of every hidden layer (top = first), test digits x T steps"),
        ViewSpec("raster_bn", "BN arm: spikes of every hidden layer (top = first), test digits x T steps"),
        ViewSpec("raster_ei", "E-I arm: spikes of every hidden layer (top = first), test digits x T steps"),
        ViewSpec("rates", "firing rate per hidden layer of each arm (x = layer)"),
        ViewSpec("rate_bars", "E-I arm: firing rate per hidden layer as bars (spikes per neuron per step x 1000)"),
        ViewSpec("balance", "E-I arm: I_EE against I_EI of excitatory units (first, middle, last hidden layer) with the balance line"),
        ViewSpec("shunt", "E-I arm: histogram of the shunting current I_sh over all hidden layers"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var stepsPerEpoch: Int { (train.count + config.batch - 1) / config.batch }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var rule: any SurrogateGradient { rules[activeRule] }

    public var ruleEquation: String {
        rule.equation + "; LIF H = V − V/τ + I, soft reset V = H − S V_th, τ = \(config.tau) steps, T = \(config.timeSteps); depth \(config.depth); "
            + "E-I Init \(config.eiInit ? "on" : "off"), E-I Prop \(config.eiProp ? "on" : "off")"
    }

    var optimiser: AdamW {
        AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": Double(rule.eta), "weight_decay": 0]))
    }

    /// The next mini-batch's training indices (a fresh shuffle at the start of every epoch).
    private mutating func nextBatch() -> [Int] {
        (0..<config.batch).map { _ in
            if position == 0 { orderRNG.shuffle(&order) }
            defer { position = (position + 1) % order.count }
            return order[position]
        }
    }

    public mutating func advance(_ steps: Int) {
        let adam = optimiser
        for _ in 0..<max(0, steps) {
            let picked = nextBatch()
            let x = picked.flatMap { train.sample($0) }, labels = picked.map { train.labels[$0] }
            for a in arms.indices {
                let pass = arms[a].forward(x, batch: config.batch, training: true)
                let r = arms[a].gradients(pass, labels: labels, surrogate: rule)
                arms[a].apply(adam, r.groups)
                lossSum[a] += Double(r.loss)
            }
            seen += 1
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        var loss = [Double](repeating: .nan, count: arms.count), acc = loss
        lastTest = []
        for a in arms.indices {
            if seen > 0 { loss[a] = lossSum[a] / Double(seen) }
            let pass = arms[a].forward(test.x.storage, batch: test.count, training: false)
            let right = zip(arms[a].predictions(pass), test.labels).filter { $0 == $1 }.count
            acc[a] = Double(right) / Double(max(1, test.count))
            lastTest.append(pass)
        }
        lossSum = lossSum.map { _ in 0 }
        seen = 0
        let order = [DeepEIArm.eiCircuit, .plain, .batchNorm].map(\.rawValue)
        var row = order.map { loss[$0] } + order.map { acc[$0] }
        for a in order {
            for k in 1...Self.maxHidden { row.append(k < config.depth ? lastTest[a].rate(k) : .nan) }
        }
        return row
    }

    /// Fresh Adam moments for the new surrogate (the weights stay).
    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        for a in arms.indices { arms[a].resetOptimiser() }
    }

    /// The live controls.
    enum ControlName: String {
        case depth, eiInit = "ei_init", eiProp = "ei_prop"
    }

    public var controls: [Control] {
        let depths = DeepEIConfig.depthRange
        return [Control(name: ControlName.depth.rawValue, value: Double(config.depth), range: Double(depths.lowerBound)...Double(depths.upperBound), step: 1),
                Control(name: ControlName.eiInit.rawValue, value: config.eiInit ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
                Control(name: ControlName.eiProp.rawValue, value: config.eiProp ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"])]
    }

    /// `depth` rebuilds all three arms (fresh weights from the seed, fresh Adam moments),
    /// `ei_init` rebuilds the E-I arm, `ei_prop` changes the E-I arm's next updates.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        guard let control = ControlName(rawValue: name) else { return "unknown control '\(name)'" }
        switch control {
        case .depth:
            let depth = Int(value.rounded())
            guard depth != config.depth else { return nil }
            config.depth = depth
            arms = DeepEIArm.allCases.map(build)
            lastTest = []
        case .eiInit:
            let on = value >= 0.5
            guard on != config.eiInit else { return nil }
            config.eiInit = on
            arms[DeepEIArm.eiCircuit.rawValue] = build(.eiCircuit)
            lastTest = []
        case .eiProp:
            config.eiProp = value >= 0.5
            for a in arms.indices { arms[a].eiProp = config.eiProp }
        }
        return nil
    }

    public func views() -> [String: PanelView] {
        var v: [String: PanelView] = [:]
        for arm in DeepEIArm.allCases {
            v["raster_" + (arm == .eiCircuit ? "ei" : arm == .plain ? "plain" : "bn")] = .raster(raster(arm))
        }
        let xs = (1..<config.depth).map { Float($0) }
        v["rates"] = .traces(TracesView(names: DeepEIArm.allCases.map(\.label),
                                        series: DeepEIArm.allCases.map { a in xs.map { Float(lastTest.indices.contains(a.rawValue) ? lastTest[a.rawValue].rate(Int($0)) : .nan) } },
                                        unit: "spikes/step", xs: DeepEIArm.allCases.map { _ in xs }, xLabel: "hidden layer"))
        let ei = lastTest.indices.contains(DeepEIArm.eiCircuit.rawValue) ? lastTest[DeepEIArm.eiCircuit.rawValue] : nil
        let counts = (1..<config.depth).map { l in Int(((ei?.rate(l) ?? 0).isFinite ? (ei?.rate(l) ?? 0) : 0) * 1000) }
        v["rate_bars"] = .histogram(HistogramView(counts: counts, lower: 1, upper: Double(max(1, config.depth - 1)),
                                                  label: "spikes/step x1000, h1…h\(config.depth - 1)"))
        v["balance"] = .traces(balance(ei))
        var sh: [Float] = []
        if let ei { for c in ei.circuit where !c.iSh.isEmpty { sh.append(contentsOf: c.iSh.prefix(4096)) } }
        let upper = Double(sh.filter(\.isFinite).max() ?? 1)
        v["shunt"] = .histogram(HistogramView(binning: sh, lower: 0, upper: upper > 0 ? upper : 1, bins: 24, label: "I_sh (hidden layers, test digits)"))
        return v
    }

    private func raster(_ arm: DeepEIArm) -> RasterView {
        let T = config.timeSteps, per = min(config.rasterNeurons, config.width), hidden = config.depth - 1
        let digits = min(config.rasterDigits, test.count)
        var steps: [Int32] = [], neurons: [Int32] = [], groups: [NeuronGroupLabel] = []
        for l in 1...hidden {
            let base = (l - 1) * per
            groups.append(NeuronGroupLabel(name: "h\(l)", range: base..<(base + per)))
            guard lastTest.indices.contains(arm.rawValue) else { continue }
            let p = lastTest[arm.rawValue], B = p.batch, n = config.width
            guard p.blocks.indices.contains(l) else { continue }
            for b in 0..<min(digits, B) {
                for t in 0..<T {
                    for i in 0..<per where p.blocks[l][(t * B + b) * n + i] >= 0.5 {
                        steps.append(Int32(b * T + t))
                        neurons.append(Int32(base + i))
                    }
                }
            }
        }
        return RasterView(neuronCount: hidden * per, fromStep: 0, toStep: digits * T, dt: 1, steps: steps, neurons: neurons, groups: groups)
    }

    /// I_EE against I_EI for the first 40 units of 4 test digits at the last step, in three
    /// hidden layers; points separated by NaN so each is drawn alone.
    private func balance(_ ei: DeepSpikingNetwork.Pass?) -> TracesView {
        let hidden = config.depth - 1
        let chosen = Array(Set([1, (hidden + 1) / 2, hidden])).sorted()
        var names: [String] = [], xs: [[Float]] = [], ys: [[Float]] = []
        var lo = Float.infinity, hi = -Float.infinity
        for l in chosen {
            var px: [Float] = [], py: [Float] = []
            if let ei, ei.circuit.indices.contains(l - 1) {
                let c = ei.circuit[l - 1], n = config.width, B = ei.batch, t = config.timeSteps - 1
                for b in 0..<min(4, B) {
                    for j in 0..<min(40, n) {
                        let k = (t * B + b) * n + j
                        px.append(c.iEE[k]); py.append(c.iEI[k])
                        px.append(.nan); py.append(.nan)
                        lo = min(lo, c.iEE[k], c.iEI[k]); hi = max(hi, c.iEE[k], c.iEI[k])
                    }
                }
            }
            names.append("h\(l)")
            xs.append(px)
            ys.append(py)
        }
        if lo.isFinite && hi.isFinite {
            names.append("I_EE = I_EI")
            xs.append([lo, hi])
            ys.append([lo, hi])
        }
        return TracesView(names: names, series: ys, unit: "I_EI", xs: xs, xLabel: "I_EE")
    }

    public func probe() -> [Factor] {
        guard let ei = lastTest.last, let c = ei.circuit.first, !c.iSh.isEmpty else { return [] }
        let net = arms[DeepEIArm.eiCircuit.rawValue], layer = net.circuits[0]
        return [Factor("E-I h1 unit 0, test digit 0, t=0: I_EE", Double(c.iEE[0])), Factor("I_EI", Double(c.iEI[0])),
                Factor("I_sh", Double(c.iSh[0])), Factor("g_I[0]", Double(layer.params[layer.gainI])),
                Factor("g_E[0]", Double(layer.params[layer.gainE])), Factor("H", Double(ei.h.first?.first ?? .nan))]
    }
}
