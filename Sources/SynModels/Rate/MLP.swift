import SynCore

/// Offsets of a multilayer perceptron's parameters and activations in flat Float32 buffers.
///
/// Layer l (0-based, `l < layers`) maps `sizes[l]` inputs to `sizes[l + 1]` outputs; its
/// weights W_l (`sizes[l+1] x sizes[l]`, row-major: row i is unit i's incoming weights) start at
/// `wOffset[l]` and its biases b_l at `bOffset[l]` in the parameter vector. In the work buffer,
/// activities a_l (a_0 = input) start at `aOffset[l]`, net inputs z_l and errors delta_l of
/// layer l's outputs at `zOffset[l]` and `dOffset[l]`.
public struct MLPLayout: Sendable, Equatable {
    public let sizes: [Int]
    public let wOffset: [Int]
    public let bOffset: [Int]
    public let paramCount: Int
    public let aOffset: [Int]
    public let zOffset: [Int]
    public let dOffset: [Int]
    /// Two scratch vectors of `maxWidth` entries.
    public let scratch: Int
    public let maxWidth: Int
    public let workCount: Int

    public init(sizes: [Int]) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 })
        self.sizes = sizes
        var w: [Int] = [], b: [Int] = []
        var o = 0
        for l in 0..<(sizes.count - 1) {
            w.append(o); o += sizes[l] * sizes[l + 1]
            b.append(o); o += sizes[l + 1]
        }
        wOffset = w; bOffset = b; paramCount = o
        var a: [Int] = [], z: [Int] = [], d: [Int] = []
        o = 0
        for s in sizes { a.append(o); o += s }
        for s in sizes.dropFirst() { z.append(o); o += s }
        for s in sizes.dropFirst() { d.append(o); o += s }
        aOffset = a; zOffset = z; dOffset = d
        maxWidth = sizes.max() ?? 1
        scratch = o
        workCount = o + 2 * maxWidth
    }

    public var layers: Int { sizes.count - 1 }
    public var inputs: Int { sizes[0] }
    public var outputs: Int { sizes[sizes.count - 1] }
    /// Number of weights (not biases) of layer l.
    public func weightCount(_ l: Int) -> Int { sizes[l] * sizes[l + 1] }
}

/// How the output error is propagated back to the hidden layers.
///
/// - `backprop`: delta_{l-1} = (W_l^T delta_l) * f'(z_{l-1}) (Rumelhart, Hinton & Williams 1986)
/// - `feedbackAlignment`: delta_{l-1} = (B_l^T delta_l) * f'(z_{l-1}) with a fixed random B_l
///   of W_l's shape (Lillicrap et al. 2016, Nat. Commun. 7:13276)
/// - `directFeedbackAlignment`: delta_l = (D_l delta_L) * f'(z_l) with a fixed random
///   D_l (`sizes[l+1] x outputs`) sending the output error straight to every hidden layer
///   (Nøkland 2016, NeurIPS)
public enum ErrorFeedback: String, Sendable, CaseIterable {
    case backprop, feedbackAlignment, directFeedbackAlignment
}

/// A multilayer perceptron a_{l+1} = f_l(W_l a_l + b_l) with flat Float32 parameters.
///
/// Hidden layers use `hidden`, the last layer `output`. The loss is cross-entropy
/// L = -sum_k t_k log a_k when `output == .softmax`, else the squared error
/// L = 1/2 sum_k (a_k - t_k)^2; either way the output error is delta_L = dL/dz_L.
/// Per-sample work (forward, backward, update) runs on the flat buffers without allocating.
public struct MLP: Sendable {
    public let layout: MLPLayout
    public var hidden: Activation
    public let output: Activation
    /// All weights and biases (see `MLPLayout`).
    public var params: [Float]
    /// Activities, net inputs, errors and scratch of the last sample.
    public var work: [Float]
    /// Fixed random feedback matrices for feedback alignment (the W parts of a params-shaped
    /// vector) and for direct feedback alignment (`dfaOffset`).
    public var feedback: [Float]
    public let dfaOffset: [Int]
    /// Curl-descent sign of each presynaptic unit, +1 or -1 (a params-independent vector laid
    /// out like the activities a_l; all +1 by default).
    public var presynapticSign: [Float]

