import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule family of `model = "brunel_network"`: the network has no plasticity.
public enum BrunelNetworkRules {
    public static let registry = RuleRegistry<NoPlasticity>(
        family: "brunel_network", summary: "Brunel (2000) sparse E/I network of delta-synapse LIF neurons: no plasticity (model = \"brunel_network\")", [
            .init(NoPlasticity.self) { $0 },
        ])
}

/// Configuration of Brunel's (2000) model A: N_E excitatory and N_I = N_E / 4 inhibitory LIF
/// neurons with delta synapses, each receiving exactly C_E = ε N_E excitatory and C_I = ε N_I
/// inhibitory connections (drawn with replacement: multapses and autapses allowed, as NEST's
/// `fixed_indegree`) of strength J (E) and -g J (I) after a delay D, plus C_E independent
/// external Poisson inputs of rate ν_ext = η ν_thr, ν_thr = θ / (J C_E τ) (the rate that brings
/// the mean free membrane potential to threshold).
public struct BrunelNetworkConfig: Sendable, Equatable {
    public var excitatory = 10_000
    public var inhibitory = 2_500
    /// Connection probability ε: in-degrees C_E = round(ε N_E), C_I = round(ε N_I).
    public var epsilon = 0.1
    /// Excitatory jump J (mV).
    public var jMV = 0.1
    /// Relative strength of inhibition g (inhibitory jump -g J).
    public var g = 5.0
    /// External rate in units of ν_thr (η).
    public var eta = 2.0
    /// Membrane time constant τ (s), threshold θ and reset V_r (mV), refractory period (s).
    public var tauM = 0.020
    public var thresholdMV = 20.0
    public var resetMV = 10.0
    public var refractory = 0.002
    /// Transmission delay D (s).
    public var delay = 0.0015
    /// Seconds per step.
    public var dt = 1e-4
    /// Initial V ~ U(v0Low, v0High) (mV).
    public var v0LowMV = 0.0
    public var v0HighMV = 20.0
    /// Threads stepping the network (0: `ParallelDefaults.threads(requested: 0)`).
    public var threads = 0
    /// Raster window (steps).
    public var rasterSteps = 2000

    public init() {}

    public var neurons: Int { excitatory + inhibitory }
    public var inDegreeE: Int { Int((epsilon * Double(excitatory)).rounded()) }
    public var inDegreeI: Int { Int((epsilon * Double(inhibitory)).rounded()) }
    /// ν_thr (Hz): the external rate per input synapse that brings the mean potential to θ.
    public var thresholdRateHz: Double { thresholdMV / (jMV * Double(max(1, inDegreeE)) * tauM) }

    /// Brunel's (2000) figure 8 operating points, (g, η): A synchronous regular, B synchronous
    /// irregular (fast oscillation), C asynchronous irregular, D synchronous irregular (slow).
    public static let regimes: [(name: String, g: Double, eta: Double)] = [
        ("A: SR", 3, 2), ("B: SI fast", 6, 4), ("C: AI", 5, 2), ("D: SI slow", 4.5, 0.9),
    ]
}

