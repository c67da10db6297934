import SynCore

/// Configuration of the PSPM experiment (Bagley et al. 2020, science page 10): a recurrent LIF
/// network with delta synapses and frozen Poisson drive. Times in s, potentials and weights in mV.
public struct PSPMConfig: Sendable, Equatable {
    public var neurons = 30
    public var connectionProbability = 0.3
    public var dt = 0.0005
    public var tauM = 0.02
    public var restMV: Float = -65
    public var thresholdMV: Float = -50
    public var resetMV: Float = -65
    public var refractory = 0.002
    /// External Poisson input per neuron (Hz) and its jump (mV per spike).
    public var inputRateHz = 800.0
    public var inputWeightMV: Float = 1
    /// True recurrent weights W_ij ~ N(mean, sd²) (mV per spike) on the connections.
    public var weightMeanMV: Float = 0
    public var weightSDMV: Float = 3
    /// One epoch (s): the target's length and the student's trial.
    public var epoch = 2.0
    /// van Rossum time constant (s).
    public var vanRossumTau = 0.01

    public init() {}

    func steps(_ seconds: Double) -> Int { max(0, Int((seconds / dt).rounded())) }
    public var epochSteps: Int { max(1, steps(epoch)) }
}

/// PSPM (Bagley, Bordelon, Moseley & Wessel 2020): a student network with the teacher's
/// topology and drive but shuffled weights learns to reproduce the teacher's spike trains.
///
/// Build: connections with probability p (no autapses), true weights W* ~ N(μ, σ²) on them;
/// the student's W is W* permuted over the connections; one frozen Poisson input train per
/// neuron for the epoch; the teacher runs once from rest to give the targets. Each step: a
/// neuron's input is its input spikes · w_in plus Σ_j W_ij over presynaptic spikes of the
/// previous step (`WTALayer` without competition: V ← V + (dt/τ_m)(V_rest − V) + I). Each epoch
/// ends with the active `PSPMRule`, metrics against the targets, and the student back at rest.
public struct PSPMSimulation: Simulation, SpikeSource {
    public let config: PSPMConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public let rules: [any PSPMRule]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    public private(set) var weights: Matrix
    public let trueWeights: Matrix
    /// connected[i * N + j]: j → i exists.
    public let connected: [Bool]
    /// Target spike steps per neuron (within an epoch).
    public let target: [[Int]]
    /// Student spike steps of the last complete epoch.
    public private(set) var lastModel: [[Int]]?
    public private(set) var epochs = 0
    public private(set) var recorder: SpikeRecorder
    let initialNorm: [Float]
    let delta: Float
    let input: [UInt8]
    var layer: WTALayer
    var phase = 0
    var epochSpikes: [[Int]]
    var previous = SpikeBuffer(capacity: 32)
    var spikes = SpikeBuffer(capacity: 32)
    var current: [Float]
    var updateRNG: RNG
    var last: [Double] = [.nan, .nan, .nan, .nan]

    public init(config: PSPMConfig, rules: [any PSPMRule], names: [String], start: Int, seed: UInt64) {
        precondition(!rules.isEmpty && rules.count == names.count)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        let n = config.neurons, root = RNG(seed: seed)
        var net = root.stream("network")
        var links = [Bool](repeating: false, count: n * n)
        var truth = Matrix(rows: n, cols: n)
        var values: [Float] = []
        for i in 0..<n {
            for j in 0..<n where j != i && net.bernoulli(config.connectionProbability) {
                links[i * n + j] = true
                truth[i, j] = net.normal(mean: config.weightMeanMV, sd: config.weightSDMV)
                values.append(truth[i, j])
            }
        }
        net.shuffle(&values)
        var student = Matrix(rows: n, cols: n)
        var k = 0
        for idx in 0..<(n * n) where links[idx] {
            student.storage[idx] = values[k]
            k += 1
        }
        connected = links
        trueWeights = truth
        weights = student
        initialNorm = (0..<n).map { i in (0..<n).reduce(Float(0)) { $0 + abs(student[i, $1]) } }
        let meanAbs = values.isEmpty ? 0 : values.reduce(Float(0)) { $0 + abs($1) } / Float(values.count)
        delta = meanAbs
        var drive = root.stream("input")
        let T = config.epochSteps
        let p = min(1, config.inputRateHz * config.dt)
        var frozen = [UInt8](repeating: 0, count: T * n)
        for t in 0..<T { for i in 0..<n where drive.bernoulli(p) { frozen[t * n + i] = 1 } }
        input = frozen
        layer = WTALayer(neurons: n, leak: Float(config.dt / config.tauM), restMV: config.restMV, resetMV: config.resetMV,
                         thresholdMV: config.thresholdMV, refractorySteps: config.steps(config.refractory), thetaPlusMV: 0)
        current = [Float](repeating: 0, count: n)
        epochSpikes = [[Int]](repeating: [], count: n)
        updateRNG = root.stream("pspm")
        recorder = SpikeRecorder(neuronCount: 2 * n, capacity: 1 << 16, windowSteps: T)
        target = Self.run(weights: truth, input: frozen, layer: layer, steps: T, inputWeight: config.inputWeightMV)
    }