    public var sizes: [Int] { layout.sizes }
    public var layers: Int { layout.layers }
    public var inputs: Int { layout.inputs }
    public var outputs: Int { layout.outputs }
    public var usesCrossEntropy: Bool { output == .softmax }

    /// A network with W_l ~ N(0, gain^2 / fan_in) (LeCun-normal for gain 1) or, with `uniform`,
    /// W_l ~ U(-gain / sqrt(fan_in), gain / sqrt(fan_in)); b = 0; and random feedback matrices
    /// B_l, D_l ~ N(0, 1 / fan_in of the path they replace), all from `rng`.
    public init(sizes: [Int], hidden: Activation, output: Activation, gain: Float = 1, uniform: Bool = false, rng: inout RNG) {
        precondition(hidden != .softmax, "softmax is an output activation")
        let lay = MLPLayout(sizes: sizes)
        layout = lay
        self.hidden = hidden
        self.output = output
        params = [Float](repeating: 0, count: lay.paramCount + 1)
        work = [Float](repeating: 0, count: lay.workCount + 1)
        for l in 0..<lay.layers {
            let sd = gain / Float(sizes[l]).squareRoot()
            for k in 0..<lay.weightCount(l) { params[lay.wOffset[l] + k] = uniform ? rng.uniform(-sd, sd) : sd * rng.normal() }
        }
        var offs: [Int] = []
        var o = lay.paramCount
        for l in 0..<max(0, lay.layers - 1) { offs.append(o); o += sizes[l + 1] * lay.outputs }
        dfaOffset = offs
        feedback = [Float](repeating: 0, count: o + 1)
        for l in 0..<lay.layers {
            let sd = 1 / Float(sizes[l + 1]).squareRoot()
            for k in 0..<lay.weightCount(l) { feedback[lay.wOffset[l] + k] = sd * rng.normal() }
        }
        for l in 0..<max(0, lay.layers - 1) {
            let sd = 1 / Float(lay.outputs).squareRoot()
            for k in 0..<(sizes[l + 1] * lay.outputs) { feedback[offs[l] + k] = sd * rng.normal() }
        }
        presynapticSign = [Float](repeating: 1, count: lay.aOffset[lay.layers] + 1)
    }

    /// W_l as a matrix (row i = unit i's incoming weights).
    public func weights(_ l: Int) -> Matrix {
        let o = layout.wOffset[l]
        return Matrix(rows: sizes[l + 1], cols: sizes[l], storage: Array(params[o..<(o + layout.weightCount(l))]))
    }

    /// b_l.
    public func bias(_ l: Int) -> [Float] { Array(params[layout.bOffset[l]..<(layout.bOffset[l] + sizes[l + 1])]) }

    /// Activities a_l of the last forward pass (l = 0 is the input, `layers` the output).
    public func activity(_ l: Int) -> [Float] { Array(work[layout.aOffset[l]..<(layout.aOffset[l] + sizes[l])]) }

    /// Net inputs z_l of layer l's outputs (l in 1...layers) from the last forward pass.
    public func netInput(_ l: Int) -> [Float] { Array(work[layout.zOffset[l - 1]..<(layout.zOffset[l - 1] + sizes[l])]) }

    /// Runs `body` with raw access to parameters and work buffers (one exclusive access).
    @inlinable public mutating func withCore<R>(_ body: (MLPCore) -> R) -> R {
        let lay = layout, h = hidden, out = output, dfa = dfaOffset
        return params.withUnsafeMutableBufferPointer { pb in
            work.withUnsafeMutableBufferPointer { wb in
                feedback.withUnsafeMutableBufferPointer { fb in
                    presynapticSign.withUnsafeMutableBufferPointer { sb in
                        guard let p = pb.baseAddress, let w = wb.baseAddress, let f = fb.baseAddress, let s = sb.baseAddress else {
                            preconditionFailure("MLP buffers are never empty")
                        }
                        return body(MLPCore(layout: lay, hidden: h, output: out, dfaOffset: dfa, p: p, w: w, fb: f, sign: s))
                    }
                }
            }
        }
    }