/// Brunel's (2000) sparse E/I network, stepped on several threads with results that do not
/// depend on their number.
///
/// One step t (as NEST's `iaf_psc_delta`, the neuron of Brunel's model A):
/// 1. each non-refractory neuron: V ← V e^(-dt/τ) + (jumps due at t: recurrent spikes sent at
///    t - D, plus J × its Poisson count of external spikes in this step); a refractory neuron
///    stays at V_r and drops the jumps due at t;
/// 2. V ≥ θ: spike, V = V_r, refractory for round(τ_rp / dt) steps;
/// 3. each spike of neuron i adds J (i excitatory) or -g J to the slot of step t + D of its
///    targets.
///
/// Threads: neurons are split into contiguous ranges (in blocks of 64, each block with its
/// own random stream for the external input), and each thread owns one range for phases 1-2
/// *and* as targets in phase 3: it walks every spike of the step through its own CSR (the
/// synapses onto its range, by presynaptic neuron). No two threads write the same memory, no
/// atomics are needed, and the jumps onto a neuron are summed in the same order (ascending
/// presynaptic neuron) whatever the thread count, so 1 and N threads give the same bits.
/// One barrier per step separates 1-2 from 3; spike lists are double-buffered so phase 3 of
/// step t overlaps phase 1 of step t + 1 on other threads safely (delay D ≥ 1 step).
public struct BrunelNetworkSimulation: Simulation {
    public let config: BrunelNetworkConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    /// Membrane potentials (mV).
    public private(set) var v: [Float]
    var refractoryLeft: [Int32]
    /// Pending jumps (mV): `delaySlots` rows of `n`, the row of step t at `t % delaySlots`.
    var pending: [Float]
    let delaySlots: Int
    let delaySteps: Int
    let refractorySteps: Int32
    /// One external-input stream per block of `blockSize` neurons.
    var inputRNG: [RNG]
    static let blockSize = 64
    /// Thread ranges (neurons) and, per range, a CSR by presynaptic neuron of the synapses onto
    /// it: range p's row of pre i is `targets[rowStart[p * (n + 1) + i] ..< rowStart[p * (n + 1) + i + 1]]`.
    public let ranges: [Range<Int>]
    let rowStart: [Int32]
    let targets: [Int32]
    /// Spike lists of the last two steps: participant p writes its range's spikes at the start
    /// of its range in row `t % 2`, and their number at `spikeCounts[(t % 2) * ranges.count + p]`.
    var spikeList: [Int32]
    var spikeCounts: [Int32]
    public private(set) var recorder: SpikeRecorder
    /// Cumulative Poisson distribution of the external spike count per step (λ = C_E ν_ext dt).
    var poissonCDF: [Double]
    public private(set) var g: Double
    public private(set) var eta: Double
    /// Synaptic events (spikes x out-degree) delivered so far.
    public private(set) var synapticEvents = 0
    var lastMeasureStep = 0
    var lastMeasureSpikes = 0
    let pool: WorkerPool?

    /// Threads actually used (ranges).
    public var threads: Int { ranges.count }
    public var synapseCount: Int { targets.count }

    public init(config: BrunelNetworkConfig, seed: UInt64) {
        self.config = config
        g = config.g
        eta = config.eta
        regimeIndex = Self.regime(g: config.g, eta: config.eta)
        let root = RNG(seed: seed)
        let n = config.neurons
        var initial = root.stream("initial")
        let lo = Float(config.v0LowMV), hi = Float(config.v0HighMV)
        v = (0..<n).map { _ in initial.uniform(lo, hi) }
        refractoryLeft = [Int32](repeating: 0, count: n)
        delaySteps = max(1, Int((config.delay / config.dt).rounded()))
        delaySlots = delaySteps + 1
        pending = [Float](repeating: 0, count: delaySlots * n)
        refractorySteps = Int32(max(0, Int((config.refractory / config.dt).rounded())))
        let blocks = (n + Self.blockSize - 1) / Self.blockSize
        let inputs = root.stream("external")
        inputRNG = (0..<blocks).map { inputs.stream($0) }
        let parts = ParallelDefaults.threads(requested: config.threads)
        ranges = WorkerPool.partition(n, parts: parts, granule: Self.blockSize)
        (rowStart, targets) = Self.connect(config, ranges: ranges, rng: root.stream("connectivity"))
        spikeList = [Int32](repeating: 0, count: 2 * max(1, n))
        spikeCounts = [Int32](repeating: 0, count: 2 * ranges.count)
        let expected = Double(n) * Double(config.rasterSteps) * config.dt * 100
        recorder = SpikeRecorder(neuronCount: n, capacity: Int(min(Double(1 << 22), max(Double(1 << 16), expected))),
                                 windowSteps: max(10, Int((1 / config.dt).rounded())))
        poissonCDF = []
        pool = ranges.count > 1 ? WorkerPool(count: ranges.count) : nil
        poissonCDF = Self.cdf(lambda: externalSpikesPerStep)
    }

    /// Mean external spikes per neuron and step: C_E η ν_thr dt.
    public var externalSpikesPerStep: Double { Double(config.inDegreeE) * eta * config.thresholdRateHz * config.dt }

