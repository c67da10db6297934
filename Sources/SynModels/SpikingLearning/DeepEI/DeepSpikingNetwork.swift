import SynCore

/// The three arms of the deep E-I experiment: the same LIF MLP without normalisation, with
/// batch normalisation before every LIF node, and with every layer an E-I circuit.
public enum DeepEIArm: Int, CaseIterable, Sendable {
    case plain, batchNorm, eiCircuit

    /// Metric-name suffix ("" for the E-I arm, whose metrics carry the plain names).
    public var suffix: String {
        switch self {
        case .plain: "_plain"
        case .batchNorm: "_bn"
        case .eiCircuit: ""
        }
    }

    public var label: String {
        switch self {
        case .plain: "plain"
        case .batchNorm: "BN"
        case .eiCircuit: "E-I"
        }
    }
}

/// A deep spiking MLP (L layers: L − 1 hidden LIF layers, a non-spiking read-out averaged over
/// the T steps) in one of the `DeepEIArm` forms, trained by BPTT with a surrogate spike
/// derivative. The input x (pixels in 0…1) is the current of the first layer at each of T steps.
///
/// - plain: I_l = W_l S_{l−1} + b_l (W ~ U(−1/√d, 1/√d) as PyTorch's default, b = 0);
/// - batchNorm: I_l = γ (z − μ_B)/√(σ²_B + 10⁻⁵) + β over the T·B rows of the batch (running
///   statistics, momentum 0.1, at test time), z = W_l S_{l−1} + b_l; the read-out has no BN;
/// - eiCircuit: I_l = the `EICircuitLayer` current (E-I Init or the positive uniform fallback).
public struct DeepSpikingNetwork: Sendable {
    public let arm: DeepEIArm
    /// Layer widths: inputs, hidden…, classes.
    public let sizes: [Int]
    /// Time steps per input.
    public let steps: Int
    public let lif: SoftResetLIF
    /// E-I Prop (zero replacement in I_sh, W_EI gradient / d); E-I arm only.
    public var eiProp: Bool
    /// Weights and biases of the plain and BN arms (`MLPLayout` order).
    public private(set) var linear: [Float]
    public let layout: MLPLayout
    /// BN arm: [γ_l | β_l] per hidden layer, 2 n_l entries each from `normOffset[l]`.
    public internal(set) var norm: [Float]
    let normOffset: [Int]
    var runningMean: [Float]
    var runningVar: [Float]
    /// E-I arm: one circuit per layer.
    public private(set) var circuits: [EICircuitLayer]
    var adam: [DynamicsRuleState]
    var masks: [[Float]]

    public static let bnEpsilon: Float = 1e-5
    public static let bnMomentum: Float = 0.1

    /// A network; the E-I arm is initialised from `initBatch` (rows x sizes[0]) with E-I Init,
    /// or with the positive uniform fallback when `eiInit` is false.
    public init(arm: DeepEIArm, sizes: [Int], steps: Int, lif: SoftResetLIF, eiInit: Bool, eiProp: Bool,
                initBatch: [Float], rng: inout RNG) {
        precondition(sizes.count >= 2 && steps >= 1)
        self.arm = arm
        self.sizes = sizes
        self.steps = steps
        self.lif = lif
        self.eiProp = eiProp
        layout = MLPLayout(sizes: sizes)
        linear = []
        norm = []
        circuits = []
        var offs: [Int] = [], o = 0
        for l in 1..<(sizes.count - 1) { offs.append(o); o += 2 * sizes[l] }
        normOffset = offs
        runningMean = []
        runningVar = []
        adam = []
        masks = []
        switch arm {
        case .plain, .batchNorm:
            linear = MLP(sizes: sizes, hidden: .relu, output: .softmax, gain: 1, uniform: true, rng: &rng).params
            if arm == .batchNorm {
                norm = [Float](repeating: 0, count: o)
                for (l, off) in offs.enumerated() { for j in 0..<sizes[l + 1] { norm[off + j] = 1 } }
                runningMean = [Float](repeating: 0, count: o / 2)
                runningVar = [Float](repeating: 1, count: o / 2)
            }
            for group in [linear, norm] where !group.isEmpty { addOptimiserGroup(group.count) }
        case .eiCircuit:
            let rows = initBatch.count / max(1, sizes[0])
            var x = [Float](repeating: 0, count: steps * initBatch.count)
            for t in 0..<steps { for k in 0..<initBatch.count { x[t * initBatch.count + k] = initBatch[k] } }
            for l in 0..<(sizes.count - 1) {
                let readout = l == sizes.count - 2
                var c = EICircuitLayer(inputs: sizes[l], excitatory: sizes[l + 1], inhibitory: max(1, sizes[l + 1] / 4), readout: readout)
                if eiInit { c.eiInit(x, rows: steps * rows, rng: &rng) } else { c.uniformInit(rng: &rng) }
                if !readout {
                    // Layer by layer: the next layer's statistics are those of this layer's spikes.
                    let current = c.forward(x, rows: steps * rows, eiProp: eiProp).out
                    x = lif.forward(current, steps: steps, width: sizes[l + 1]).s
                }
                circuits.append(c)
                addOptimiserGroup(c.params.count)
            }
        }
    }