    /// The output for input `x` (allocates; for tests, tasks and views).
    public mutating func predict(_ x: [Float]) -> [Float] {
        precondition(x.count == inputs)
        x.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            withCore { $0.forward(xp) }
        }
        return activity(layers)
    }

    /// Loss of input `x` against target `t` (forward pass only).
    public mutating func loss(_ x: UnsafePointer<Float>, _ t: UnsafePointer<Float>) -> Float {
        withCore { c in c.forward(x); return c.outputDelta(t) }
    }

    /// Index of the largest output (for classification).
    public func argmaxOutput() -> Int {
        let o = layout.aOffset[layers]
        var best = 0
        for k in 1..<outputs where work[o + k] > work[o + best] { best = k }
        return best
    }
}

/// Raw-pointer view of one MLP used inside `MLP.withCore`: the per-sample forward, backward
/// and update passes, allocation-free.
public struct MLPCore {
    public let layout: MLPLayout
    public let hidden: Activation
    public let output: Activation
    public let dfaOffset: [Int]
    public let p: UnsafeMutablePointer<Float>
    public let w: UnsafeMutablePointer<Float>
    public let fb: UnsafeMutablePointer<Float>
    public let sign: UnsafeMutablePointer<Float>

    @inlinable public init(layout: MLPLayout, hidden: Activation, output: Activation, dfaOffset: [Int],
                           p: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, fb: UnsafeMutablePointer<Float>,
                           sign: UnsafeMutablePointer<Float>) {
        self.layout = layout; self.hidden = hidden; self.output = output; self.dfaOffset = dfaOffset
        self.p = p; self.w = w; self.fb = fb; self.sign = sign
    }

    @inlinable public func activation(_ l: Int) -> Activation { l == layout.layers - 1 ? output : hidden }

    /// Forward pass: a_0 = x, z_{l+1} = W_l a_l + b_l (+ noise_l), a_{l+1} = f(z_{l+1}).
    /// `nodeNoise`, when given, is added to the net inputs (laid out like the z vectors,
    /// starting at the first hidden layer) for node perturbation.
    @inlinable public func forward(_ x: UnsafePointer<Float>, nodeNoise: UnsafePointer<Float>? = nil) {
        let lay = layout
        let s = lay.sizes
        (w + lay.aOffset[0]).update(from: x, count: s[0])
        var noiseOffset = 0
        for l in 0..<lay.layers {
            let z = w + lay.zOffset[l]
            RateKernels.gemv(p + lay.wOffset[l], rows: s[l + 1], cols: s[l], w + lay.aOffset[l], bias: p + lay.bOffset[l], into: z)
            if let nodeNoise { for i in 0..<s[l + 1] { z[i] += nodeNoise[noiseOffset + i] } }
            noiseOffset += s[l + 1]
            activation(l).apply(z, w + lay.aOffset[l + 1], s[l + 1])
        }
    }

    /// Sets the output error delta_L = dL/dz_L for target t and returns the loss L.
    @inlinable @discardableResult public func outputDelta(_ t: UnsafePointer<Float>) -> Float {
        let lay = layout
        let n = lay.outputs
        let a = w + lay.aOffset[lay.layers], z = w + lay.zOffset[lay.layers - 1], d = w + lay.dOffset[lay.layers - 1]
        var loss: Float = 0
        if output == .softmax {
            for k in 0..<n {
                d[k] = a[k] - t[k]
                if t[k] != 0 { loss -= t[k] * logf(max(a[k], 1e-30)) }
            }
        } else {
            for k in 0..<n {
                let e = a[k] - t[k]
                d[k] = e
                loss += 0.5 * e * e
            }
            output.multiplyDerivative(z, a, d, n)
        }
        return loss
    }