    /// Fixed in-degree connectivity drawn target by target (independent of the thread count),
    /// then split into one CSR by presynaptic neuron per thread range.
    static func connect(_ c: BrunelNetworkConfig, ranges: [Range<Int>], rng: RNG) -> ([Int32], [Int32]) {
        let n = c.neurons, ne = c.excitatory, ni = c.inhibitory
        let ce = ne > 0 ? c.inDegreeE : 0, ci = ni > 0 ? c.inDegreeI : 0
        let k = ce + ci
        var rng = rng
        // sources[j * k + m]: the m-th presynaptic neuron of target j.
        var sources = [Int32](repeating: 0, count: n * k)
        for j in 0..<n {
            for m in 0..<ce { sources[j * k + m] = Int32(rng.int(below: ne)) }
            for m in 0..<ci { sources[j * k + ce + m] = Int32(ne + rng.int(below: ni)) }
        }
        var rowStart = [Int32](repeating: 0, count: ranges.count * (n + 1))
        var targets = [Int32](repeating: 0, count: n * k)
        var base = 0
        for (p, r) in ranges.enumerated() {
            let o = p * (n + 1)
            var count = [Int](repeating: 0, count: n + 1)
            for j in r { for m in 0..<k { count[Int(sources[j * k + m]) + 1] += 1 } }
            count[0] = base
            for i in 0..<n { count[i + 1] += count[i] }
            for i in 0...n { rowStart[o + i] = Int32(count[i]) }
            var next = count
            // Targets ascending within each row.
            for j in r {
                for m in 0..<k {
                    let i = Int(sources[j * k + m])
                    targets[next[i]] = Int32(j)
                    next[i] += 1
                }
            }
            base = count[n]
        }
        return (rowStart, targets)
    }

    /// P(count <= k) for k = 0, 1, ... until it reaches 1 - 1e-15 (at most 4096 entries).
    static func cdf(lambda: Double) -> [Double] {
        guard lambda > 0 else { return [1] }
        var out: [Double] = []
        var term = exp(-lambda), sum = term
        var k = 0
        while sum < 1 - 1e-15 && out.count < 4096 {
            out.append(sum)
            k += 1
            term *= lambda / Double(k)
            sum += term
        }
        out.append(1)
        return out
    }

    public static let metricNames = ["rate_hz", "recent_rate_hz", "rate_exc_hz", "rate_inh_hz", "cv_isi", "fano"]
    public static let viewNames = ["raster", "rate", "rates"]
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { [NoPlasticity.name] }
    public var activeRule: Int { 0 }
    public var bigStep: StepUnit { StepUnit(name: "100 ms", steps: Int((0.1 / config.dt).rounded())) }
    public var ruleEquation: String {
        "τ dV/dt = -V + RI(t), RI = τ Σ J_ij δ(t - t_j - D) (J = \(config.jMV) mV E, -g J I) + external Poisson; V ≥ θ → V_r"
    }
    public mutating func selectRule(_ index: Int) {}

    public mutating func advance(_ steps: Int) {
        guard steps > 0 else { return }
        let n = config.neurons
        let box = OwnedBox(recorder)
        recorder = SpikeRecorder(neuronCount: 0, capacity: 1, windowSteps: 1)
        defer { recorder = box.value }
        let parts = ranges.count
        let firstStep = step
        let decay = Float(exp(-config.dt / config.tauM))
        let jE = Float(config.jMV), jI = Float(-g * config.jMV)
        var events = [Int](repeating: 0, count: parts)
        v.withUnsafeMutableBufferPointer { vp in
        refractoryLeft.withUnsafeMutableBufferPointer { rp in
        pending.withUnsafeMutableBufferPointer { pp in
        inputRNG.withUnsafeMutableBufferPointer { gp in
        spikeList.withUnsafeMutableBufferPointer { sp in
        spikeCounts.withUnsafeMutableBufferPointer { cp in
        events.withUnsafeMutableBufferPointer { ep in
        rowStart.withUnsafeBufferPointer { rsp in
        targets.withUnsafeBufferPointer { tp in
        poissonCDF.withUnsafeBufferPointer { cdfp in
            guard let v0 = vp.baseAddress, let r0 = rp.baseAddress, let p0 = pp.baseAddress, let g0 = gp.baseAddress,
                  let s0 = sp.baseAddress, let c0 = cp.baseAddress, let e0 = ep.baseAddress, let rs0 = rsp.baseAddress,
                  let cdf0 = cdfp.baseAddress else { return }
            let kernel = BrunelKernel(
                v: SharedPointer(v0), refractoryLeft: SharedPointer(r0), pending: SharedPointer(p0), rng: SharedPointer(g0),
                spikeList: SharedPointer(s0), spikeCounts: SharedPointer(c0), events: SharedPointer(e0),
                rowStart: SharedPointer(UnsafeMutablePointer(mutating: rs0)),
                targets: SharedPointer(UnsafeMutablePointer(mutating: tp.baseAddress ?? rs0)),
                cdf: SharedPointer(UnsafeMutablePointer(mutating: cdf0)), cdfCount: cdfp.count,
                ranges: ranges, n: n, excitatory: config.excitatory, delaySlots: delaySlots, delaySteps: delaySteps,
                refractorySteps: refractorySteps, decay: decay, jE: jE, jI: jI,
                threshold: Float(config.thresholdMV), reset: Float(config.resetMV), blockSize: Self.blockSize,
                firstStep: firstStep, steps: steps, recorder: box, pool: pool)
            if let pool { pool.run { kernel.run(participant: $0) } } else { kernel.run(participant: 0) }
        }}}}}}}}}}
        step += steps
        synapticEvents &+= events.reduce(0, &+)
    }

