import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One excitatory–inhibitory circuit layer (Liu, Ding & Yu, ICLR 2026, "DeepEISNN"): n_E
/// excitatory units receive the input x ≥ 0 directly and through n_I = n_E/4 linear,
/// non-spiking interneurons that inhibit them subtractively and divisively. For each row x:
///
///     I_EE = W_EE x,   I_IE = W_IE x,   I_EI = W_EI I_IE,   I_bal = I_EE − I_EI
///     I_sh = W_EI (g_I ⊙ I_IE),   I_int = g_E ⊙ I_bal / I_sh + b_E      (to the LIF node)
///
/// The read-out layer returns I_bal (no division). W_EE, W_IE, W_EI, g_I, g_E ≥ 0 (`clamp`).
/// Parameters are one flat array [W_EE | W_IE | W_EI | g_I | g_E | b_E] (row-major, W_XY is
/// |X| x |Y|). With `ei-prop` ("E-I Prop") zeros of I_sh are replaced by the row's smallest
/// non-zero value (straight through backward) and W_EI's gradient is divided by the fan-in d;
/// without it I_sh is floored at `floor` (also straight through) and W_EI's gradient is raw.
public struct EICircuitLayer: Sendable, Equatable {
    public let inputs: Int
    public let excitatory: Int
    public let inhibitory: Int
    public let readout: Bool
    public var params: [Float]
    /// Floor on I_sh without E-I Prop.
    public static let floor: Float = 1e-6

    public init(inputs d: Int, excitatory nE: Int, inhibitory nI: Int, readout: Bool) {
        precondition(d >= 1 && nE >= 1 && nI >= 1)
        inputs = d
        excitatory = nE
        inhibitory = nI
        self.readout = readout
        params = [Float](repeating: 0, count: nE * d + nI * d + nE * nI + nI + 2 * nE)
        for k in 0..<(nE * nI) { params[ei + k] = 1 / Float(nI) }
        for k in 0..<nI { params[gainI + k] = 1 }
        for k in 0..<nE { params[gainE + k] = 1 }
    }

    // Offsets into `params`.
    public var ee: Int { 0 }
    public var ie: Int { excitatory * inputs }
    public var ei: Int { ie + inhibitory * inputs }
    public var gainI: Int { ei + excitatory * inhibitory }
    public var gainE: Int { gainI + inhibitory }
    public var bias: Int { gainE + excitatory }

    /// What the forward pass keeps for the backward pass (and the views), all R x width.
    public struct Cache: Sendable {
        public var rows = 0
        public var x: [Float] = []
        public var iEE: [Float] = []
        public var iEI: [Float] = []
        public var iIE: [Float] = []
        /// I_sh after the zero replacement / floor.
        public var iSh: [Float] = []
        /// 1 / I_sh, 0 where a row has no non-zero I_sh at all (an all-silent input row).
        public var invSh: [Float] = []
    }

    /// The E-I Init statistics of an input block: scale of the exponential weights and g_I.
    ///
    ///     s = √(Var[x] / (d (E[x²] + Var[x]))),   g_I = √(E[x²] + Var[x]) / (√d E[x])
    ///
    /// E[x], E[x²] over all entries; Var[x] the per-feature (unbiased) variance over the rows,
    /// averaged over features. A silent block (E[x] = 0) gives g_I = 1 and s = 1/d.
    public static func initScales(_ x: [Float], rows: Int, inputs d: Int) -> (scale: Float, gainI: Float) {
        guard rows >= 2, d >= 1 else { return (1 / Float(max(1, d)), 1) }
        var sum = 0.0, sumSq = 0.0, varSum = 0.0
        for j in 0..<d {
            var s = 0.0, s2 = 0.0
            for r in 0..<rows {
                let v = Double(x[r * d + j])
                s += v
                s2 += v * v
            }
            sum += s
            sumSq += s2
            varSum += max(0, (s2 - s * s / Double(rows)) / Double(rows - 1))
        }
        let n = Double(rows * d), mean = sum / n, meanSq = sumSq / n, variance = varSum / Double(d)
        guard mean > 0, variance > 0 else { return (1 / Float(d), 1) }
        let scale = (variance / (Double(d) * (meanSq + variance))).squareRoot()
        let gain = (meanSq + variance).squareRoot() / (Double(d).squareRoot() * mean)
        return (Float(scale), Float(gain))
    }

