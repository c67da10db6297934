import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Dense presynaptic traces on a 1 ms grid: τ_r dr_j/dt = −r_j, r_j ← r_j + 1 at each spike of j
/// (dimensionless; exact decay r ← r e^(−dt/τ_r) per step, then the step's spikes are added).
public struct PresynapticTraces: Sendable, Equatable {
    public private(set) var values: [Float]
    public private(set) var decay: Float

    public init(count: Int, tauMs: Double, dtMs: Double = 1) {
        values = [Float](repeating: 0, count: count)
        decay = Float(exp(-dtMs / tauMs))
    }

    /// A new time constant (the values are kept).
    public mutating func setTau(_ tauMs: Double, dtMs: Double = 1) { decay = Float(exp(-dtMs / tauMs)) }

    /// One step: decay every trace, then add 1 for each spiking neuron.
    public mutating func step<S: Sequence>(spikes: S) where S.Element == Int32 {
        let d = decay
        for j in 0..<values.count { values[j] *= d }
        for j in spikes where Int(j) >= 0 && Int(j) < values.count { values[Int(j)] += 1 }
    }
}

/// The what/when task on a spiking reservoir (Yamada & Chao 2025, arXiv 2510.14382; science
/// page 8). A heterogeneous Izhikevich E/I network (`IzhikevichNetworkSimulation`, dt = 1 ms)
/// runs 1 s trials: a 20 ms cue current into a fixed random 20 % of the neurons at 0 ms, then
/// stimulus A at the latency L (300 ms) with probability p_A, otherwise B. The stimulus does not
/// enter the reservoir: the readouts must predict it from the cue's echo. Three readouts of the
/// presynaptic traces r_j (τ_r = 30 ms), z_k = Σ_j w_kj r_j, learn 0/1 targets: "when" a 50 ms box
/// centred on L every trial, "A" (or "B") the same box on trials where A (or B) appears.
///
/// Every rule listed in `[rule] switchable` runs as its own arm on the same reservoir and
/// trials (the three-factor rule and FORCE side by side); `selectRule` only chooses the arm the
/// "what" panel and the probe show. The attention gate of a gated rule is open within ±gate_ms
/// of the expected latency L̂, an exponential average of the observed stimulus times
/// (L̂ ← L̂ + κ (L − L̂) after each trial, L̂ = L after the first; before the first stimulus there
/// is no estimate and the gate is open all trial). L moves to `switchLatencyMs` at trial
/// `switchTrial` (nothing is reset), or at any trial start through the control `latency_ms`.
public struct WhatWhenSimulation: Simulation {
    public struct Config: Sendable {
        public var network: IzhikevichNetworkConfig
        public var trialMs = 1000
        public var cueMs = 20
        public var cueFraction = 0.2
        /// Cue current (mV/ms) into each cued neuron during the cue.
        public var cueCurrent = 10.0
        public var latencyMs = 300
        /// Trial (counted from 0) at whose start L becomes `switchLatencyMs`; 0 = never.
        public var switchTrial = 100
        public var switchLatencyMs = 500
        public var probabilityA = 0.8
        public var boxMs = 50
        public var tauRMs = 30.0
        /// κ: weight of the newest observed latency in the estimate L̂.
        public var estimateRate = 0.5
        public var gate = true
        public var rules: [ConfiguredRule<any WhatWhenReadoutRule>]
        public var start = 0

        public init(network: IzhikevichNetworkConfig, rules: [ConfiguredRule<any WhatWhenReadoutRule>]) {
            self.network = network
            self.rules = rules
        }

        public var neurons: Int { network.excitatory + network.inhibitory }
    }

    /// One readout arm: a rule with its readouts over the current and the last finished trial.
    struct Arm {
        var rule: any WhatWhenReadoutRule
        var z: [Float]
        /// z of the current trial and of the last finished one: 3 rows of trialMs.
        var current: [Float]
        var last: [Float]
        /// Trial average of z (exponential, weight `averageWeight` per trial; NaN before a trial).
        var average: [Float]
        var peakMs = Double.nan
        var meanA = Double.nan
        var meanB = Double.nan
    }

