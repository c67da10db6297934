import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The UltraLIF neuron (Miñoza 2026): the LIF step written in its ultradiscrete (max-plus)
/// smooth form, so forward and backward use the same smooth function and no surrogate is
/// needed. With LSE_ε(a, b) = ε log(e^{a/ε} + e^{b/ε}) and σ the logistic function, per step
///
///     V' = LSE_ε(V + log τ, I),   s = σ((V' − θ)/ε),   V ← V' (1 − s)
///
/// (the leak "× τ" becomes "+ log τ", the sum a soft max); as ε → 0, V' → max(V + log τ, I)
/// and s → 1[V' > θ], the hard max-plus neuron. V, I and θ share one unit; τ is per step.
public struct UltraLIFStep: Sendable, Equatable {
    /// V', s, and the soft-max weight p = ∂V'/∂a of the leak branch (∂V'/∂I = 1 − p).
    public var vPrime: Float
    public var spike: Float
    public var p: Float

    /// One step from the leaked potential a = V + log τ and the input b = I.
    @inline(__always)
    public init(a: Float, b: Float, eps: Float, threshold: Float) {
        let m = max(a, b)
        let ea = expf((a - m) / eps), eb = expf((b - m) / eps)
        vPrime = m + eps * logf(ea + eb)
        p = ea / (ea + eb)
        spike = 1 / (1 + expf(-(vPrime - threshold) / eps))
    }

    /// The potential after the soft reset, V' (1 − s).
    public var reset: Float { vPrime * (1 - spike) }
}

/// A feed-forward network of UltraLIF layers with a linear read-out (the mean over T of the last
/// layer's input current is the logits), trained by exact BPTT through the smooth step. ε is one
/// value per hidden layer, parametrised as ε = exp(log ε) clamped to [0.1, 20] (the paper's
/// bounds); the weights and biases are an `MLP`'s, updated by `MLPOptimizer`.
///
///     I_l[t] = W_l s_{l−1}[t] + b_l          (s_0[t] = x, the input at every step; V_l[−1] = 0)
///     logits = (1/T) Σ_t I_L[t],   cross-entropy
public struct UltraLIFNetwork: Sendable {
    public var net: MLP
    /// log ε per hidden layer.
    public var logEps: [Float]
    public let steps: Int
    /// Leak factor τ per step (0 < τ < 1).
    public let tau: Float
    public let threshold: Float
    public static let epsRange: ClosedRange<Float> = 0.1...20

    /// Copies `net`'s parameters (so an arm can start from another's initial weights).
    public init(net: MLP, steps: Int, tau: Float, threshold: Float, eps: Float) {
        precondition(net.layers >= 1 && steps >= 1 && tau > 0 && tau < 1)
        self.net = net
        self.steps = steps
        self.tau = tau
        self.threshold = threshold
        logEps = [Float](repeating: logf(min(max(eps, Self.epsRange.lowerBound), Self.epsRange.upperBound)), count: max(0, net.layers - 1))
    }

    public var sizes: [Int] { net.sizes }
    public var layers: Int { net.layers }

    /// ε of hidden layer l (1-based, as in the tape).
    public func eps(_ l: Int) -> Float { min(max(expf(logEps[l - 1]), Self.epsRange.lowerBound), Self.epsRange.upperBound) }

    /// Sets every layer's ε (clamped to the bounds).
    public mutating func setEps(_ eps: Float) {
        let e = min(max(eps, Self.epsRange.lowerBound), Self.epsRange.upperBound)
        for l in logEps.indices { logEps[l] = logf(e) }
    }

    /// What a forward pass keeps for BPTT, per layer l and step t (B x n_l each, t-major):
    /// a = V + log τ, b = I, V', s, p (layer L: only b); s[0] is the input repeated per step.
    public struct Tape: Sendable {
        public var batch: Int
        public var a: [[Float]]
        public var b: [[Float]]
        public var vPrime: [[Float]]
        public var s: [[Float]]
        public var p: [[Float]]
        public var logits: [Float]
    }

    public func forward(_ x: [Float], batch B: Int) -> Tape {
        let sz = sizes, L = layers, T = steps, logTau = logf(tau)
        let empty = [[Float]](repeating: [], count: L + 1)
        var tape = Tape(batch: B, a: empty, b: empty, vPrime: empty, s: empty, p: empty, logits: [])
        tape.s[0] = [Float](repeating: 0, count: T * B * sz[0])
        for t in 0..<T { for k in 0..<(B * sz[0]) { tape.s[0][t * B * sz[0] + k] = x[k] } }
        for l in 1...L {
            let n = sz[l], count = T * B * n
            tape.b[l] = layerInput(l, tape.s[l - 1], batch: B)
            guard l < L else { break }
            let eps = self.eps(l)
            tape.a[l] = [Float](repeating: 0, count: count)
            tape.vPrime[l] = tape.a[l]
            tape.s[l] = tape.a[l]
            tape.p[l] = tape.a[l]
            var v = [Float](repeating: 0, count: B * n)
            for t in 0..<T {
                for k in 0..<(B * n) {
                    let idx = t * B * n + k, a = v[k] + logTau
                    let u = UltraLIFStep(a: a, b: tape.b[l][idx], eps: eps, threshold: threshold)
                    tape.a[l][idx] = a
                    tape.vPrime[l][idx] = u.vPrime
                    tape.s[l][idx] = u.spike
                    tape.p[l][idx] = u.p
                    v[k] = u.reset
                }
            }
        }
        let out = sz[L]
        tape.logits = [Float](repeating: 0, count: B * out)
        for t in 0..<T { for k in 0..<(B * out) { tape.logits[k] += tape.b[L][t * B * out + k] / Float(T) } }
        return tape
    }