    /// Runs a network from rest for one epoch and returns each neuron's spike steps.
    static func run(weights: Matrix, input: [UInt8], layer start: WTALayer, steps: Int, inputWeight: Float) -> [[Int]] {
        var layer = start
        let n = layer.count
        var out = [[Int]](repeating: [], count: n)
        var previous = SpikeBuffer(capacity: 32), spikes = SpikeBuffer(capacity: 32)
        var current = [Float](repeating: 0, count: n)
        for t in 0..<steps {
            drive(&current, weights: weights, input: input, step: t, previous: previous, inputWeight: inputWeight)
            spikes.removeAll()
            layer.step(current: current, wta: false, adaptive: false, spikes: &spikes)
            for k in 0..<spikes.count { out[Int(spikes[k])].append(t) }
            swap(&previous, &spikes)
        }
        return out
    }

    /// current_i = w_in · input_i(t) + Σ_j W_ij over the spikes of the previous step.
    @inline(__always)
    static func drive(_ current: inout [Float], weights: Matrix, input: [UInt8], step t: Int, previous: SpikeBuffer, inputWeight: Float) {
        let n = current.count
        for i in 0..<n { current[i] = inputWeight * Float(input[t * n + i]) }
        weights.addColumns(of: previous, into: &current)
    }

    public static let metrics = [
        MetricSpec("van_rossum", "van Rossum distance to the target trains (τ 10 ms), mean over neurons, last epoch", mayBeUndefined: true),
        MetricSpec("spike_f1", "spike-match F1 within ±Δ, all neurons pooled, last epoch", mayBeUndefined: true),
        MetricSpec("weight_corr", "Pearson correlation of W with the true W* over the connections"),
        MetricSpec("rate_hz", unit: "Hz", "mean student rate in the last epoch (target rate in the scene header)", mayBeUndefined: true),
    ]
    public static let views = [
        ViewSpec("raster", "last epoch: target spikes (top block) and the student's (bottom block), neuron by neuron"),
        ViewSpec("weights", "student W (post x pre, mV)"),
        ViewSpec("weights_true", "true W* (post x pre, mV)"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: config.epochSteps) }
    public var rule: any PSPMRule { rules[activeRule] }
    public var ruleEquation: String { rule.equation }

    public mutating func advance(_ steps: Int) {
        let T = config.epochSteps, n = config.neurons
        for _ in 0..<max(0, steps) {
            Self.drive(&current, weights: weights, input: input, step: phase, previous: previous, inputWeight: config.inputWeightMV)
            spikes.removeAll()
            layer.step(current: current, wta: false, adaptive: false, spikes: &spikes)
            for k in 0..<spikes.count { epochSpikes[Int(spikes[k])].append(phase) }
            recorder.record(step: step, spikes: spikes, offset: -Int32(n))
            swap(&previous, &spikes)
            step += 1
            phase += 1
            if phase == T { endEpoch() }
        }
    }

    mutating func endEpoch() {
        let n = config.neurons, T = config.epochSteps
        let s = rule.settings
        let window = config.steps(s.match), pool = max(1, config.steps(s.pool))
        var vr = 0.0, hits = 0, targetCount = 0, modelCount = 0
        var updates: [(i: Int, t: Int, sign: Float)] = []
        for i in 0..<n {
            vr += SpikeTrainDistance.vanRossum(target[i], epochSpikes[i], steps: T, dt: config.dt, tau: config.vanRossumTau)
            let m = SpikeTrainDistance.match(target: target[i], model: epochSpikes[i], window: window)
            hits += m.hits
            targetCount += target[i].count
            modelCount += epochSpikes[i].count
            updates += m.missed.map { (i, $0, 1) } + m.extra.map { (i, $0, -1) }
        }
        if rule.poolUpdates {
            Self.poolUpdate(&weights, connected: connected, errors: updates, trains: epochSpikes, poolSteps: pool,
                            probability: s.probability, dw: s.deltaFraction * delta, rng: &updateRNG)
        }
        if rule.scaling { rescaleRows() }
        last = [vr / Double(n), SpikeTrainDistance.f1(hits: hits, target: targetCount, model: modelCount),
                Double(weightCorrelation()), Double(modelCount) / (Double(n) * config.epoch)]
        lastModel = epochSpikes
        epochSpikes = [[Int]](repeating: [], count: n)
        layer.rest()
        previous.removeAll()
        phase = 0
        epochs += 1
    }