    public static let readoutNames = ["when", "A", "B"]
    /// The peak of a readout is searched from this trial time (ms) on, after the cue's echo in
    /// the traces (a gated rule never learns to silence the cue burst outside its window).
    public static let peakFromMs = 100
    /// Weight of the newest trial in the trial-averaged readouts that the peak and amplitude
    /// metrics read (memory ~ 5 trials): a single trial's argmax is dominated by noise.
    public static let averageWeight = 0.2

    /// Metric names for the arms `ruleNames`.
    public static func metricSpecs(ruleNames: [String]) -> [MetricSpec] {
        var m = [MetricSpec("latency_ms", unit: "ms", "the stimulus latency L of the current trial"),
                 MetricSpec("rate_hz", unit: "Hz", "reservoir mean firing rate since the last measurement", mayBeUndefined: true)]
        for r in ruleNames {
            m += [MetricSpec("when_peak_ms_\(r)", unit: "ms", "\(r): time of the largest trial-averaged \"when\" readout (from 100 ms; average weight 0.2 per trial)",
                             mayBeUndefined: true),
                  MetricSpec("latency_error_ms_\(r)", unit: "ms", "\(r): |when peak − L| (L of the last finished trial)", mayBeUndefined: true),
                  MetricSpec("amp_ratio_ab_\(r)", "\(r): trial-averaged z_A / z_B in the target box; p_A/p_B = 4 at p_A = 0.8",
                             mayBeUndefined: true),
                  MetricSpec("cos_what_when_\(r)", "\(r): |cos(w_A, w_when)| of the readout weight vectors", mayBeUndefined: true)]
        }
        return m + [MetricSpec("trials", "finished trials")]
    }