    /// I_l[t] = s_{l−1}[t] W_lᵀ + b_l for every step (T·B x n_l).
    func layerInput(_ l: Int, _ below: [Float], batch B: Int) -> [Float] {
        let lay = net.layout, n = sizes[l], m = sizes[l - 1], rows = steps * B
        var out = [Float](repeating: 0, count: rows * n)
        net.params.withUnsafeBufferPointer { p in
            below.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { c in
                    guard let pb = p.baseAddress, let ab = a.baseAddress, let cb = c.baseAddress else { return }
                    for r in 0..<rows { for i in 0..<n { cb[r * n + i] = pb[lay.bOffset[l - 1] + i] } }
                    Gemm.sgemm(m: rows, n: n, k: m, alpha: 1, a: ab, lda: m, transA: false,
                               b: pb + lay.wOffset[l - 1], ldb: m, transB: true, beta: 1, c: cb, ldc: n)
                }
            }
        }
        return out
    }

    /// Loss, gradient in the MLP layout, gradient with respect to each layer's log ε (0 when ε
    /// sits at a bound), and the tape, on one batch.
    public func lossAndGradient(_ x: [Float], labels: [Int]) -> (loss: Float, gradient: [Float], epsGradient: [Float], tape: Tape) {
        let tape = forward(x, batch: labels.count)
        let sz = sizes, L = layers, T = steps, B = labels.count, lay = net.layout
        let (loss, gLogits) = SpikingMLP.crossEntropy(logits: tape.logits, labels: labels, classes: sz[L])
        var grad = [Float](repeating: 0, count: lay.paramCount)
        var gEps = [Float](repeating: 0, count: logEps.count)
        // dL/dI_L[t] = dL/dlogits / T.
        var gI = [Float](repeating: 0, count: T * B * sz[L])
        for t in 0..<T { for k in 0..<(B * sz[L]) { gI[t * B * sz[L] + k] = gLogits[k] / Float(T) } }
        for l in stride(from: L, through: 1, by: -1) {
            let n = sz[l], m = sz[l - 1]
            if l < L {
                // gI holds dL/ds_l[t]; turn it into dL/dI_l[t] through the smooth step, backwards in time.
                let eps = self.eps(l), rows = T * B * n
                var gS = gI
                gI = [Float](repeating: 0, count: rows)
                var carry = [Float](repeating: 0, count: B * n)   // dL/dV_l[t] (after reset) from step t + 1
                var ge: Float = 0
                for t in stride(from: T - 1, through: 0, by: -1) {
                    for k in 0..<(B * n) {
                        let idx = t * B * n + k
                        let vp = tape.vPrime[l][idx], s = tape.s[l][idx], p = tape.p[l][idx]
                        let z = (vp - threshold) / eps
                        let dsdv = s * (1 - s) / eps, dsde = -s * (1 - s) * z / eps
                        let gVp = gS[idx] * dsdv + carry[k] * ((1 - s) - vp * dsdv)
                        let dvpde = (vp - (p * tape.a[l][idx] + (1 - p) * tape.b[l][idx])) / eps
                        ge += gS[idx] * dsde - carry[k] * vp * dsde + gVp * dvpde
                        gI[idx] = gVp * (1 - p)
                        carry[k] = gVp * p
                    }
                }
                let e = expf(logEps[l - 1])
                gEps[l - 1] = Self.epsRange.contains(e) ? ge * e : 0
                gS.removeAll()
            }
            // dW_l = Σ_t gI[t]ᵀ s_{l−1}[t], db_l = Σ gI, dL/ds_{l−1} = gI W_l (all steps at once).
            let rows = T * B
            var below = [Float](repeating: 0, count: l > 1 ? rows * m : 0)
            grad.withUnsafeMutableBufferPointer { g in
                net.params.withUnsafeBufferPointer { pp in
                    tape.s[l - 1].withUnsafeBufferPointer { sb in
                        gI.withUnsafeBufferPointer { ib in
                            below.withUnsafeMutableBufferPointer { bb in
                                guard let gp = g.baseAddress, let wp = pp.baseAddress, let sp = sb.baseAddress, let ip = ib.baseAddress else { return }
                                Gemm.sgemm(m: n, n: m, k: rows, alpha: 1, a: ip, lda: n, transA: true,
                                           b: sp, ldb: m, transB: false, beta: 1, c: gp + lay.wOffset[l - 1], ldc: m)
                                for r in 0..<rows { for i in 0..<n { gp[lay.bOffset[l - 1] + i] += ip[r * n + i] } }
                                if l > 1, let bp = bb.baseAddress {
                                    Gemm.sgemm(m: rows, n: m, k: n, alpha: 1, a: ip, lda: n, transA: false,
                                               b: wp + lay.wOffset[l - 1], ldb: m, transB: false, beta: 0, c: bp, ldc: m)
                                }
                            }
                        }
                    }
                }
            }
            gI = below
        }
        return (loss, grad, gEps, tape)
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
