import SynCore

/// A leaky tanh rate RNN run on a batch of conditions at once, with BPTT for the sparse-recording
/// loss of Salatiello & Giese (2020, science page 28):
///
///     h_t = (1 − α) h_{t−1} + α (W r_{t−1} + B u_t),  r_t = tanh h_t,  z_t = W_z r_t,  h_0 = 0
///
/// h, r: N unit states and rates (dimensionless), u: I inputs, z: O outputs, α ∈ (0, 1] the
/// integration rate per step. θ = [W (N×N) | B (N×I) | W_z (O×N)], row-major, one flat vector so
/// a `DynamicsRule` updates it. Every pass takes C conditions side by side: row t·C + c of the
/// input, rate and output buffers is condition c at step t (time-major), so each step is one GEMM.
public struct LeakyRNN: Sendable, Equatable {
    public let units: Int
    public let inputs: Int
    public let outputs: Int
    public let alpha: Float
    public var params: [Float]

    /// Offsets of W, B and W_z in `params`.
    public var bOffset: Int { units * units }
    public var zOffset: Int { units * units + units * inputs }

    /// W ~ gain · N(0, 1/N) (gain > 1: chaotic on its own), B ~ N(0, 1), W_z ~ N(0, 1/N).
    public init(units: Int, inputs: Int, outputs: Int, alpha: Float, gain: Float, rng: inout RNG) {
        precondition(units > 0 && inputs > 0 && outputs > 0 && alpha > 0 && alpha <= 1)
        self.units = units
        self.inputs = inputs
        self.outputs = outputs
        self.alpha = alpha
        let sd = 1 / Float(units).squareRoot()
        var p = [Float](repeating: 0, count: units * (units + inputs + outputs))
        for i in 0..<(units * units) { p[i] = gain * sd * rng.normal() }
        for i in (units * units)..<(units * (units + inputs)) { p[i] = rng.normal() }
        for i in (units * (units + inputs))..<p.count { p[i] = sd * rng.normal() }
        params = p
    }

    /// The activity of one pass: rates (T+1)·C × N with r_0 = 0 in block 0, outputs T·C × O.
    public struct Trajectory: Sendable, Equatable {
        public let conditions: Int
        public let steps: Int
        public var rates: [Float]
        public var outputs: [Float]

        /// Rates of steps 1...T as a (T·C) × N matrix (rows time-major), for population measures.
        public func rateMatrix(units: Int) -> Matrix {
            Matrix(rows: steps * conditions, cols: units, storage: Array(rates[(conditions * units)...]))
        }
    }

    /// Runs the network from h_0 = 0 on inputs u (T·C × I, time-major) for C conditions.
    public func run(_ u: [Float], conditions c: Int) -> Trajectory {
        let n = units, steps = u.count / (c * inputs)
        precondition(steps * c * inputs == u.count && steps > 0)
        var rates = [Float](repeating: 0, count: (steps + 1) * c * n)
        var out = [Float](repeating: 0, count: steps * c * outputs)
        var h = [Float](repeating: 0, count: c * n), drive = h
        let a = alpha, ni = inputs, no = outputs, zOff = zOffset, bOff = bOffset
        params.withUnsafeBufferPointer { pb in
            u.withUnsafeBufferPointer { ub in
                rates.withUnsafeMutableBufferPointer { rb in
                    h.withUnsafeMutableBufferPointer { hb in
                        drive.withUnsafeMutableBufferPointer { db in
                            out.withUnsafeMutableBufferPointer { ob in
                                guard let p = pb.baseAddress, let up = ub.baseAddress, let r = rb.baseAddress,
                                      let hp = hb.baseAddress, let d = db.baseAddress, let o = ob.baseAddress else { return }
                                for t in 1...steps {
                                    // drive = R_{t−1} Wᵀ + U_t Bᵀ
                                    Gemm.sgemm(m: c, n: n, k: n, alpha: 1, a: r + (t - 1) * c * n, lda: n, transA: false,
                                               b: p, ldb: n, transB: true, beta: 0, c: d, ldc: n)
                                    Gemm.sgemm(m: c, n: n, k: ni, alpha: 1, a: up + (t - 1) * c * ni, lda: ni, transA: false,
                                               b: p + bOff, ldb: ni, transB: true, beta: 1, c: d, ldc: n)
                                    let rt = r + t * c * n
                                    for i in 0..<(c * n) {
                                        hp[i] += a * (d[i] - hp[i])
                                        rt[i] = hp[i]
                                    }
                                    RateKernels.tanh(rt, c * n)
                                }
                                // Z = R_{1..T} W_zᵀ
                                Gemm.sgemm(m: steps * c, n: no, k: n, alpha: 1, a: r + c * n, lda: n, transA: false,
                                           b: p + zOff, ldb: n, transB: true, beta: 0, c: o, ldc: no)
                            }
                        }
                    }
                }
            }
        }
        return Trajectory(conditions: c, steps: steps, rates: rates, outputs: out)
    }