    public mutating func measure() -> [Double] {
        let n = config.neurons, ne = config.excitatory
        let interval = step - lastMeasureStep
        let recent = recorder.totalSpikes - lastMeasureSpikes
        lastMeasureStep = step
        lastMeasureSpikes = recorder.totalSpikes
        let recentRate = interval > 0 && n > 0 ? Double(recent) / (Double(n) * Double(interval) * dt) : .nan
        let cv = recorder.cvISI()
        return [recorder.meanRateHz(dt: dt), recentRate,
                recorder.meanRateHz(dt: dt, neurons: 0..<ne), recorder.meanRateHz(dt: dt, neurons: ne..<n),
                cv > 0 ? cv : .nan, recorder.fanoFactor(binSteps: max(1, Int((0.001 / dt).rounded())))]
    }

    /// The regime control: the preset (1...4) last chosen or matching the scene's (g, η), 0
    /// ("custom") once g or η is moved on its own.
    public private(set) var regimeIndex = 0

    static func regime(g: Double, eta: Double) -> Int {
        for (k, r) in BrunelNetworkConfig.regimes.enumerated() where r.g == g && r.eta == eta { return k + 1 }
        return 0
    }

    /// Live controls: Brunel's figure-8 operating points by name, and g and η themselves.
    public var controls: [Control] {
        [Control(name: "regime", value: Double(regimeIndex), range: 0...Double(BrunelNetworkConfig.regimes.count), step: 1,
                 labels: ["custom"] + BrunelNetworkConfig.regimes.map(\.name)),
         Control(name: "g", value: g, range: 0...10, step: 0.5),
         Control(name: "eta", value: eta, range: 0.1...6, step: 0.1)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        switch name {
        case "regime":
            let k = Int(value.rounded())
            regimeIndex = k
            guard k > 0 else { return nil }
            g = BrunelNetworkConfig.regimes[k - 1].g
            eta = BrunelNetworkConfig.regimes[k - 1].eta
        case "g":
            g = value
            regimeIndex = 0
        case "eta":
            eta = value
            regimeIndex = 0
        default: return "unknown control '\(name)'"
        }
        poissonCDF = Self.cdf(lambda: externalSpikesPerStep)
        return nil
    }

    public func views() -> [String: PanelView] {
        let ne = config.excitatory, n = config.neurons
        var out: [String: PanelView] = [:]
        out["raster"] = .raster(recorder.excitatoryInhibitoryRaster(step: step, windowSteps: config.rasterSteps, dt: dt, excitatory: ne))
        let binSteps = max(1, Int((0.001 / dt).rounded()))
        let series = recorder.populationRateSeries(binSteps: binSteps, dt: dt)
        let window = max(1, config.rasterSteps / binSteps)
        out["rate"] = .traces(TracesView(names: ["population rate (1 ms bins)"], series: [Array(series.suffix(window))], unit: "Hz"))
        let (rr, rc) = LIFNetworkSimulation.grid(n)
        let seconds = max(dt, Double(step - recorder.statisticsStart) * dt)
        let rates = recorder.counts.map { Float(Double($0) / seconds) }
        out["rates"] = .heatmap(HeatmapView(rows: rr, cols: rc, values: LIFNetworkSimulation.pad(rates, rr * rc), scale: .fixed(0, 100)))
        return out
    }
}

/// One `advance` of the Brunel network as seen by one participant: pointers into the
/// simulation's arrays (each participant writes only its own range, see
/// `BrunelNetworkSimulation`) and the step's constants.
struct BrunelKernel: Sendable {
    let v: SharedPointer<Float>
    let refractoryLeft: SharedPointer<Int32>
    let pending: SharedPointer<Float>
    let rng: SharedPointer<RNG>
    let spikeList: SharedPointer<Int32>
    let spikeCounts: SharedPointer<Int32>
    let events: SharedPointer<Int>
    let rowStart: SharedPointer<Int32>
    let targets: SharedPointer<Int32>
    let cdf: SharedPointer<Double>
    let cdfCount: Int
    let ranges: [Range<Int>]
    let n: Int, excitatory: Int, delaySlots: Int, delaySteps: Int
    let refractorySteps: Int32
    let decay: Float, jE: Float, jI: Float, threshold: Float, reset: Float
    let blockSize: Int
    let firstStep: Int, steps: Int
    let recorder: OwnedBox<SpikeRecorder>
    let pool: WorkerPool?

