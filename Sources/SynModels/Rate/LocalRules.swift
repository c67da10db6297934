import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local (unsupervised) plasticity rule for a `HebbianLayer`: the parameter value; the state
/// (BCM thresholds, lateral weights) lives in the layer. Symbols: x (inputs), y (outputs),
/// u = W x (feedforward drive), w_i (row i of W), eta (learning rate, dimensionless).
///
/// - `hebb`: dW = eta y x^T (Hebb 1949; unstable: |w| grows without bound)
/// - `oja`: dw_i = eta y_i (x - y_i w_i) (Oja 1982; w -> unit-norm first principal component)
/// - `sanger`: dW = eta (y x^T - LT(y y^T) W), LT = lower triangle with diagonal (Sanger 1989,
///   generalized Hebbian algorithm; rows -> the leading principal components, in order)
/// - `bcm(tau)`: dw_i = eta x y_i (y_i - theta_i), theta_i <- theta_i + (y_i^2 - theta_i) / tau
///   (Bienenstock, Cooper & Munro 1982; sliding threshold, tau in samples; units become
///   selective to one input pattern)
/// - `foldiak(lateralEta)`: feedforward Oja updates on the settled output y = W x + M y, and
///   anti-Hebbian lateral weights dM_ij = -lateralEta y_i y_j (i != j) (Földiák 1989;
///   decorrelates the outputs, which then span the principal subspace)
/// - `softHebb(temperature)`: y = softmax(u / temperature), dw_i = eta y_i (x - u_i w_i)
///   (Moraitis et al. 2022, "SoftHebb"; soft winner-take-all, rows -> normalised cluster
///   centres)
public enum LocalRule: Sendable, Equatable {
    case hebb
    case oja
    case sanger
    case bcm(tau: Float)
    case foldiak(lateralEta: Float)
    case softHebb(temperature: Float)

    public var name: String {
        switch self {
        case .hebb: "hebb"
        case .oja: "oja"
        case .sanger: "sanger"
        case .bcm: "bcm"
        case .foldiak: "foldiak"
        case .softHebb: "softhebb"
        }
    }

    /// True when the rule needs the lateral connections M.
    public var usesLateral: Bool { if case .foldiak = self { true } else { false } }
}

/// A linear layer y = W x, optionally with lateral connections M (zero diagonal) so that the
/// output settles to y = W x + M y, learning with a `LocalRule`.
public struct HebbianLayer: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// Feedforward weights (outputs x inputs).
    public var w: Matrix
    /// Lateral weights (outputs x outputs, zero diagonal); used by `foldiak`.
    public var m: Matrix
    /// BCM sliding thresholds theta_i.
    public var theta: [Float]
    /// Output and drive of the last sample.
    public private(set) var y: [Float]
    public private(set) var u: [Float]
    /// Fixed-point iterations of y = W x + M y per sample.
    public var settleSteps: Int

    /// W ~ N(0, initScale^2 / inputs), M = 0, theta = 0.
    public init(inputs: Int, outputs: Int, initScale: Float = 1, settleSteps: Int = 30, rng: inout RNG) {
        self.inputs = inputs
        self.outputs = outputs
        let sd = initScale / Float(inputs).squareRoot()
        w = Matrix(rows: outputs, cols: inputs) { _, _ in sd * rng.normal() }
        m = Matrix(rows: outputs, cols: outputs)
        theta = [Float](repeating: 0, count: outputs)
        y = [Float](repeating: 0, count: outputs)
        u = y
        self.settleSteps = settleSteps
    }

    /// Computes the output for x under `rule` (softmax for SoftHebb, lateral settling for
    /// Földiák, else y = u = W x).
    public mutating func respond(_ x: [Float], rule: LocalRule) {
        precondition(x.count == inputs)
        Kernels.gemv(w, x, into: &u)
        switch rule {
        case .softHebb(let temp):
            var mx = -Float.infinity
            for i in 0..<outputs { mx = max(mx, u[i] / temp) }
            var s: Float = 0
            for i in 0..<outputs { y[i] = expf(u[i] / temp - mx); s += y[i] }
            for i in 0..<outputs { y[i] /= s }
        case .foldiak:
            y = u
            var my = y
            for _ in 0..<settleSteps {
                Kernels.gemv(m, y, into: &my)
                for i in 0..<outputs { y[i] = u[i] + my[i] }
            }
        default:
            y = u
        }
    }

    /// Responds to x and applies one update of `rule` with learning rate eta.
    public mutating func learn(_ x: [Float], rule: LocalRule, eta: Float) {
        respond(x, rule: rule)
        let n = inputs
        switch rule {
        case .hebb:
            Kernels.ger(eta, y, x, &w)
        case .oja, .foldiak:
            for i in 0..<outputs {
                let yi = y[i]
                for j in 0..<n { w.storage[i * n + j] += eta * yi * (x[j] - yi * w.storage[i * n + j]) }
            }
            if case .foldiak(let le) = rule {
                for i in 0..<outputs {
                    for k in 0..<outputs where k != i { m.storage[i * outputs + k] -= le * y[i] * y[k] }
                }
            }
        case .sanger:
            // dw_i = eta y_i (x - sum_{k<=i} y_k w_k), computed row by row with a running
            // reconstruction so the cost is O(outputs * inputs).
            var recon = [Float](repeating: 0, count: n)
            let old = w
            for i in 0..<outputs {
                let yi = y[i]
                for j in 0..<n { recon[j] += yi * old.storage[i * n + j] }
                for j in 0..<n { w.storage[i * n + j] += eta * yi * (x[j] - recon[j]) }
            }
        case .bcm(let tau):
            for i in 0..<outputs {
                let yi = y[i]
                let k = eta * yi * (yi - theta[i])
                for j in 0..<n { w.storage[i * n + j] += k * x[j] }
                theta[i] += (yi * yi - theta[i]) / tau
            }
        case .softHebb:
            for i in 0..<outputs {
                let yi = y[i], ui = u[i]
                for j in 0..<n { w.storage[i * n + j] += eta * yi * (x[j] - ui * w.storage[i * n + j]) }
            }
        }
    }
}