    /// E-I Init from the first batch's input block: W_EE, W_IE ~ Exponential(s), W_EI = 1/n_I,
    /// g_I as in `initScales`, g_E = 1, b_E = 0.
    public mutating func eiInit(_ x: [Float], rows: Int, rng: inout RNG) {
        let (s, g) = Self.initScales(x, rows: rows, inputs: inputs)
        for k in 0..<ei { params[k] = -s * logf(1 - rng.uniform()) }
        resetCircuit(gainI: g)
    }

    /// The fallback without E-I Init: W_EE, W_IE ~ U(0, 1/√d), g_I = 1, the rest as E-I Init.
    public mutating func uniformInit(rng: inout RNG) {
        let bound = 1 / Float(inputs).squareRoot()
        for k in 0..<ei { params[k] = rng.uniform(0, bound) }
        resetCircuit(gainI: 1)
    }

    private mutating func resetCircuit(gainI g: Float) {
        for k in 0..<(excitatory * inhibitory) { params[ei + k] = 1 / Float(inhibitory) }
        for k in 0..<inhibitory { params[gainI + k] = g }
        for k in 0..<excitatory { params[gainE + k] = 1; params[bias + k] = 0 }
    }

    /// W_EE, W_IE, W_EI, g_I, g_E ← max(0, ·) (b_E is free).
    public mutating func clamp() {
        for k in 0..<bias where params[k] < 0 { params[k] = 0 }
    }

    /// The layer's output for an R x d input block: I_int (hidden) or I_bal (read-out), R x n_E.
    public func forward(_ x: [Float], rows R: Int, eiProp: Bool) -> (out: [Float], cache: Cache) {
        let d = inputs, nE = excitatory, nI = inhibitory
        var c = Cache()
        c.rows = R
        c.x = x
        c.iEE = [Float](repeating: 0, count: R * nE)
        c.iIE = [Float](repeating: 0, count: R * nI)
        c.iEI = c.iEE
        BlockProduct.gemm(&c.iEE, x, params, transB: true, m: R, n: nE, k: d, bOffset: ee)
        BlockProduct.gemm(&c.iIE, x, params, transB: true, m: R, n: nI, k: d, bOffset: ie)
        BlockProduct.gemm(&c.iEI, c.iIE, params, transB: true, m: R, n: nE, k: nI, bOffset: ei)
        var out = [Float](repeating: 0, count: R * nE)
        if readout {
            for k in 0..<(R * nE) { out[k] = c.iEE[k] - c.iEI[k] }
            return (out, c)
        }
        var gated = c.iIE
        for r in 0..<R { for k in 0..<nI { gated[r * nI + k] *= params[gainI + k] } }
        c.iSh = [Float](repeating: 0, count: R * nE)
        BlockProduct.gemm(&c.iSh, gated, params, transB: true, m: R, n: nE, k: nI, bOffset: ei)
        c.invSh = [Float](repeating: 0, count: R * nE)
        for r in 0..<R {
            let o = r * nE
            if eiProp {
                // Adaptive stabilisation: zeros take the row's smallest non-zero I_sh.
                var smallest = Float.infinity
                for j in 0..<nE where c.iSh[o + j] > 0 { smallest = min(smallest, c.iSh[o + j]) }
                for j in 0..<nE {
                    if c.iSh[o + j] <= 0 { c.iSh[o + j] = smallest }
                    c.invSh[o + j] = smallest.isFinite ? 1 / c.iSh[o + j] : 0
                }
            } else {
                for j in 0..<nE {
                    c.iSh[o + j] = max(c.iSh[o + j], Self.floor)
                    c.invSh[o + j] = 1 / c.iSh[o + j]
                }
            }
            for j in 0..<nE {
                out[o + j] = params[gainE + j] * (c.iEE[o + j] - c.iEI[o + j]) * c.invSh[o + j] + params[bias + j]
            }
        }
        return (out, c)
    }