    func run(participant p: Int) {
        let range = ranges[p]
        let parts = ranges.count
        var sent = 0
        var buffer = SpikeBuffer(capacity: 256)
        for s in 0..<steps {
            let t = firstStep + s
            let parity = t & 1
            let spikes = update(range, step: t, list: spikeList.base + parity * n + range.lowerBound)
            spikeCounts[parity * parts + p] = Int32(spikes)
            pool?.barrier()
            if p == 0 {
                buffer.removeAll()
                for q in 0..<parts {
                    let list = spikeList.base + parity * n + ranges[q].lowerBound
                    for k in 0..<Int(spikeCounts[parity * parts + q]) { buffer.append(list[k]) }
                }
                recorder.value.record(step: t, spikes: buffer)
            }
            sent &+= propagate(participant: p, step: t, parity: parity)
        }
        events[p] = sent
    }

    /// Phases 1-2 for the neurons of `range`; writes the spiking ones to `list`, returns how many.
    @inline(__always)
    func update(_ range: Range<Int>, step: Int, list: UnsafeMutablePointer<Int32>) -> Int {
        let row = pending.base + (step % delaySlots) * n
        let cdfLast = cdfCount - 1
        var count = 0
        var b = range.lowerBound / blockSize
        var j = range.lowerBound
        while j < range.upperBound {
            let end = min(range.upperBound, (b + 1) * blockSize)
            var g = rng[b]
            for i in j..<end {
                let input = row[i]
                row[i] = 0
                let left = refractoryLeft[i]
                if left > 0 {
                    refractoryLeft[i] = left - 1
                    continue
                }
                let u = g.uniformDouble()
                var k = 0
                while k < cdfLast && u >= cdf[k] { k += 1 }
                var vi = v[i] * decay + input + jE * Float(k)
                if vi >= threshold {
                    vi = reset
                    refractoryLeft[i] = refractorySteps
                    list[count] = Int32(i)
                    count += 1
                }
                v[i] = vi
            }
            rng[b] = g
            b += 1
            j = end
        }
        return count
    }

    /// Phase 3 for the targets of participant `p`: every spike of the step, in ascending
    /// neuron order, through `p`'s CSR into the slot of step + D.
    @inline(__always)
    func propagate(participant p: Int, step: Int, parity: Int) -> Int {
        let parts = ranges.count
        let slot = pending.base + ((step + delaySteps) % delaySlots) * n
        let rows = rowStart.base + p * (n + 1)
        let t = targets.base
        var sent = 0
        for q in 0..<parts {
            let list = spikeList.base + parity * n + ranges[q].lowerBound
            for k in 0..<Int(spikeCounts[parity * parts + q]) {
                let i = Int(list[k])
                let w = i < excitatory ? jE : jI
                let lo = Int(rows[i]), hi = Int(rows[i + 1])
                sent &+= hi - lo
                for m in lo..<hi { slot[Int(t[m])] += w }
            }
        }
        return sent
    }
}
