import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rate reservoir with separate excitatory and inhibitory populations (Dale's law), driven by
/// one input signal. A Dale-constrained relative of `EchoStateNetwork` (Jaeger 2001): rates are
/// non-negative, each column of W has one sign, and each unit scales its incoming recurrent
/// weights by a plastic gain a_i (synaptic scaling), so the reservoir can be tuned while it runs.
///
///     h_i(t)   = sum_j W_ij r_j(t)
///     x_i(t+1) = (1 - l) x_i(t) + l (G a_i h_i(t) + w_in,i u(t) + b_i)
///     r_i      = phi(x_i) = (1 + tanh x_i) / 2
///
/// x: activation (dimensionless), r in (0, 1): rate, l in (0, 1]: leak (step / membrane time
/// constant), G: global recurrent gain (live control), a_i > 0: unit gain, b_i: threshold/bias,
/// u: input. W_ij >= 0 for the first `excitatory` columns (E), <= 0 for the rest (I). At
/// construction |W_ij| = c k_j |z_ij| with z ~ N(0, 1), k_j = 1 (E) or N_E / N_I (I, so that E
/// and I inputs balance on average), and c chosen so that the circular-law radius of the
/// centred matrix, sqrt(N Var W_ij), is `radius`.
///
/// The local Jacobian of the map is (1 - l) I + l M with M = G diag(a) W diag(phi'(x)); the
/// autonomous reservoir is chaotic roughly when the spectral radius of M exceeds 1.
public struct EIReservoir: Sendable {
    public let size: Int
    /// N_E: units 0..<excitatory are excitatory, the rest inhibitory.
    public let excitatory: Int
    public let leak: Float
    /// Recurrent weights, row i = incoming weights of unit i. Column signs follow Dale's law.
    public private(set) var w: Matrix
    public let wIn: [Float]
    /// Per-unit bias b_i (moved by intrinsic plasticity).
    public var bias: [Float]
    /// Per-unit recurrent gain a_i (moved by synaptic scaling), > 0.
    public var gains: [Float]
    /// Global recurrent gain G (live control).
    public var globalGain: Float
    public private(set) var activation: [Float]
    public private(set) var rates: [Float]
    /// Scaled recurrent input G a_i h_i of the last step.
    public private(set) var recurrent: [Float]
    private var h: [Float]

    public init(size: Int, excitatoryFraction: Double, radius: Float, inputScale: Float, bias: Float, leak: Float, rng: inout RNG) {
        let ne = Int((Double(size) * excitatoryFraction).rounded())
        precondition(size >= 2 && ne >= 1 && ne < size && leak > 0 && leak <= 1 && radius >= 0)
        self.size = size
        excitatory = ne
        self.leak = leak
        let ni = size - ne
        let kI = Float(ne) / Float(ni)
        // Var |z| = 1 - 2/pi for z ~ N(0, 1); N Var W_ij = c^2 (N_E + N_I k_I^2) (1 - 2/pi).
        let halfNormalVar: Float = 1 - 2 / Float.pi
        let c = radius / (Float(ne) + Float(ni) * kI * kI).squareRoot() / halfNormalVar.squareRoot()
        w = Matrix(rows: size, cols: size) { i, j in
            let m = abs(rng.normal())
            if i == j { return 0 }
            return j < ne ? c * m : -c * kI * m
        }
        wIn = (0..<size).map { _ in rng.uniform(-inputScale, inputScale) }
        self.bias = [Float](repeating: bias, count: size)
        gains = [Float](repeating: 1, count: size)
        globalGain = 1
        activation = (0..<size).map { _ in 0.1 * rng.normal() }
        rates = activation.map { (1 + RateKernels.tanh1($0)) / 2 }
        recurrent = [Float](repeating: 0, count: size)
        h = recurrent
    }

    /// True when every E column is >= 0 and every I column <= 0.
    public var obeysDale: Bool {
        for i in 0..<size {
            for j in 0..<size where j < excitatory ? w[i, j] < 0 : w[i, j] > 0 { return false }
        }
        return true
    }

    /// Advances one step with input u.
    public mutating func step(input u: Float) {
        let n = size, l = leak, g = globalGain
        w.storage.withUnsafeBufferPointer { wb in
            rates.withUnsafeBufferPointer { rb in
                h.withUnsafeMutableBufferPointer { hb in
                    guard let wp = wb.baseAddress, let rp = rb.baseAddress, let hp = hb.baseAddress else { return }
                    RateKernels.gemv(wp, rows: n, cols: n, rp, bias: nil, into: hp)
                }
            }
        }
        for i in 0..<n {
            let rec = g * gains[i] * h[i]
            recurrent[i] = rec
            activation[i] = (1 - l) * activation[i] + l * (rec + wIn[i] * u + bias[i])
        }
        // r = (1 + tanh x) / 2, vectorised.
        for i in 0..<n { rates[i] = activation[i] }
        rates.withUnsafeMutableBufferPointer { rb in
            guard let rp = rb.baseAddress else { return }
            RateKernels.tanh(rp, n)
        }
        for i in 0..<n { rates[i] = 0.5 * (1 + rates[i]) }
    }

    /// phi'(x_i) = 2 r_i (1 - r_i).
    @inline(__always) public func slope(_ i: Int) -> Float { 2 * rates[i] * (1 - rates[i]) }

    /// The effective recurrent matrix G diag(a) W (what the units actually receive).
    public func effectiveWeight(_ i: Int, _ j: Int) -> Float { globalGain * gains[i] * w[i, j] }

    /// Recurrent excitatory and inhibitory input of unit i, G a_i sum_{j in E} W_ij r_j and
    /// G a_i sum_{j in I} W_ij r_j (the second <= 0).
    public func currents(_ i: Int) -> (e: Float, i: Float) {
        let ne = excitatory, n = size, s = globalGain * gains[i]
        return w.storage.withUnsafeBufferPointer { wb in
            rates.withUnsafeBufferPointer { rb in
                guard let wp = wb.baseAddress, let rp = rb.baseAddress else { return (0, 0) }
                let row = wp + i * n
                return (s * RateKernels.dot(row, rp, ne), s * RateKernels.dot(row + ne, rp + ne, n - ne))
            }
        }
    }

    /// Propagates a tangent vector through one step of the map's local Jacobian at the current
    /// state, v <- ((1 - l) I + l M) v with M = G diag(a) W diag(phi'(x)) (call before `step`;
    /// plastic changes of a and b are not part of the Jacobian), and returns |v| after the
    /// step. `scratch` and `product` are work buffers of `size` entries (no allocation).
    public func propagateTangent(_ v: inout [Float], scratch: inout [Float], product: inout [Float]) -> Float {
        let n = size, l = leak, g = globalGain
        for j in 0..<n { scratch[j] = v[j] * slope(j) }
        w.storage.withUnsafeBufferPointer { wb in
            scratch.withUnsafeBufferPointer { sb in
                product.withUnsafeMutableBufferPointer { pb in
                    guard let wp = wb.baseAddress, let sp = sb.baseAddress, let pp = pb.baseAddress else { return }
                    RateKernels.gemv(wp, rows: n, cols: n, sp, bias: nil, into: pp)
                }
            }
        }
        var norm: Float = 0
        for i in 0..<n {
            v[i] = (1 - l) * v[i] + l * g * gains[i] * product[i]
            norm += v[i] * v[i]
        }
        return norm.squareRoot()
    }

    /// Spectral radius of M = G diag(a) W diag(phi'(x)) at the current state, by power
    /// iteration from `start` (Gelfand's formula: the geometric-mean growth of |M^k v| over
    /// the last half of `iterations` steps; it handles complex leading eigenvalue pairs, which
    /// plain Rayleigh quotients do not). Deterministic; reads no RNG.
    public func jacobianRadius(start: [Float], iterations: Int = 60) -> Double {
        precondition(start.count == size && iterations >= 2)
        let n = size
        var v = start.map(Double.init)
        var norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return 0 }
        for i in 0..<n { v[i] /= norm }
        var tmp = [Float](repeating: 0, count: n)
        var out = [Float](repeating: 0, count: n)
        var logSum = 0.0, counted = 0
        for k in 0..<iterations {
            for j in 0..<n { tmp[j] = Float(v[j]) * slope(j) }
            w.storage.withUnsafeBufferPointer { wb in
                tmp.withUnsafeBufferPointer { tb in
                    out.withUnsafeMutableBufferPointer { ob in
                        guard let wp = wb.baseAddress, let tp = tb.baseAddress, let op = ob.baseAddress else { return }
                        RateKernels.gemv(wp, rows: n, cols: n, tp, bias: nil, into: op)
                    }
                }
            }
            norm = 0
            for i in 0..<n {
                v[i] = Double(globalGain * gains[i] * out[i])
                norm += v[i] * v[i]
            }
            norm = norm.squareRoot()
            guard norm > 0, norm.isFinite else { return 0 }
            for i in 0..<n { v[i] /= norm }
            if k >= iterations / 2 { logSum += log(norm); counted += 1 }
        }
        return exp(logSum / Double(counted))
    }

    /// Singular values of the effective weights G diag(a) W (via `SymmetricEigen` on
    /// (G diag(a) W)(G diag(a) W)^T), descending. O(N^3): call at the metrics cadence.
    public func singularValues() -> [Double] {
        let n = size
        var m = [Double](repeating: 0, count: n * n)
        var rowI = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let si = Double(globalGain * gains[i])
            for k in 0..<n { rowI[k] = si * Double(w[i, k]) }
            for j in 0...i {
                let sj = Double(globalGain * gains[j])
                var s = 0.0
                for k in 0..<n { s += rowI[k] * Double(w[j, k]) }
                m[i * n + j] = s * sj
                m[j * n + i] = s * sj
            }
        }
        return SymmetricEigen.eigenvalues(m, n: n).map { max(0, $0).squareRoot() }
    }
}