    /// Gradients of the parameters (`params` layout) and of the input block from dL/d(output).
    public func backward(_ gOut: [Float], cache c: Cache, eiProp: Bool) -> (gParams: [Float], gX: [Float]) {
        let d = inputs, nE = excitatory, nI = inhibitory, R = c.rows
        var g = [Float](repeating: 0, count: params.count)
        // a = dL/dI_bal, dsh = dL/dI_sh.
        var a = gOut, dsh = [Float](repeating: 0, count: readout ? 0 : R * nE)
        if !readout {
            for r in 0..<R {
                let o = r * nE
                for j in 0..<nE {
                    let gj = gOut[o + j], inv = c.invSh[o + j], bal = c.iEE[o + j] - c.iEI[o + j]
                    g[bias + j] += gj
                    g[gainE + j] += gj * bal * inv
                    a[o + j] = gj * params[gainE + j] * inv
                    dsh[o + j] = -a[o + j] * bal * inv
                }
            }
        }
        var gEE = [Float](repeating: 0, count: nE * d)
        BlockProduct.gemm(&gEE, a, transA: true, c.x, m: nE, n: d, k: R)
        // I_EI = I_IE W_EIᵀ: dW_EI = −aᵀ I_IE, dI_IE = −a W_EI.
        var gEI = [Float](repeating: 0, count: nE * nI)
        BlockProduct.gemm(&gEI, a, transA: true, c.iIE, m: nE, n: nI, k: R, alpha: -1)
        var gIE = [Float](repeating: 0, count: R * nI)
        BlockProduct.gemm(&gIE, a, params, m: R, n: nI, k: nE, bOffset: ei, alpha: -1)
        if !readout {
            // I_sh = (g_I ⊙ I_IE) W_EIᵀ: dW_EI += dshᵀ (g_I ⊙ I_IE); m = dsh W_EI,
            // dI_IE += m ⊙ g_I, dg_I = Σ_rows m ⊙ I_IE.
            var gated = c.iIE
            for r in 0..<R { for k in 0..<nI { gated[r * nI + k] *= params[gainI + k] } }
            BlockProduct.gemm(&gEI, dsh, transA: true, gated, m: nE, n: nI, k: R, beta: 1)
            var m = [Float](repeating: 0, count: R * nI)
            BlockProduct.gemm(&m, dsh, params, m: R, n: nI, k: nE, bOffset: ei)
            for r in 0..<R {
                for k in 0..<nI {
                    let v = m[r * nI + k]
                    gIE[r * nI + k] += v * params[gainI + k]
                    g[gainI + k] += v * c.iIE[r * nI + k]
                }
            }
        }
        var gWIE = [Float](repeating: 0, count: nI * d)
        BlockProduct.gemm(&gWIE, gIE, transA: true, c.x, m: nI, n: d, k: R)
        // dx = a W_EE + dI_IE W_IE.
        var gX = [Float](repeating: 0, count: R * d)
        BlockProduct.gemm(&gX, a, params, m: R, n: d, k: nE, bOffset: ee)
        BlockProduct.gemm(&gX, gIE, params, m: R, n: d, k: nI, bOffset: ie, beta: 1)
        let scaleEI: Float = eiProp ? 1 / Float(d) : 1
        for k in 0..<(nE * d) { g[ee + k] = gEE[k] }
        for k in 0..<(nI * d) { g[ie + k] = gWIE[k] }
        for k in 0..<(nE * nI) { g[ei + k] = gEI[k] * scaleEI }
        return (g, gX)
    }
}