    private mutating func addOptimiserGroup(_ count: Int) {
        adam.append(DynamicsRuleState(count: count))
        masks.append([Float](repeating: 1, count: count))
    }

    /// Number of layers (weight matrices).
    public var layers: Int { sizes.count - 1 }

    /// What a forward pass keeps: per layer l its input block (R x sizes[l], l = 0 the input
    /// repeated T times; l ≥ 1 the spikes of hidden layer l), H of the LIF nodes, the BN and
    /// E-I caches, and the logits (B x classes). Row t·B + b is sample b at step t.
    public struct Pass: Sendable {
        public var batch = 0
        public var blocks: [[Float]] = []
        public var h: [[Float]] = []
        public var normalised: [[Float]] = []
        public var invStd: [[Float]] = []
        public var circuit: [EICircuitLayer.Cache] = []
        public var logits: [Float] = []

        /// Spikes per neuron per step of hidden layer l (1…L−1).
        public func rate(_ l: Int) -> Double {
            guard blocks.indices.contains(l), !blocks[l].isEmpty else { return .nan }
            return Double(blocks[l].reduce(0, +)) / Double(blocks[l].count)
        }
    }

    /// Forward pass of `batch` inputs (B x sizes[0]); `training` uses the batch's BN statistics
    /// and updates the running ones, otherwise BN uses the running statistics.
    public mutating func forward(_ input: [Float], batch B: Int, training: Bool) -> Pass {
        let T = steps, R = T * B, L = layers
        var p = Pass()
        p.batch = B
        var x = [Float](repeating: 0, count: R * sizes[0])
        for t in 0..<T { for k in 0..<(B * sizes[0]) { x[t * B * sizes[0] + k] = input[k] } }
        for l in 0..<L {
            let n = sizes[l + 1], readout = l == L - 1
            p.blocks.append(x)
            var z: [Float]
            if arm == .eiCircuit {
                let r = circuits[l].forward(x, rows: R, eiProp: eiProp)
                z = r.out
                p.circuit.append(r.cache)
            } else {
                z = [Float](repeating: 0, count: R * n)
                BlockProduct.gemm(&z, x, linear, transB: true, m: R, n: n, k: sizes[l], bOffset: layout.wOffset[l])
                for r in 0..<R { for j in 0..<n { z[r * n + j] += linear[layout.bOffset[l] + j] } }
                if arm == .batchNorm && !readout { z = batchNorm(z, layer: l, rows: R, training: training, pass: &p) }
            }
            if readout {
                p.logits = [Float](repeating: 0, count: B * n)
                for t in 0..<T { for k in 0..<(B * n) { p.logits[k] += z[t * B * n + k] / Float(T) } }
            } else {
                let (h, s) = lif.forward(z, steps: T, width: n)
                p.h.append(h)
                x = s
            }
        }
        return p
    }

    mutating func batchNorm(_ z: [Float], layer l: Int, rows R: Int, training: Bool, pass p: inout Pass) -> [Float] {
        let n = sizes[l + 1], off = normOffset[l], run = normOffset[l] / 2
        var y = z, xhat = z, inv = [Float](repeating: 0, count: n)
        for j in 0..<n {
            var mean: Float, variance: Float
            if training {
                var s = 0.0, s2 = 0.0
                for r in 0..<R { let v = Double(z[r * n + j]); s += v; s2 += v * v }
                mean = Float(s / Double(R))
                variance = Float(max(0, s2 / Double(R) - Double(mean) * Double(mean)))
                let m = Self.bnMomentum
                runningMean[run + j] = (1 - m) * runningMean[run + j] + m * mean
                runningVar[run + j] = (1 - m) * runningVar[run + j] + m * variance * Float(R) / Float(max(1, R - 1))
            } else {
                mean = runningMean[run + j]
                variance = runningVar[run + j]
            }
            let invSd = 1 / (variance + Self.bnEpsilon).squareRoot()
            inv[j] = invSd
            for r in 0..<R {
                let xh = (z[r * n + j] - mean) * invSd
                xhat[r * n + j] = xh
                y[r * n + j] = norm[off + j] * xh + norm[off + n + j]
            }
        }
        p.normalised.append(xhat)
        p.invStd.append(inv)
        return y
    }

