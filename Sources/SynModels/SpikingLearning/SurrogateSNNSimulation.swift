import SynCore

/// Configuration of the surrogate-gradient spiking network on digits (Tavanaei et al. 2019,
/// gradient family; the science page's experiment B).
public struct SurrogateSNNConfig: Sendable, Equatable {
    /// Hidden (spiking) layer widths; the read-out has 10 units.
    public var hidden = [128]
    /// Time steps per digit.
    public var timeSteps = 4
    /// Membrane time constant in steps.
    public var tau: Float = 2
    public var threshold: Float = 1
    public var batch = 32
    /// Initial weights N(0, (gain)² / fan_in).
    public var gain: Float = 3
    public var detachReset = false
    /// Test digits shown in the raster.
    public var rasterDigits = 24

    public init() {}
}

/// A LIF network (`SpikingMLP`) trained with BPTT and a surrogate spike derivative on the 8x8
/// digits (pixels / 16 as a constant input current for T steps). One step = one mini-batch
/// update (shuffled each epoch, `RNG` stream "order"); `measure` reports the mean training loss
/// and accuracy since the last row and classifies every test digit.
public struct SurrogateSNNSimulation: Simulation {
    public let config: SurrogateSNNConfig
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let rules: [any SurrogateGradient]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    public private(set) var network: SpikingMLP
    let train: Dataset
    let test: Dataset
    var optimizer = MLPOptimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    var moments: MLPOptimizer.State
    var orderRNG: RNG
    var order: [Int]
    var position = 0
    var lossSum = 0.0
    var rightSum = 0
    var seen = 0
    var lastTestTape: SpikingMLP.Tape?

    public init(config: SurrogateSNNConfig, rules: [any SurrogateGradient], names: [String], start: Int, seed: UInt64,
                data: (train: Dataset, test: Dataset) = Digits.split()) {
        precondition(!rules.isEmpty && rules.count == names.count)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        train = data.train
        test = data.test
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        network = SpikingMLP(sizes: [train.features] + config.hidden + [train.classes], steps: config.timeSteps, tau: config.tau,
                             threshold: config.threshold, gain: config.gain, detachReset: config.detachReset, rng: &initRNG)
        moments = MLPOptimizer.State(count: network.net.layout.paramCount)
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
    }

    public static let metrics = [
        MetricSpec("loss", unit: "nats", "mean training cross-entropy of the batches since the last row (NaN before the first)",
                   mayBeUndefined: true),
        MetricSpec("train_acc", "training batches classified right since the last row (NaN before the first)", mayBeUndefined: true),
        MetricSpec("test_acc", "test digits classified right (argmax of the read-out's mean membrane)"),
        MetricSpec("hidden_rate", "spikes per hidden neuron per time step on the test digits"),
    ]
    public static let views = [
        ViewSpec("raster", "hidden spikes for the first test digits, T steps each, digit after digit"),
        ViewSpec("fields", "first hidden layer's input weights as 8x8 tiles"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var stepsPerEpoch: Int { (train.count + config.batch - 1) / config.batch }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var rule: any SurrogateGradient { rules[activeRule] }

    public var ruleEquation: String {
        rule.equation + "; LIF H = V + (I − V)/τ, τ = \(config.tau) steps, V_th = \(config.threshold), T = \(config.timeSteps), reset "
            + (config.detachReset ? "detached" : "in the graph")
    }

    public mutating func advance(_ steps: Int) {
        let d = train.features
        for _ in 0..<max(0, steps) {
            var x = [Float](), labels = [Int]()
            x.reserveCapacity(config.batch * d)
            for _ in 0..<config.batch {
                if position == 0 { orderRNG.shuffle(&order) }
                let i = order[position]
                position = (position + 1) % order.count
                x.append(contentsOf: train.sample(i))
                labels.append(train.labels[i])
            }
            let r = network.lossAndGradient(x, labels: labels, surrogate: rule)
            optimizer.apply(&network.net, grad: r.gradient, scale: 1, eta: rule.eta, state: &moments)
            lossSum += Double(r.loss)
            rightSum += zip(SpikingMLP.predictions(r.tape, classes: train.classes), labels).filter { $0 == $1 }.count
            seen += 1
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let loss = seen > 0 ? lossSum / Double(seen) : .nan
        let trainAcc = seen > 0 ? Double(rightSum) / Double(seen * config.batch) : .nan
        lossSum = 0
        rightSum = 0
        seen = 0
        let tape = network.forward(test.x.storage, batch: test.count, surrogate: rule)
        let right = zip(SpikingMLP.predictions(tape, classes: test.classes), test.labels).filter { $0 == $1 }.count
        var spikes = 0.0, slots = 0.0
        for l in 1..<network.layers {
            spikes += Double(tape.s[l].reduce(0, +))
            slots += Double(tape.s[l].count)
        }
        lastTestTape = tape
        return [loss, trainAcc, Double(right) / Double(max(1, test.count)), slots > 0 ? spikes / slots : 0]
    }

    /// A fresh Adam state for the new rule (the weights stay).
    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        moments.reset()
    }

    public func views() -> [String: PanelView] {
        let sz = network.sizes, T = config.timeSteps
        let digits = min(config.rasterDigits, test.count)
        let hiddenTotal = sz.dropFirst().dropLast().reduce(0, +)
        var steps: [Int32] = [], neurons: [Int32] = []
        var groups: [NeuronGroupLabel] = []
        if let tape = lastTestTape {
            var base = 0
            for l in 1..<network.layers {
                let n = sz[l], B = tape.batch
                for b in 0..<min(digits, B) {
                    for t in 0..<T {
                        for i in 0..<n where tape.s[l][t * B * n + b * n + i] >= 0.5 {
                            steps.append(Int32(b * T + t))
                            neurons.append(Int32(base + i))
                        }
                    }
                }
                groups.append(NeuronGroupLabel(name: "h\(l)", range: base..<(base + n)))
                base += n
            }
        }
        let raster = RasterView(neuronCount: hiddenTotal, fromStep: 0, toStep: digits * T, dt: 1, steps: steps, neurons: neurons, groups: groups)
        let w = network.net.weights(0)
        let m = max(0.05, w.storage.map { abs($0) }.max() ?? 1)
        let tile = train.imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        return [
            "raster": .raster(raster),
            "fields": .heatmap(HeatmapView(rows: w.rows, cols: w.cols, values: w.storage, tile: tile, scale: .symmetric(m))),
        ]
    }

    public func probe() -> [Factor] {
        guard let tape = lastTestTape, network.layers > 1 else { return [] }
        let n = network.sizes[1], h = tape.h[1][0], x = h - config.threshold
        return [Factor("test digit 0, hidden 0: H at t=0", Double(h)), Factor("S", Double(tape.s[1][0])),
                Factor("pseudo-derivative ∂S/∂V", Double(rule.derivative(x))), Factor("hidden width", Double(n))]
    }
}