    /// Propagates delta_L to every hidden layer with the chosen feedback (see `ErrorFeedback`).
    @inlinable public func backward(_ mode: ErrorFeedback) {
        let lay = layout
        let s = lay.sizes
        let L = lay.layers
        if L < 2 { return }
        switch mode {
        case .backprop, .feedbackAlignment:
            let base = mode == .backprop ? p : fb
            for l in stride(from: L - 1, through: 1, by: -1) {
                let dPrev = w + lay.dOffset[l - 1]
                RateKernels.gemvT(base + lay.wOffset[l], rows: s[l + 1], cols: s[l], w + lay.dOffset[l], into: dPrev)
                hidden.multiplyDerivative(w + lay.zOffset[l - 1], w + lay.aOffset[l], dPrev, s[l])
            }
        case .directFeedbackAlignment:
            let dOut = w + lay.dOffset[L - 1]
            for l in 0..<(L - 1) {
                let d = w + lay.dOffset[l]
                RateKernels.gemv(fb + dfaOffset[l], rows: s[l + 1], cols: lay.outputs, dOut, bias: nil, into: d)
                hidden.multiplyDerivative(w + lay.zOffset[l], w + lay.aOffset[l + 1], d, s[l + 1])
            }
        }
    }

    /// g_W_l += scale * delta_{l+1} (D a_l)^T and g_b_l += scale * delta_{l+1} for every layer,
    /// where D = diag(presynaptic sign) (all +1 unless curl descent flips some units).
    @inlinable public func accumulateGradient(into g: UnsafeMutablePointer<Float>, scale: Float = 1, useSigns: Bool = false) {
        let lay = layout
        let s = lay.sizes
        let tmp = w + lay.scratch
        for l in 0..<lay.layers {
            var a = UnsafePointer(w + lay.aOffset[l])
            if useSigns {
                for j in 0..<s[l] { tmp[j] = a[j] * sign[lay.aOffset[l] + j] }
                a = UnsafePointer(tmp)
            }
            RateKernels.ger(scale, w + lay.dOffset[l], a, g + lay.wOffset[l], rows: s[l + 1], cols: s[l])
            RateKernels.axpy(scale, w + lay.dOffset[l], g + lay.bOffset[l], s[l + 1])
        }
    }

    /// One fused online SGD step on (x, t): forward, output error, then from the top layer
    /// down: delta_{l-1} from the not-yet-updated W_l (or B_l), then W_l <- W_l - eta delta_l
    /// (D a_{l-1})^T, b_l <- b_l - eta delta_l. Returns the loss before the update.
    @inlinable @discardableResult
    public func sgdStep(_ x: UnsafePointer<Float>, _ t: UnsafePointer<Float>, eta: Float, feedback mode: ErrorFeedback = .backprop,
                        useSigns: Bool = false) -> Float {
        forward(x)
        let loss = outputDelta(t)
        let lay = layout
        let s = lay.sizes
        let L = lay.layers
        if mode == .directFeedbackAlignment { backward(.directFeedbackAlignment) }
        let tmp = w + lay.scratch
        for l in stride(from: L - 1, through: 0, by: -1) {
            if l > 0 && mode != .directFeedbackAlignment {
                let dPrev = w + lay.dOffset[l - 1]
                let base = mode == .backprop ? p : fb
                RateKernels.gemvT(base + lay.wOffset[l], rows: s[l + 1], cols: s[l], w + lay.dOffset[l], into: dPrev)
                hidden.multiplyDerivative(w + lay.zOffset[l - 1], w + lay.aOffset[l], dPrev, s[l])
            }
            var a = UnsafePointer(w + lay.aOffset[l])
            if useSigns {
                for j in 0..<s[l] { tmp[j] = a[j] * sign[lay.aOffset[l] + j] }
                a = UnsafePointer(tmp)
            }
            RateKernels.ger(-eta, w + lay.dOffset[l], a, p + lay.wOffset[l], rows: s[l + 1], cols: s[l])
            RateKernels.axpy(-eta, w + lay.dOffset[l], p + lay.bOffset[l], s[l + 1])
        }
        return loss
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