    /// Gradients (one array per optimiser group) of the mean cross-entropy of `pass` against
    /// `labels`, and the loss in nats.
    public func gradients(_ p: Pass, labels: [Int], surrogate: any SurrogateGradient) -> (loss: Float, groups: [[Float]]) {
        let T = steps, B = p.batch, R = T * B, L = layers, C = sizes[L]
        let (loss, gLogits) = SpikingMLP.crossEntropy(logits: p.logits, labels: labels, classes: C)
        var g = [Float](repeating: 0, count: R * C)
        for t in 0..<T { for k in 0..<(B * C) { g[t * B * C + k] = gLogits[k] / Float(T) } }
        var gLinear = [Float](repeating: 0, count: linear.count), gNorm = [Float](repeating: 0, count: norm.count)
        var gCircuits = circuits.map { [Float](repeating: 0, count: $0.params.count) }
        for l in stride(from: L - 1, through: 0, by: -1) {
            let n = sizes[l + 1], m = sizes[l]
            if l < L - 1 { g = lif.backward(g, h: p.h[l], steps: T, width: n, surrogate: surrogate) }
            if arm == .eiCircuit {
                let r = circuits[l].backward(g, cache: p.circuit[l], eiProp: eiProp)
                gCircuits[l] = r.gParams
                g = r.gX
                continue
            }
            if arm == .batchNorm && l < L - 1 { g = batchNormBackward(g, layer: l, rows: R, pass: p, into: &gNorm) }
            var gW = [Float](repeating: 0, count: n * m)
            BlockProduct.gemm(&gW, g, transA: true, p.blocks[l], m: n, n: m, k: R)
            for k in 0..<(n * m) { gLinear[layout.wOffset[l] + k] = gW[k] }
            BlockProduct.addColumnSums(g, rows: R, cols: n, into: &gLinear, offset: layout.bOffset[l])
            if l > 0 {
                var gX = [Float](repeating: 0, count: R * m)
                BlockProduct.gemm(&gX, g, linear, m: R, n: m, k: n, bOffset: layout.wOffset[l])
                g = gX
            }
        }
        return (loss, arm == .eiCircuit ? gCircuits : [gLinear, gNorm].filter { !$0.isEmpty })
    }

    func batchNormBackward(_ gy: [Float], layer l: Int, rows R: Int, pass p: Pass, into gNorm: inout [Float]) -> [Float] {
        let n = sizes[l + 1], off = normOffset[l], xhat = p.normalised[l], inv = p.invStd[l]
        var gz = gy
        for j in 0..<n {
            var sumG: Float = 0, sumGX: Float = 0
            for r in 0..<R { let gv = gy[r * n + j]; sumG += gv; sumGX += gv * xhat[r * n + j] }
            gNorm[off + j] += sumGX
            gNorm[off + n + j] += sumG
            // dz = γ/σ (dy − mean(dy) − x̂ mean(dy x̂)).
            let scale = norm[off + j] * inv[j], mg = sumG / Float(R), mgx = sumGX / Float(R)
            for r in 0..<R { gz[r * n + j] = scale * (gy[r * n + j] - mg - xhat[r * n + j] * mgx) }
        }
        return gz
    }

    /// One Adam step (β = 0.9, 0.999, ε = 10⁻⁸, no decay) on every group, then the E-I clamp.
    public mutating func apply(_ optimiser: AdamW, _ groups: [[Float]]) {
        precondition(groups.count == adam.count)
        for (i, gr) in groups.enumerated() {
            switch arm {
            case .plain, .batchNorm:
                if i == 0 { optimiser.update(&linear, gradient: gr, mask: masks[i], state: &adam[i]) } else {
                    optimiser.update(&norm, gradient: gr, mask: masks[i], state: &adam[i])
                }
            case .eiCircuit:
                optimiser.update(&circuits[i].params, gradient: gr, mask: masks[i], state: &adam[i])
                circuits[i].clamp()
            }
        }
    }

    /// Fresh Adam moments (a new surrogate rule; the weights stay).
    public mutating func resetOptimiser() {
        for i in adam.indices { adam[i] = DynamicsRuleState(count: adam[i].m.count) }
    }

    /// Class predictions of a pass (argmax of the logits).
    public func predictions(_ p: Pass) -> [Int] {
        let C = sizes[layers]
        return (0..<p.batch).map { b in
            var best = 0
            for c in 1..<C where p.logits[b * C + c] > p.logits[b * C + best] { best = c }
            return best
        }
    }
}
