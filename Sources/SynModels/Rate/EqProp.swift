#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// A layered energy-based network for equilibrium propagation (Scellier & Bengio 2017,
/// Front. Comput. Neurosci. 11:24).
///
/// States s_l (l = 1...L) of hard-sigmoid units rho(s) = clip(s, 0, 1); the input s_0 = x is
/// clamped. Layers l and l+1 are coupled symmetrically by W_l (`sizes[l+1] x sizes[l]`), with
/// biases b_l. Energy and cost:
///
///     E(s) = 1/2 sum_i s_i^2 - sum_l rho(s_{l+1})^T W_l rho(s_l) - sum_l b_l^T rho(s_{l+1})
///     C(s) = 1/2 |s_L - t|^2,      F = E + beta C
///
/// Relaxation minimises F one layer at a time over the box [0, 1] (block coordinate descent,
/// exact per layer because units within a layer are not connected):
/// s_l <- clip(W_{l-1} s_{l-1} + W_l^T s_{l+1} + b_{l-1}, 0, 1) for hidden layers and
/// s_L <- clip((W_{L-1} s_{L-1} + b_{L-1} + beta t) / (1 + beta), 0, 1) for the output.
/// One sweep updates every layer once, bottom to top. After a free phase (beta = 0, fixed point
/// s^0) and a nudged phase (beta != 0, fixed point s^beta) the update is
///
///     dW_l = (eta_l / beta) (rho(s_{l+1}^beta) rho(s_l^beta)^T - rho(s_{l+1}^0) rho(s_l^0)^T)
///
/// (and db_l likewise), which tends to -eta_l dC/dW_l as beta -> 0. With symmetric nudging
/// (Laborieux et al. 2021) the two nudged phases use +beta and -beta and the difference is taken
/// between them, divided by 2 beta, removing the O(beta) bias.
public struct EqPropNetwork: Sendable {
    public let layout: MLPLayout
    /// Weights and biases (same layout as `MLP`).
    public var params: [Float]
    /// Current states of layers 1...L, concatenated (layer l starts at `stateOffset[l]`).
    public var state: [Float]
    /// The clamped input.
    public var input: [Float]
    public let stateOffset: [Int]
    private var scratch: [Float]
    /// The states before a `gradientStep` (reused, so a step allocates nothing).
    private var previous: [Float]

    /// Glorot-uniform weights W_l ~ U(-a, a), a = gain sqrt(6 / (fan_in + fan_out)); biases
    /// b = bias (0.5 puts unconnected units mid-range of the hard sigmoid).
    public init(sizes: [Int], gain: Float = 1, bias: Float = 0, rng: inout RNG) {
        layout = MLPLayout(sizes: sizes)
        params = [Float](repeating: 0, count: layout.paramCount)
        for l in 0..<layout.layers {
            let a = gain * (6 / Float(sizes[l] + sizes[l + 1])).squareRoot()
            for k in 0..<layout.weightCount(l) { params[layout.wOffset[l] + k] = rng.uniform(-a, a) }
            for k in 0..<sizes[l + 1] { params[layout.bOffset[l] + k] = bias }
        }
        var offs = [0]
        var o = 0
        for l in 1..<sizes.count { offs.append(o); o += sizes[l] }
        stateOffset = offs
        state = [Float](repeating: 0, count: o)
        previous = state
        input = [Float](repeating: 0, count: sizes[0])
        scratch = [Float](repeating: 0, count: layout.maxWidth)
    }

    public var layers: Int { layout.layers }
    public var sizes: [Int] { layout.sizes }

    /// Layer l's state (l = 0 is the input).
    public func layer(_ l: Int, of s: [Float]? = nil) -> ArraySlice<Float> {
        if l == 0 { return input[...] }
        let v = s ?? state
        return v[stateOffset[l]..<(stateOffset[l] + sizes[l])]
    }

    /// Clamps input x and resets the states to 0.
    public mutating func reset(input x: UnsafePointer<Float>) {
        for i in 0..<input.count { input[i] = x[i] }
        for i in 0..<state.count { state[i] = 0 }
    }