    /// The two terms of the sparse-recording loss at θ = `params`:
    ///
    ///     L = (1/(C T)) Σ_{c,t} ‖z_t − ẑ_t‖² + λ (1/(C T k)) Σ_{c,t} Σ_{i<k} (r_{t,i} − r̂_{t,π(i)})²
    ///
    /// with ẑ, r̂ the `target`'s outputs and rates, student unit i (i < k) assigned to target unit
    /// `recorded[i]`. Returns (output term, recording term without λ; 0 for k = 0) and writes
    /// ∂L/∂θ into `grad` (BPTT through the whole trial).
    public func lossAndGradient(_ u: [Float], target: Trajectory, recorded: [Int], lambda: Float,
                                into grad: inout [Float]) -> (output: Double, recording: Double) {
        let c = target.conditions, steps = target.steps, n = units, no = outputs, ni = inputs
        let tr = run(u, conditions: c)
        precondition(tr.steps == steps && grad.count == params.count && recorded.count <= n)
        let rows = steps * c
        // Output error, scaled to ∂L/∂z.
        var ez = [Float](repeating: 0, count: rows * no)
        var outLoss = 0.0
        let sz = 2 / Float(rows)
        for i in 0..<ez.count {
            let e = tr.outputs[i] - target.outputs[i]
            outLoss += Double(e) * Double(e)
            ez[i] = sz * e
        }
        outLoss /= Double(rows)
        // d: first ∂L/∂r_t (direct terms), then overwritten by ∂L/∂h_t going back in time.
        var d = [Float](repeating: 0, count: rows * n)
        var recLoss = 0.0
        let k = recorded.count
        if k > 0 {
            let sr = 2 * lambda / Float(rows * k)
            for row in 0..<rows {
                for (i, j) in recorded.enumerated() {
                    let e = tr.rates[(row + c) * n + i] - target.rates[(row + c) * n + j]
                    recLoss += Double(e) * Double(e)
                    d[row * n + i] = sr * e
                }
            }
            recLoss /= Double(rows * k)
        }
        var next = [Float](repeating: 0, count: c * n), carry = next
        let a = alpha, zOff = zOffset, bOff = bOffset
        params.withUnsafeBufferPointer { pb in
            tr.rates.withUnsafeBufferPointer { rb in
                ez.withUnsafeBufferPointer { eb in
                    d.withUnsafeMutableBufferPointer { db in
                        next.withUnsafeMutableBufferPointer { nb in
                            carry.withUnsafeMutableBufferPointer { cb in
                                u.withUnsafeBufferPointer { ub in
                                    grad.withUnsafeMutableBufferPointer { gb in
                                        guard let p = pb.baseAddress, let r = rb.baseAddress, let e = eb.baseAddress,
                                              let dp = db.baseAddress, let nx = nb.baseAddress, let cy = cb.baseAddress,
                                              let up = ub.baseAddress, let g = gb.baseAddress else { return }
                                        // ∂L/∂r += E_z W_z
                                        Gemm.sgemm(m: rows, n: n, k: no, alpha: 1, a: e, lda: no, transA: false,
                                                   b: p + zOff, ldb: n, transB: false, beta: 1, c: dp, ldc: n)
                                        // ∂L/∂h_t = (1 − r_t²) ⊙ (∂L/∂r_t + α ∂L/∂h_{t+1} W) + (1 − α) ∂L/∂h_{t+1}
                                        for t in stride(from: steps, through: 1, by: -1) {
                                            let dt = dp + (t - 1) * c * n, rt = r + t * c * n
                                            if t < steps {
                                                Gemm.sgemm(m: c, n: n, k: n, alpha: a, a: dt + c * n, lda: n, transA: false,
                                                           b: p, ldb: n, transB: false, beta: 0, c: nx, ldc: n)
                                                for i in 0..<(c * n) { cy[i] = (1 - a) * dt[c * n + i] }
                                            }
                                            for i in 0..<(c * n) {
                                                dt[i] = (1 - rt[i] * rt[i]) * (dt[i] + nx[i]) + cy[i]
                                            }
                                        }
                                        // ∂L/∂W = α Σ_t D_tᵀ R_{t−1}, ∂L/∂B = α Σ_t D_tᵀ U_t, ∂L/∂W_z = E_zᵀ R_{1..T}
                                        Gemm.sgemm(m: n, n: n, k: rows, alpha: a, a: dp, lda: n, transA: true,
                                                   b: r, ldb: n, transB: false, beta: 0, c: g, ldc: n)
                                        Gemm.sgemm(m: n, n: ni, k: rows, alpha: a, a: dp, lda: n, transA: true,
                                                   b: up, ldb: ni, transB: false, beta: 0, c: g + bOff, ldc: ni)
                                        Gemm.sgemm(m: no, n: n, k: rows, alpha: 1, a: e, lda: no, transA: true,
                                                   b: r + c * n, ldb: n, transB: false, beta: 0, c: g + zOff, ldc: n)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (outLoss, recLoss)
    }
}