    /// The pool rule: for each error of neuron i at step t (sign +1 a missed target spike, −1 an
    /// extra spike), every presynaptic j (connected) with a spike in [t − poolSteps, t) has
    /// W_ij += sign · dw with probability p (one draw per pool member, in error order).
    public static func poolUpdate(_ weights: inout Matrix, connected: [Bool], errors: [(i: Int, t: Int, sign: Float)], trains: [[Int]],
                                  poolSteps: Int, probability: Double, dw: Float, rng: inout RNG) {
        let n = weights.cols
        for e in errors {
            for j in 0..<n where connected[e.i * n + j] && spiked(trains[j], in: (e.t - poolSteps)..<e.t) {
                if rng.bernoulli(probability) { weights.storage[e.i * n + j] += e.sign * dw }
            }
        }
    }

    /// Whether a sorted spike list has a spike in `range`.
    static func spiked(_ train: [Int], in range: Range<Int>) -> Bool {
        var lo = 0, hi = train.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if train[mid] < range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        return lo < train.count && train[lo] < range.upperBound
    }

    /// W_ij ← W_ij · L_i(0) / Σ_j |W_ij| for every row with weight.
    mutating func rescaleRows() {
        let n = config.neurons
        for i in 0..<n {
            var norm: Float = 0
            for j in 0..<n { norm += abs(weights.storage[i * n + j]) }
            guard norm > 0 else { continue }
            let k = initialNorm[i] / norm
            for j in 0..<n { weights.storage[i * n + j] *= k }
        }
    }

    /// Pearson correlation of W and W* over the connections.
    public func weightCorrelation() -> Float {
        var a: [Float] = [], b: [Float] = []
        for idx in 0..<connected.count where connected[idx] {
            a.append(weights.storage[idx])
            b.append(trueWeights.storage[idx])
        }
        guard a.count > 1 else { return .nan }
        let ma = a.reduce(0, +) / Float(a.count), mb = b.reduce(0, +) / Float(b.count)
        var sab: Float = 0, saa: Float = 0, sbb: Float = 0
        for k in 0..<a.count {
            sab += (a[k] - ma) * (b[k] - mb)
            saa += (a[k] - ma) * (a[k] - ma)
            sbb += (b[k] - mb) * (b[k] - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }

    public mutating func measure() -> [Double] {
        var row = last
        if epochs == 0 { row[2] = Double(weightCorrelation()) }
        return row
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("student", recorder)] }

    public func views() -> [String: PanelView] {
        let n = config.neurons, T = config.epochSteps
        var steps: [Int32] = [], neurons: [Int32] = []
        for i in 0..<n {
            for t in target[i] { steps.append(Int32(t)); neurons.append(Int32(i)) }
            for t in lastModel?[i] ?? [] { steps.append(Int32(t)); neurons.append(Int32(n + i)) }
        }
        let raster = RasterView(neuronCount: 2 * n, fromStep: 0, toStep: T, dt: config.dt, steps: steps, neurons: neurons,
                                groups: [NeuronGroupLabel(name: "target", range: 0..<n), NeuronGroupLabel(name: "student", range: n..<(2 * n))])
        let m = max(0.1, trueWeights.storage.map { abs($0) }.max() ?? 1)
        return [
            "raster": .raster(raster),
            "weights": .heatmap(HeatmapView(rows: n, cols: n, values: weights.storage, scale: .symmetric(m))),
            "weights_true": .heatmap(HeatmapView(rows: n, cols: n, values: trueWeights.storage, scale: .symmetric(m))),
        ]
    }

    public func probe() -> [Factor] {
        let n = config.neurons
        guard let j = (0..<n).first(where: { connected[$0] }) else { return [] }
        return [Factor("W_0\(j) (mV)", Double(weights.storage[j])), Factor("W*_0\(j) (mV)", Double(trueWeights.storage[j])),
                Factor("δ (mV)", Double(rule.settings.deltaFraction * delta)),
                Factor("target spikes of 0", Double(target[0].count)), Factor("epoch", Double(epochs))]
    }
}