    /// One relaxation sweep at nudging strength beta toward target t (beta > -1).
    public mutating func sweep(beta: Float, target t: UnsafePointer<Float>) {
        let lay = layout, so = stateOffset
        let L = lay.layers
        params.withUnsafeBufferPointer { pb in
            state.withUnsafeMutableBufferPointer { sb in
                input.withUnsafeBufferPointer { ib in
                    scratch.withUnsafeMutableBufferPointer { tb in
                        guard let p = pb.baseAddress, let s = sb.baseAddress, let x = ib.baseAddress, let tmp = tb.baseAddress else { return }
                        for l in 1...L {
                            let n = lay.sizes[l]
                            let below = l == 1 ? x : UnsafePointer(s + so[l - 1])
                            let cur = s + so[l]
                            RateKernels.gemv(p + lay.wOffset[l - 1], rows: n, cols: lay.sizes[l - 1], below, bias: p + lay.bOffset[l - 1], into: cur)
                            if l < L {
                                RateKernels.gemvT(p + lay.wOffset[l], rows: lay.sizes[l + 1], cols: n, s + so[l + 1], into: tmp)
                                for i in 0..<n { cur[i] = min(1, max(0, cur[i] + tmp[i])) }
                            } else {
                                let inv = 1 / (1 + beta)
                                for i in 0..<n { cur[i] = min(1, max(0, (cur[i] + beta * t[i]) * inv)) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One step of the paper's relaxation dynamics (Scellier & Bengio 2017, eq. 10 with their
    /// code's step size): every layer at once from the previous states,
    /// s <- clip(s - epsilon dF/ds, 0, 1), where on [0, 1] (rho' = 1)
    /// -dF/ds_l = W_{l-1} rho(s_{l-1}) + W_l^T rho(s_{l+1}) + b_{l-1} - s_l (+ beta (t - s_L) at the
    /// output). With epsilon = 1 a hidden layer jumps to its block optimum given the previous states
    /// (a synchronous, Jacobi version of `sweep`); the paper uses epsilon = 0.5.
    public mutating func gradientStep(beta: Float, target t: UnsafePointer<Float>, epsilon: Float) {
        let lay = layout, so = stateOffset
        let L = lay.layers
        for i in 0..<state.count { previous[i] = state[i] }
        params.withUnsafeBufferPointer { pb in
            previous.withUnsafeBufferPointer { ob in
                state.withUnsafeMutableBufferPointer { sb in
                    input.withUnsafeBufferPointer { ib in
                        scratch.withUnsafeMutableBufferPointer { tb in
                            guard let p = pb.baseAddress, let o = ob.baseAddress, let s = sb.baseAddress, let x = ib.baseAddress,
                                  let tmp = tb.baseAddress else { return }
                            for l in 1...L {
                                let n = lay.sizes[l]
                                let below = l == 1 ? x : o + so[l - 1]
                                let cur = s + so[l], prev = o + so[l]
                                RateKernels.gemv(p + lay.wOffset[l - 1], rows: n, cols: lay.sizes[l - 1], below, bias: p + lay.bOffset[l - 1], into: cur)
                                if l < L {
                                    RateKernels.gemvT(p + lay.wOffset[l], rows: lay.sizes[l + 1], cols: n, o + so[l + 1], into: tmp)
                                    for i in 0..<n { cur[i] = min(1, max(0, prev[i] + epsilon * (cur[i] + tmp[i] - prev[i]))) }
                                } else {
                                    for i in 0..<n { cur[i] = min(1, max(0, prev[i] + epsilon * (cur[i] - prev[i] + beta * (t[i] - prev[i])))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Total energy F = E + beta C of the current state (E and C as in the type's doc).
    public func energy(beta: Float, target t: UnsafePointer<Float>) -> Float {
        let lay = layout
        var e: Float = 0
        for v in state { e += 0.5 * v * v }
        for l in 0..<lay.layers {
            let rows = lay.sizes[l + 1], cols = lay.sizes[l]
            let up = stateOffset[l + 1]
            for i in 0..<rows {
                var z = params[lay.bOffset[l] + i]
                for j in 0..<cols { z += params[lay.wOffset[l] + i * cols + j] * (l == 0 ? input[j] : state[stateOffset[l] + j]) }
                e -= state[up + i] * z
            }
        }
        return e + beta * cost(t)
    }

    /// Cost C = 1/2 |s_L - t|^2 of the current state.
    public func cost(_ t: UnsafePointer<Float>) -> Float {
        let o = stateOffset[layers]
        var c: Float = 0
        for k in 0..<sizes[layers] { let e = state[o + k] - t[k]; c += 0.5 * e * e }
        return c
    }

    /// Index of the most active output unit.
    public func prediction() -> Int {
        let o = stateOffset[layers]
        var best = 0
        for k in 1..<sizes[layers] where state[o + k] > state[o + best] { best = k }
        return best
    }

    /// The equilibrium-propagation direction -dC/dtheta estimate, scale * (rho rho^T|a -
    /// rho rho^T|b) / beta for states a (nudged) and b (free), added into `g` (params-shaped).
    public func contrast(nudged a: [Float], free b: [Float], beta: Float, into g: inout [Float], scale: Float = 1) {
        let lay = layout
        let k = scale / beta
        for l in 0..<lay.layers {
            let rows = lay.sizes[l + 1], cols = lay.sizes[l]
            let oa = stateOffset[l + 1]
            for i in 0..<rows {
                let ai = a[oa + i], bi = b[oa + i]
                for j in 0..<cols {
                    let aj = l == 0 ? input[j] : a[stateOffset[l] + j]
                    let bj = l == 0 ? input[j] : b[stateOffset[l] + j]
                    g[lay.wOffset[l] + i * cols + j] += k * (ai * aj - bi * bj)
                }
                g[lay.bOffset[l] + i] += k * (ai - bi)
            }
        }
    }

    /// The true gradient dC/dtheta at the fixed point `s` (a free-phase equilibrium) by implicit
    /// differentiation ("recurrent backprop", Almeida 1987; Pineda 1987): on the active units A
    /// (0 < s < 1) the fixed point satisfies s_A = W_AA s_A + (input and bias terms), so the
    /// adjoint lambda solves (I - W_AA) lambda = dC/ds_A (solved here by block Gauss-Seidel
    /// sweeps, like the relaxation) and dC/dW_l[i, j] = lambda_{l+1,i} s_{l,j} + s_{l+1,i}
    /// lambda_{l,j}, dC/db_l = lambda_{l+1}.
    public func implicitGradient(at s: [Float], target t: [Float], sweeps: Int = 200) -> [Float] {
        let lay = layout
        let L = lay.layers
        var lambda = [Float](repeating: 0, count: s.count)
        let active = s.map { $0 > 0 && $0 < 1 }
        for _ in 0..<sweeps {
            for l in 1...L {
                let n = lay.sizes[l], o = stateOffset[l]
                for i in 0..<n {
                    guard active[o + i] else { lambda[o + i] = 0; continue }
                    var v: Float = 0
                    if l > 1 {
                        let cols = lay.sizes[l - 1], wo = lay.wOffset[l - 1], ob = stateOffset[l - 1]
                        for j in 0..<cols { v += params[wo + i * cols + j] * lambda[ob + j] }
                    }
                    if l < L {
                        let up = lay.sizes[l + 1], wo = lay.wOffset[l], oa = stateOffset[l + 1]
                        for k in 0..<up { v += params[wo + k * n + i] * lambda[oa + k] }
                    } else {
                        v += s[o + i] - t[i]
                    }
                    lambda[o + i] = v
                }
            }
        }
        var g = [Float](repeating: 0, count: lay.paramCount)
        for l in 0..<L {
            let rows = lay.sizes[l + 1], cols = lay.sizes[l], oa = stateOffset[l + 1]
            for i in 0..<rows {
                let li = lambda[oa + i], si = s[oa + i]
                for j in 0..<cols {
                    let sj = l == 0 ? input[j] : s[stateOffset[l] + j]
                    let lj: Float = l == 0 ? 0 : lambda[stateOffset[l] + j]
                    g[lay.wOffset[l] + i * cols + j] = li * sj + si * lj
                }
                g[lay.bOffset[l] + i] = li
            }
        }
        return g
    }
}

/// How the nudged phases are run (the mechanism an `EqPropLearningRule` picks; rules are found
/// by name only through `EqPropRules.registry`).
/// - `positive`: one nudged phase at +beta (`EqPropPositive`).
/// - `alternating`: one nudged phase whose sign alternates from sample to sample (+beta, -beta,
///   ...), which cancels the O(beta) bias on average (`EqPropAlternating`).
/// - `symmetric`: two nudged phases at +beta and -beta, contrasted with each other
///   (`EqPropSymmetric`).
public enum NudgeMode: Sendable, Equatable {
    case positive, alternating, symmetric
}

/// Equilibrium propagation on a classification task (scene `eqprop`). One step = one relaxation
/// sweep; a sample takes a free phase and one or two nudged phases of `relaxSteps` sweeps each,
/// and the big step is one phase, so the phases can be stepped through in the dashboard.
///
/// Metrics: `loss` (mean free-phase cost C of the training samples since the last measurement),
/// `train_acc` (their free-phase accuracy), `test_acc` (accuracy on the whole test set, each
/// sample relaxed from zero for `testSteps` sweeps), `grad_cosine` (cosine between the EP update
/// and -dC/dtheta from implicit differentiation, summed over the first `probeSamples` = 50
/// training samples; close to 1 for small beta; NaN when undefined, i.e. when every probe sample
/// saturates the hard sigmoid so both vectors vanish).
///
/// With `batch` > 1 the EP updates of `batch` consecutive samples are averaged before the
/// weights change (the paper code's mini-batch protocol, batch 20): theta += eta mean_batch(g).
/// With `persistent` each training sample keeps its own state between visits and its free phase
/// starts from there (the paper code's persistent particles), so 20 sweeps reach the fixed point
/// the previous visits were converging to. With `annealSamples` = A > 0 the learning rates fall
/// on a cosine over the first A samples, eta(n) = eta (f + (1 - f)(1 + cos(pi min(1, n / A))) / 2),
/// f = `annealFloor`, so the weights settle and test accuracy at the end of a run stops jumping
/// between rows (design, not the paper's constant rates).
public struct EqPropSimulation: Simulation {
    /// Layer sizes, switchable rules, per-layer learning rates and relaxation settings.
    public struct Config: Sendable {
        public var sizes: [Int]
        /// Switchable rules (each with its own beta and eta); `start` indexes it.
        public var rules: [any EqPropLearningRule]
        public var start: Int
        /// Learning rate per layer (eta_l, dimensionless) for every rule; nil: each rule's `eta`
        /// for every layer.
        public var layerEtas: [Float]?
        public var relaxSteps: Int
        /// Initial weight scale and bias (see `EqPropNetwork.init`).
        public var gain: Float
        public var bias: Float
        /// Samples whose EP updates are averaged into one weight change (1: online).
        public var batch: Int
        /// Free-phase sweeps from zero per test sample when `test_acc` is measured.
        public var testSteps: Int
        /// Each training sample's free phase starts from its state at the end of its last free
        /// phase (persistent particles) instead of from zero.
        public var persistent: Bool
        /// Samples over which the learning rates anneal on a cosine to `annealFloor` times their
        /// value (0: constant rates).
        public var annealSamples: Int
        public var annealFloor: Float
        /// Relaxation: nil = exact block-coordinate sweeps (`EqPropNetwork.sweep`); a step size
        /// = the paper's gradient dynamics (`EqPropNetwork.gradientStep`, epsilon 0.5 in the paper).
        public var epsilon: Float?
        /// The `positive` rule's nudge takes a random sign per sample (+beta or -beta with
        /// probability 1/2 each, the paper code's choice), which cancels the O(beta) bias on average.
        public var randomSign: Bool
        public init(sizes: [Int], rules: [any EqPropLearningRule], start: Int, layerEtas: [Float]? = nil, relaxSteps: Int,
                    gain: Float = 1, bias: Float = 0, batch: Int = 1, testSteps: Int = 100, persistent: Bool = false,
                    annealSamples: Int = 0, annealFloor: Float = 0.05, epsilon: Float? = nil, randomSign: Bool = false) {
            self.epsilon = epsilon; self.randomSign = randomSign
            self.gain = gain; self.bias = bias; self.batch = max(1, batch); self.testSteps = max(1, testSteps)
            self.persistent = persistent; self.annealSamples = max(0, annealSamples); self.annealFloor = annealFloor
            self.sizes = sizes; self.rules = rules; self.start = start; self.layerEtas = layerEtas; self.relaxSteps = relaxSteps
        }
    }

    public let config: Config
    public let task: SupervisedTask
    public private(set) var net: EqPropNetwork
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames = ["loss", "train_acc", "test_acc", "grad_cosine", "grad_ratio"]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "phase", steps: config.relaxSteps) }
    public var viewNames: [String] {
        (task.imageRows > 0 ? ["receptive_fields"] : []) + ["hidden_state", "output_state", "phase", "energy"]
    }
    public var ruleEquation: String { rule.equation(beta: beta) }

    /// The rule of the sample in flight (a switch takes effect at the next sample).
    private var rule: any EqPropLearningRule
    private var pendingRule: any EqPropLearningRule
    private var mode: NudgeMode { rule.nudge }
    private var beta: Float
    private var stream: SampleStream
    /// 0 = free, 1 = first nudged, 2 = second nudged (symmetric).
    public private(set) var phase = 0
    private var sweepInPhase = 0
    private var sample = 0
    private var samplesSeen = 0
    private var signFlip: Float = 1
    /// The sign of this sample's nudge under `randomSign`, and its stream.
    private var sampleSign: Float = 1
    private var signRNG: RNG
    private var freeState: [Float]
    private var nudgedState: [Float]
    private var grad: [Float]
    /// Sum of the EP updates of the samples of the current mini-batch.
    private var batchGrad: [Float]
    private var inBatch = 0
    private var lossSum = 0.0
    private var correct = 0
    private var counted = 0
    private var freeOutput: [Float]
    /// Persistent particles: the last free-phase state of every training sample (empty when off).
    private var particles: [Float]

    public init(config: Config, task: SupervisedTask, seed: UInt64) {
        precondition(config.sizes.first == task.inputs && config.sizes.last == task.outputs)
        precondition(config.layerEtas.map { $0.count == config.sizes.count - 1 } ?? true)
        self.config = config
        self.task = task
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        net = EqPropNetwork(sizes: config.sizes, gain: config.gain, bias: config.bias, rng: &initRNG)
        activeRule = config.start
        rule = config.rules[config.start]
        pendingRule = rule
        beta = rule.beta
        stream = SampleStream(count: task.train.count, rng: root.stream("order"))
        signRNG = root.stream("beta_sign")
        freeState = net.state
        nudgedState = net.state
        grad = [Float](repeating: 0, count: net.layout.paramCount)
        batchGrad = grad
        freeOutput = [Float](repeating: 0, count: task.outputs)
        particles = [Float](repeating: 0, count: config.persistent ? task.train.count * net.state.count : 0)
        beginSample()
    }

    public var controls: [Control] { [Control(name: "beta", value: Double(beta), range: 0.001...1, step: 0.05)] }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        guard name == "beta" else { return "unknown control '\(name)'" }
        guard value >= 0.001, value <= 1 else { return "beta: expected a number in [0.001, 1], got \(value)" }
        beta = Float(value)
        return nil
    }

    /// The nudging scheme takes effect at the next sample (the sample in flight finishes with its
    /// phases); beta becomes the new rule's at once, as when the "beta" control moves.
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        pendingRule = config.rules[index]
        beta = pendingRule.beta
    }

    private mutating func beginSample() {
        rule = pendingRule
        sample = stream.next()
        if config.randomSign { sampleSign = signRNG.uniform(0, 1) < 0.5 ? -1 : 1 }
        task.train.x.storage.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            net.reset(input: xp + sample * task.inputs)
        }
        if config.persistent {
            let m = net.state.count, o = sample * m
            for i in 0..<m { net.state[i] = particles[o + i] }
        }
        phase = 0
        sweepInPhase = 0
    }

    /// Signed beta of nudged phase `p` (1 or 2) under the current mode.
    private func phaseBeta(_ p: Int) -> Float {
        switch mode {
        case .positive: sampleSign * beta
        case .alternating: signFlip * beta
        case .symmetric: p == 1 ? beta : -beta
        }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let b: Float = phase == 0 ? 0 : phaseBeta(phase)
            let o = sample * task.outputs
            task.train.y.storage.withUnsafeBufferPointer { yb in
                guard let yp = yb.baseAddress else { return }
                Self.relax(&net, beta: b, target: yp + o, epsilon: config.epsilon)
            }
            step += 1
            sweepInPhase += 1
            if sweepInPhase == config.relaxSteps { endPhase() }
        }
    }

    private mutating func endPhase() {
        sweepInPhase = 0
        let o = sample * task.outputs
        if phase == 0 {
            Self.copy(net.state, into: &freeState)
            if config.persistent {
                let m = net.state.count, p = sample * m
                for i in 0..<m { particles[p + i] = net.state[i] }
            }
            let c = task.train.y.storage.withUnsafeBufferPointer { yb in yb.baseAddress.map { net.cost($0 + o) } ?? 0 }
            lossSum += Double(c)
            if net.prediction() == task.train.labels[sample] { correct += 1 }
            counted += 1
            let oo = net.stateOffset[net.layers]
            for k in 0..<task.outputs { freeOutput[k] = net.state[oo + k] }
            phase = 1
            return
        }
        if mode == .symmetric && phase == 1 {
            Self.copy(net.state, into: &nudgedState)
            Self.copy(freeState, into: &net.state)
            phase = 2
            return
        }
        for i in 0..<grad.count { grad[i] = 0 }
        if mode == .symmetric {
            net.contrast(nudged: nudgedState, free: net.state, beta: 2 * beta, into: &grad)
        } else {
            net.contrast(nudged: net.state, free: freeState, beta: phaseBeta(1), into: &grad)
        }
        for i in 0..<grad.count { batchGrad[i] += grad[i] }
        inBatch += 1
        if inBatch == config.batch { applyUpdate() }
        samplesSeen += 1
        signFlip = -signFlip
        beginSample()
    }

    /// One relaxation step of `n` with the configured dynamics (exact sweep or gradient step).
    @inline(__always)
    static func relax(_ n: inout EqPropNetwork, beta: Float, target t: UnsafePointer<Float>, epsilon: Float?) {
        if let epsilon { n.gradientStep(beta: beta, target: t, epsilon: epsilon) } else { n.sweep(beta: beta, target: t) }
    }

    /// dst <- src element by element: the phase buffers are reused, where an array assignment
    /// would make the next sweep copy (allocate) the state every phase.
    @inline(__always)
    private static func copy(_ src: [Float], into dst: inout [Float]) {
        for i in 0..<min(src.count, dst.count) { dst[i] = src[i] }
    }

    /// The learning-rate factor after `samples` samples: 1 without annealing, else the cosine
    /// from 1 down to `floor` over `a` samples, then the floor.
    public static func annealFactor(samples: Int, over a: Int, floor f: Float) -> Float {
        guard a > 0 else { return 1 }
        let x = Double(min(samples, a)) / Double(a)
        return f + (1 - f) * Float(0.5 * (1 + cos(Double.pi * x)))
    }

    /// theta_l <- theta_l + eta_l * mean_batch(g_l) (g is already the EP estimate of -dC/dtheta);
    /// then the batch sum is cleared.
    private mutating func applyUpdate() {
        let lay = net.layout
        let scale = Self.annealFactor(samples: samplesSeen, over: config.annealSamples, floor: config.annealFloor) / Float(inBatch)
        for l in 0..<lay.layers {
            let e = (config.layerEtas?[l] ?? rule.eta) * scale
            for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { net.params[k] += e * batchGrad[k] }
            for k in lay.bOffset[l]..<(lay.bOffset[l] + lay.sizes[l + 1]) { net.params[k] += e * batchGrad[k] }
        }
        for i in 0..<batchGrad.count { batchGrad[i] = 0 }
        inBatch = 0
    }

    /// Free-phase accuracy on the whole test set (each sample relaxed from zero for `testSteps`).
    private func testAccuracy() -> Double {
        var n = net
        var ok = 0
        let set = task.test
        set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                for i in 0..<set.count {
                    n.reset(input: xp + i * set.inputs)
                    for _ in 0..<config.testSteps { Self.relax(&n, beta: 0, target: yp + i * set.outputs, epsilon: config.epsilon) }
                    if n.prediction() == set.labels[i] { ok += 1 }
                }
            }
        }
        return Double(ok) / Double(max(1, set.count))
    }

    /// Training samples in the `grad_cosine` probe.
    public static let probeSamples = 50

    /// Cosine between the EP update (current mode and beta) and -dC/dtheta by implicit
    /// differentiation, both summed over the first `samples` training samples. NaN when either
    /// sum is zero (all probe samples saturated): the angle is undefined there.
    public func gradientCosine(samples: Int = probeSamples) -> Double { gradientProbe(samples: samples).cosine }

    /// The probe of `gradientCosine`, with `ratio` = |EP update| / |dC/dtheta| (1 when the
    /// estimate has the true gradient's length; NaN when the true gradient vanishes).
    public func gradientProbe(samples: Int = probeSamples) -> (cosine: Double, ratio: Double) {
        var n = net
        var ep = [Float](repeating: 0, count: n.layout.paramCount)
        var truth = ep
        let set = task.train
        for i in 0..<min(samples, set.count) {
            let t = set.y.row(i)
            set.x.storage.withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress else { return }
                n.reset(input: xp + i * set.inputs)
            }
            t.withUnsafeBufferPointer { tb in
                guard let tp = tb.baseAddress else { return }
                for _ in 0..<config.relaxSteps { Self.relax(&n, beta: 0, target: tp, epsilon: config.epsilon) }
                let free = n.state
                let g = n.implicitGradient(at: free, target: t)
                for k in 0..<g.count { truth[k] -= g[k] }
                if mode == .symmetric {
                    for _ in 0..<config.relaxSteps { Self.relax(&n, beta: beta, target: tp, epsilon: config.epsilon) }
                    let plus = n.state
                    n.state = free
                    for _ in 0..<config.relaxSteps { Self.relax(&n, beta: -beta, target: tp, epsilon: config.epsilon) }
                    n.contrast(nudged: plus, free: n.state, beta: 2 * beta, into: &ep)
                } else {
                    for _ in 0..<config.relaxSteps { Self.relax(&n, beta: beta, target: tp, epsilon: config.epsilon) }
                    n.contrast(nudged: n.state, free: free, beta: beta, into: &ep)
                }
            }
        }
        let norm = { (v: [Float]) in v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
        let truthNorm = norm(truth)
        return (cosineSimilarity(ep, truth), truthNorm > 0 ? norm(ep) / truthNorm : .nan)
    }

    public mutating func measure() -> [Double] {
        let (loss, acc) = counted > 0 ? (lossSum / Double(counted), Double(correct) / Double(counted)) : probeLoss()
        lossSum = 0; correct = 0; counted = 0
        let probe = gradientProbe()
        return [loss, acc, testAccuracy(), probe.cosine, probe.ratio]
    }

    /// Free-phase cost and accuracy over the first 16 training samples (used when no sample
    /// finished its free phase since the last measurement, e.g. at step 0).
    private func probeLoss() -> (Double, Double) {
        var n = net
        var s = 0.0
        var ok = 0
        let set = task.train
        let k = min(16, set.count)
        for i in 0..<k {
            set.x.storage.withUnsafeBufferPointer { xb in
                set.y.storage.withUnsafeBufferPointer { yb in
                    guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                    n.reset(input: xp + i * set.inputs)
                    for _ in 0..<config.relaxSteps { Self.relax(&n, beta: 0, target: yp + i * set.outputs, epsilon: config.epsilon) }
                    s += Double(n.cost(yp + i * set.outputs))
                    if n.prediction() == set.labels[i] { ok += 1 }
                }
            }
        }
        return (s / Double(max(1, k)), Double(ok) / Double(max(1, k)))
    }

    public func views() -> [String: PanelView] {
        var v: [String: PanelView] = [:]
        let lay = net.layout
        if task.imageRows > 0 {
            let w = Array(net.params[lay.wOffset[0]..<(lay.wOffset[0] + lay.weightCount(0))])
            v["receptive_fields"] = .heatmap(HeatmapView(rows: lay.sizes[1], cols: lay.sizes[0], values: w,
                                                         tile: TileShape(rows: task.imageRows, cols: task.imageCols),
                                                         scale: .symmetric(MLPSimulation.niceScale(w))))
        }
        let h = Array(net.layer(1))
        let cols = h.count % 8 == 0 ? 8 : h.count
        v["hidden_state"] = .heatmap(HeatmapView(rows: h.count / cols, cols: cols, values: h, scale: .fixed(0, 1)))
        let out = Array(net.layer(net.layers))
        let target = task.train.y.row(sample)
        v["output_state"] = .heatmap(HeatmapView(rows: 3, cols: out.count, values: freeOutput + out + target, scale: .fixed(0, 1)))
        let names = ["free phase (beta = 0)", "nudged phase (beta = \(phaseBeta(1)))", "second nudged phase (beta = \(-beta))"]
        let energies = energyTrace()
        v["energy"] = .traces(TracesView(names: ["F = E + beta C"], series: [energies], unit: "",
                                         xs: [energies.indices.map(Float.init)], xLabel: "relaxation step of this sample"))
        v["phase"] = .text("\(names[phase]), sweep \(sweepInPhase)/\(config.relaxSteps), sample #\(samplesSeen) (label \(task.train.labels[sample]))\n"
                           + "output_state rows: free-phase output, current output, target")
        return v
    }

    /// F = E + beta C after every relaxation step of the sample in flight, its phases one after
    /// another (free from its start state, each nudged one from the free equilibrium, starting
    /// with F there at the new beta), replayed on a copy so the view costs the run nothing. With
    /// persistent particles the free phase's start is gone once it ended: then the trace starts
    /// at the free equilibrium.
    func energyTrace() -> [Float] {
        var n = net
        var out: [Float] = []
        task.train.y.storage.withUnsafeBufferPointer { yb in
            guard let yb = yb.baseAddress else { return }
            let t = yb + sample * task.outputs
            let m = n.state.count
            var replayFree = true
            if config.persistent {
                // The particle still holds the start until the free phase ends.
                if phase == 0 { for i in 0..<m { n.state[i] = particles[sample * m + i] } } else { replayFree = false }
            } else {
                for i in 0..<m { n.state[i] = 0 }
            }
            let done = [phase == 0 ? sweepInPhase : config.relaxSteps,
                        phase == 1 ? sweepInPhase : (phase > 1 ? config.relaxSteps : 0),
                        phase == 2 ? sweepInPhase : 0]
            for p in 0...phase {
                let b: Float = p == 0 ? 0 : phaseBeta(p)
                if p > 0 || !replayFree { n.state = freeState }
                out.append(n.energy(beta: b, target: t))
                if p == 0 && !replayFree { continue }
                for _ in 0..<done[p] {
                    Self.relax(&n, beta: b, target: t, epsilon: config.epsilon)
                    out.append(n.energy(beta: b, target: t))
                }
            }
        }
        return out
    }

    public func probe() -> [Factor] {
        // Synapse W_1[k, j]: the output unit of the label and the most active hidden unit.
        let lay = net.layout
        let k = task.train.labels[sample]
        let hid = Array(net.layer(net.layers - 1))
        var j = 0
        for i in hid.indices where hid[i] > hid[j] { j = i }
        let l = net.layers - 1
        let wi = lay.wOffset[l] + k * lay.sizes[l] + j
        let fo = freeState[net.stateOffset[net.layers] + k], fh = freeState[net.stateOffset[net.layers - 1] + j]
        let no = net.state[net.stateOffset[net.layers] + k], nh = hid[j]
        return [Factor("phase", Double(phase)), Factor("free rho_i rho_j", Double(fo * fh)), Factor("now rho_i rho_j", Double(no * nh)),
                Factor("w_ij", Double(net.params[wi])), Factor("beta", Double(phase == 0 ? 0 : phaseBeta(phase)))]
    }
}
