import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A feed-forward network of LIF layers trained by backpropagation through time (Tavanaei et al.
/// 2019, gradient family; spikingjelly's LIF node). The input x (e.g. pixel intensities) is a
/// constant current at each of T steps; every hidden layer l spikes, the last layer is a
/// non-spiking read-out membrane whose mean over T gives the logits:
///
///     I_l[t] = W_l S_{l−1}[t] + b_l                  (S_0[t] = x)
///     H_l[t] = V_l[t−1] + (I_l[t] − V_l[t−1]) / τ    (τ in steps; V_l[−1] = 0)
///     S_l[t] = 1[H_l[t] ≥ V_th],  V_l[t] = H_l[t] (1 − S_l[t])     (hard reset to 0)
///     U[t] = U[t−1] + (I_L[t] − U[t−1]) / τ,   logits = (1/T) Σ_t U[t],  cross-entropy
///
/// Backward, the spike's derivative is the rule's pseudo-derivative at H − V_th; the reset
/// path is kept (∂V/∂H = 1 − S − H ∂S/∂H) unless `detachReset`. Parameters are an `MLP`'s
/// (same layout and initialisation), updated by `MLPOptimizer`.
public struct SpikingMLP: Sendable {
    public var net: MLP
    /// Time steps per input.
    public let steps: Int
    public let tau: Float
    public let threshold: Float
    public var detachReset: Bool
    /// Forward with the rule's smooth spike instead of the Heaviside (exact gradients; tests).
    public var smoothForward = false

    public init(sizes: [Int], steps: Int, tau: Float, threshold: Float = 1, gain: Float, detachReset: Bool = false, rng: inout RNG) {
        precondition(sizes.count >= 2 && steps >= 1 && tau >= 1)
        net = MLP(sizes: sizes, hidden: .relu, output: .softmax, gain: gain, rng: &rng)
        self.steps = steps
        self.tau = tau
        self.threshold = threshold
        self.detachReset = detachReset
    }

    public var sizes: [Int] { net.sizes }
    public var layers: Int { net.layers }

    /// What a forward pass keeps for BPTT: per layer l (1...L) and step t, H and S (B x n_l).
    public struct Tape: Sendable {
        public var batch: Int
        /// h[l][t * B * n + b * n + i] (l = 0 unused); for the read-out, U.
        public var h: [[Float]]
        /// s[l][...] (l = 0: the input repeated per step).
        public var s: [[Float]]
        public var logits: [Float]
    }

    /// Forward pass of `batch` inputs (row-major B x n_0).
    public func forward(_ x: [Float], batch: Int, surrogate: any SurrogateGradient) -> Tape {
        let sz = sizes, L = layers, T = steps, B = batch
        let decay = 1 - 1 / tau, gain = 1 / tau
        var h = [[Float]](repeating: [], count: L + 1), s = [[Float]](repeating: [], count: L + 1)
        s[0] = [Float](repeating: 0, count: T * B * sz[0])
        for t in 0..<T { for k in 0..<(B * sz[0]) { s[0][t * B * sz[0] + k] = x[k] } }
        var current = [Float](repeating: 0, count: B * (sz.max() ?? 1))
        for l in 1...L {
            let n = sz[l], m = sz[l - 1], readout = l == L
            h[l] = [Float](repeating: 0, count: T * B * n)
            s[l] = readout ? [] : [Float](repeating: 0, count: T * B * n)
            var v = [Float](repeating: 0, count: B * n)
            for t in 0..<T {
                affine(layer: l - 1, input: s[l - 1], offset: t * B * m, batch: B, into: &current)
                for k in 0..<(B * n) {
                    let hk = decay * v[k] + gain * current[k]
                    h[l][t * B * n + k] = hk
                    if readout {
                        v[k] = hk
                    } else {
                        let sk = smoothForward ? surrogate.smoothSpike(hk - threshold) : (hk >= threshold ? 1 : 0)
                        s[l][t * B * n + k] = sk
                        v[k] = hk * (1 - sk)
                    }
                }
            }
        }
        let out = sz[L]
        var logits = [Float](repeating: 0, count: B * out)
        for t in 0..<T { for k in 0..<(B * out) { logits[k] += h[L][t * B * out + k] / Float(T) } }
        return Tape(batch: B, h: h, s: s, logits: logits)
    }

    /// current (B x n_l+1) = input (B x n_l, at `offset`) W_lᵀ + b_l.
    func affine(layer l: Int, input: [Float], offset: Int, batch: Int, into current: inout [Float]) {
        let lay = net.layout, n = sizes[l + 1], m = sizes[l]
        net.params.withUnsafeBufferPointer { p in
            input.withUnsafeBufferPointer { a in
                current.withUnsafeMutableBufferPointer { c in
                    guard let pb = p.baseAddress, let ab = a.baseAddress, let cb = c.baseAddress else { return }
                    for b in 0..<batch { for i in 0..<n { cb[b * n + i] = pb[lay.bOffset[l] + i] } }
                    Gemm.sgemm(m: batch, n: n, k: m, alpha: 1, a: ab + offset, lda: m, transA: false,
                               b: pb + lay.wOffset[l], ldb: m, transB: true, beta: 1, c: cb, ldc: n)
                }
            }
        }
    }

    /// Mean cross-entropy of the tape's logits against `labels` (nats).
    public static func crossEntropy(logits: [Float], labels: [Int], classes: Int) -> (loss: Float, gradient: [Float]) {
        let B = labels.count
        var g = [Float](repeating: 0, count: B * classes)
        var loss: Float = 0
        for b in 0..<B {
            let row = logits[(b * classes)..<((b + 1) * classes)]
            let m = row.max() ?? 0
            var z: Float = 0
            for v in row { z += expf(v - m) }
            for c in 0..<classes {
                let p = expf(logits[b * classes + c] - m) / z
                g[b * classes + c] = (p - (c == labels[b] ? 1 : 0)) / Float(B)
            }
            loss += (logf(z) + m - logits[b * classes + labels[b]]) / Float(B)
        }
        return (loss, g)
    }

    /// Loss and its BPTT gradient (MLP parameter layout) on one batch.
    public func lossAndGradient(_ x: [Float], labels: [Int], surrogate: any SurrogateGradient) -> (loss: Float, gradient: [Float], tape: Tape) {
        let tape = forward(x, batch: labels.count, surrogate: surrogate)
        let sz = sizes, L = layers, T = steps, B = labels.count
        let (loss, gLogits) = Self.crossEntropy(logits: tape.logits, labels: labels, classes: sz[L])
        let decay = 1 - 1 / tau, gain = 1 / tau
        var grad = [Float](repeating: 0, count: net.layout.paramCount)
        // gOut[t]: dL/dS_l[t] arriving from the layer above (for the read-out: dL/dU via logits).
        var gAbove = [Float](repeating: 0, count: T * B * sz[L])
        // Read-out: U[t] = decay U[t−1] + gain I[t]; dL/dU[t] = gLogits/T + decay dL/dU[t+1].
        var gI = [Float](repeating: 0, count: T * B * sz[L])
        var carry = [Float](repeating: 0, count: B * sz[L])
        for t in stride(from: T - 1, through: 0, by: -1) {
            for k in 0..<(B * sz[L]) {
                carry[k] = gLogits[k] / Float(T) + decay * carry[k]
                gI[t * B * sz[L] + k] = gain * carry[k]
            }
        }
        for l in stride(from: L, through: 1, by: -1) {
            let n = sz[l], m = sz[l - 1]
            if l < L {
                // Spiking layer: dL/dH[t] = dL/dS[t] S'(H[t]) + dL/dV[t] ∂V/∂H, dL/dV[t] = decay dL/dH[t+1].
                gI = [Float](repeating: 0, count: T * B * n)
                var gH = [Float](repeating: 0, count: B * n)
                for t in stride(from: T - 1, through: 0, by: -1) {
                    for k in 0..<(B * n) {
                        let idx = t * B * n + k
                        let hk = tape.h[l][idx], sk = tape.s[l][idx]
                        let ds = surrogate.derivative(hk - threshold)
                        let dvdh = detachReset ? 1 - sk : 1 - sk - hk * ds
                        let gV = decay * gH[k]
                        gH[k] = gAbove[idx] * ds + gV * dvdh
                        gI[idx] = gain * gH[k]
                    }
                }
            }
            // dW_l += Σ_t gI[t]ᵀ S_{l−1}[t]; db_l += Σ_t Σ_b gI[t]; dS_{l−1}[t] = gI[t] W_l.
            var gBelow = [Float](repeating: 0, count: l > 1 ? T * B * m : 0)
            let lay = net.layout
            grad.withUnsafeMutableBufferPointer { g in
                net.params.withUnsafeBufferPointer { p in
                    tape.s[l - 1].withUnsafeBufferPointer { sb in
                        gI.withUnsafeBufferPointer { gib in
                            gBelow.withUnsafeMutableBufferPointer { gbb in
                                guard let gp = g.baseAddress, let pp = p.baseAddress, let sp = sb.baseAddress, let ip = gib.baseAddress else { return }
                                for t in 0..<T {
                                    Gemm.sgemm(m: n, n: m, k: B, alpha: 1, a: ip + t * B * n, lda: n, transA: true,
                                               b: sp + t * B * m, ldb: m, transB: false, beta: 1, c: gp + lay.wOffset[l - 1], ldc: m)
                                    for b in 0..<B { for i in 0..<n { gp[lay.bOffset[l - 1] + i] += ip[t * B * n + b * n + i] } }
                                    if l > 1, let bp = gbb.baseAddress {
                                        Gemm.sgemm(m: B, n: m, k: n, alpha: 1, a: ip + t * B * n, lda: n, transA: false,
                                                   b: pp + lay.wOffset[l - 1], ldb: m, transB: false, beta: 0, c: bp + t * B * m, ldc: m)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            gAbove = gBelow
        }
        return (loss, grad, tape)
    }

    /// The predicted class of each input of a forward pass.
    public static func predictions(_ tape: Tape, classes: Int) -> [Int] {
        (0..<tape.batch).map { b in
            var best = 0
            for c in 1..<classes where tape.logits[b * classes + c] > tape.logits[b * classes + best] { best = c }
            return best
        }
    }
}