    public static let viewSpecs = [
        ViewSpec("raster", "reservoir spikes over the last second (E and I coloured)"),
        ViewSpec("when", "the \"when\" readout of every arm over the last finished trial, with its target box"),
        ViewSpec("what", "the shown arm's A and B readouts over the last finished trial, with the target box"),
    ]

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0.001 }
    public private(set) var net: IzhikevichNetworkSimulation
    public let cueNeurons: [Int]
    public private(set) var traces: PresynapticTraces
    var arms: [Arm]
    public private(set) var activeRule: Int
    var stimuli: RNG
    /// Latency for trials that start from now on (control / schedule), and the current trial's.
    public private(set) var latencyMs: Int
    public private(set) var trialLatencyMs: Int
    public private(set) var trialIsA = true
    /// L̂ (ms), nil before the first stimulus.
    public private(set) var latencyEstimate: Double?
    public private(set) var trials = 0
    var gateOn: Bool
    var tauRMs: Double
    var probabilityA: Double
    var lastTrialLatency = 0
    var lastTrialIsA = true
    var spikeSequence = 0
    var spikesSinceMeasure = 0
    var stepsSinceMeasure = 0
    var targets: [Float] = [0, 0, 0]
    var scratch: [Float] = [0, 0, 0]
    var lastGate = false
    public private(set) var events: [SimulationEvent] = []

    public init(config: Config, seed: UInt64) {
        self.config = config
        let root = RNG(seed: seed)
        // The network draws its own labelled streams (connectivity, noise ...) from the same seed.
        net = IzhikevichNetworkSimulation(config: config.network, seed: seed)
        var cue = root.stream("cue")
        let n = config.neurons
        let k = max(1, Int((config.cueFraction * Double(n)).rounded()))
        var order = Array(0..<n)
        for i in 0..<k {
            let j = i + cue.int(below: n - i)
            order.swapAt(i, j)
        }
        cueNeurons = order[0..<k].sorted()
        stimuli = root.stream("stimuli")
        traces = PresynapticTraces(count: n, tauMs: config.tauRMs)
        let t = config.trialMs
        arms = config.rules.map { c in
            var rule = c.rule
            rule.bind(inputs: n, outputs: 3)
            return Arm(rule: rule, z: [0, 0, 0], current: [Float](repeating: .nan, count: 3 * t), last: [Float](repeating: .nan, count: 3 * t),
                       average: [Float](repeating: .nan, count: 3 * t))
        }
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        latencyMs = config.latencyMs
        trialLatencyMs = config.latencyMs
        gateOn = config.gate
        tauRMs = config.tauRMs
        probabilityA = config.probabilityA
    }

    public var metricNames: [String] { Self.metricSpecs(ruleNames: ruleNames).map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: config.trialMs) }
    public var ruleStateViewNames: [String] { ["what"] }

    public var ruleEquation: String {
        guard arms.indices.contains(activeRule) else { return "" }
        return arms[activeRule].rule.equation + "; z_k = Σ_j w_kj r_j, τ_r dr_j/dt = −r_j + Σ spikes"
    }

    /// The gate g(t) of a rule with half-width `halfWidth` at trial time `t` (ms).
    func gate(halfWidth: Double?, at t: Int) -> Bool {
        guard let halfWidth, gateOn, let estimate = latencyEstimate else { return true }
        return abs(Double(t) - estimate) <= halfWidth
    }

    mutating func startTrial() {
        if config.switchTrial > 0 && trials == config.switchTrial {
            latencyMs = config.switchLatencyMs
            events.append(SimulationEvent(step: step, label: "L \(latencyMs) ms"))
        }
        trialLatencyMs = latencyMs
        trialIsA = stimuli.uniformDouble() < probabilityA
    }

    mutating func endTrial() {
        let t = config.trialMs
        let lo = max(0, trialLatencyMs - config.boxMs / 2), hi = min(t, lo + config.boxMs)
        let w = Float(Self.averageWeight)
        for a in arms.indices {
            let finished = arms[a].current
            arms[a].current = arms[a].last
            arms[a].last = finished
            if arms[a].average[0].isNaN {
                arms[a].average = finished
            } else {
                for s in 0..<(3 * t) { arms[a].average[s] += w * (finished[s] - arms[a].average[s]) }
            }
            let avg = arms[a].average
            var best = min(t - 1, Self.peakFromMs)
            for s in best..<t where avg[s] > avg[best] { best = s }
            arms[a].peakMs = Double(best)
            var sa = 0.0, sb = 0.0
            for s in lo..<hi { sa += Double(avg[t + s]); sb += Double(avg[2 * t + s]) }
            arms[a].meanA = sa / Double(max(1, hi - lo))
            arms[a].meanB = sb / Double(max(1, hi - lo))
            for s in 0..<(3 * t) { arms[a].current[s] = .nan }
        }
        let l = Double(trialLatencyMs)
        latencyEstimate = latencyEstimate.map { $0 + config.estimateRate * (l - $0) } ?? l
        lastTrialLatency = trialLatencyMs
        lastTrialIsA = trialIsA
        trials += 1
    }

    public mutating func advance(_ steps: Int) {
        let t = config.trialMs
        let cueSteps = config.cueMs
        let cue = Float(config.cueCurrent)
        let half = config.boxMs / 2
        for _ in 0..<max(0, steps) {
            let s = step % t
            if s == 0 { startTrial() }
            if s < cueSteps { for i in cueNeurons { net.group.input[i] += cue } }
            net.advance(1)
            let fired = net.recorder.spikes(after: spikeSequence)
            spikeSequence = net.recorder.sequence
            spikesSinceMeasure += fired.neurons.count
            stepsSinceMeasure += 1
            traces.step(spikes: fired.neurons)
            let inBox: Float = s >= trialLatencyMs - half && s < trialLatencyMs - half + config.boxMs ? 1 : 0
            targets[0] = inBox
            targets[1] = trialIsA ? inBox : 0
            targets[2] = trialIsA ? 0 : inBox
            let r = traces.values
            for a in arms.indices {
                arms[a].rule.readout(r, into: &scratch)
                let z = scratch
                arms[a].z = z
                for k in 0..<3 { arms[a].current[k * t + s] = z[k] }
                let g = gate(halfWidth: arms[a].rule.gateMs, at: s)
                if a == activeRule { lastGate = g }
                arms[a].rule.learn(traces: r, targets: targets, readouts: z, gate: g)
            }
            step += 1
            if s == t - 1 { endTrial() }
        }
    }

    public mutating func measure() -> [Double] {
        let rate = stepsSinceMeasure > 0 ? Double(spikesSinceMeasure) / (Double(config.neurons) * Double(stepsSinceMeasure) * dt) : .nan
        spikesSinceMeasure = 0
        stepsSinceMeasure = 0
        var out = [Double(trialLatencyMs), rate]
        for a in arms {
            let peak = a.peakMs
            let ratio = a.meanB > 0 ? a.meanA / a.meanB : .nan
            out += [peak, abs(peak - Double(lastTrialLatency)), ratio, abs(cosineSimilarity(a.rule.weights(of: 1), a.rule.weights(of: 0)))]
        }
        return out + [Double(trials)]
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        var c = [Control(name: "latency_ms", value: Double(latencyMs), range: 100...900, step: 50),
                 Control(name: "p_a", value: probabilityA, range: 0...1, step: 0.1),
                 Control(name: "gate", value: gateOn ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
                 Control(name: "tau_r_ms", value: tauRMs, range: 5...200, step: 5)]
        if let eta = arms.lazy.compactMap({ $0.rule.learningRate }).first {
            c.append(Control(name: "eta", value: eta, range: 0...0.01, step: 1e-5))
        }
        return c
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        switch name {
        case "latency_ms": latencyMs = Int(value.rounded())
        case "p_a": probabilityA = value
        case "gate": gateOn = value >= 0.5
        case "tau_r_ms":
            tauRMs = value
            traces.setTau(value)
        case "eta":
            for a in arms.indices where arms[a].rule.learningRate != nil { arms[a].rule.setLearningRate(value) }
        default: return "unknown control '\(name)'"
        }
        return nil
    }

    /// The target box of the last finished trial (0/1 over its trialMs).
    func lastTargetBox() -> [Float] {
        let t = config.trialMs, lo = lastTrialLatency - config.boxMs / 2
        return (0..<t).map { trials > 0 && $0 >= lo && $0 < lo + config.boxMs ? 1 : 0 }
    }

    public func views() -> [String: PanelView] {
        let t = config.trialMs
        var out: [String: PanelView] = [:]
        out["raster"] = .raster(net.recorder.excitatoryInhibitoryRaster(step: net.step, windowSteps: t, dt: dt, excitatory: config.network.excitatory))
        let box = lastTargetBox()
        out["when"] = .traces(TracesView(names: ruleNames.map { "z_when \($0)" } + ["target"],
                                         series: arms.map { Array($0.last[0..<t]) } + [box], unit: ""))
        if arms.indices.contains(activeRule) {
            let a = arms[activeRule]
            out["what"] = .traces(TracesView(names: ["z_A \(ruleNames[activeRule])", "z_B", lastTrialIsA ? "target (A trial)" : "target (B trial)"],
                                             series: [Array(a.last[t..<(2 * t)]), Array(a.last[(2 * t)..<(3 * t)]), box], unit: ""))
        }
        return out
    }

    public func probe() -> [Factor] {
        guard arms.indices.contains(activeRule) else { return [] }
        let a = arms[activeRule]
        let j = cueNeurons.first ?? 0
        let w = a.rule.weights(of: 0)
        return [Factor("trial time (ms)", Double(step % config.trialMs)),
                Factor("gate g", lastGate ? 1 : 0),
                Factor("expected latency L̂ (ms)", latencyEstimate ?? .nan),
                Factor("target when", Double(targets[0])),
                Factor("z_when", Double(a.z[0])),
                Factor("error e_when", Double(targets[0] - a.z[0])),
                Factor("trace r_\(j)", Double(traces.values[j])),
                Factor("w_when,\(j)", w.indices.contains(j) ? Double(w[j]) : .nan)]
    }
}
