import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Dale's-law sigmoid rate reservoir whose inhibition each unit scales by its own gain β_i
/// (Srinivasan, Plenz & Girvan, arXiv 2504.12480; reconstructed on the science page):
///
///     x_{t+1} = (1 − a) x_t + a · sigmoid(W_E x_t − β ⊙ (W_I x_t) + w_in u_t + b),  x ∈ (0, 1)^N
///
/// W_E ≥ 0 holds the columns of the excitatory units (the first 80 %), W_I ≥ 0 those of the
/// inhibitory units; each ordered pair i ≠ j is connected with probability p, entries U(0, 1)
/// scaled by one factor so that the mean total excitatory input weight per unit is J (W_I gets
/// the same factor, so β_bal = Σ W_E / Σ W_I ≈ 4 equalises the E and I weight mass).
/// w_in ~ U(−s, s). The state x and gains β belong to the caller (one network, several arms).
public struct InhibitoryGainReservoir: Sendable {
    public let size: Int
    public let excitatory: Int
    public let leak: Float
    public let bias: Float
    public private(set) var wE: SparseMatrix
    public private(set) var wI: SparseMatrix
    public let wIn: [Float]
    /// Mean total excitatory input weight per unit.
    public private(set) var meanExcitation: Float
    /// Σ W_E / Σ W_I: the global inhibitory gain that balances E and I weight mass.
    public let betaBalance: Float
    private var hE: [Float]
    private var hI: [Float]

    public init(size: Int, excitatoryFraction: Double = 0.8, connectionProbability: Double, meanExcitation j: Float,
                inputScale: Float, leak: Float = 1, bias: Float = 0, rng: inout RNG) {
        precondition(size >= 2 && connectionProbability > 0 && connectionProbability <= 1 && leak > 0 && leak <= 1)
        self.size = size
        excitatory = min(size - 1, max(1, Int((Double(size) * excitatoryFraction).rounded())))
        self.leak = leak
        self.bias = bias
        var eEntries: [(row: Int, col: Int, value: Float)] = []
        var iEntries: [(row: Int, col: Int, value: Float)] = []
        var eSum = 0.0, iSum = 0.0
        for i in 0..<size {
            for k in 0..<size where k != i && rng.bernoulli(connectionProbability) {
                let v = rng.uniform()
                if k < excitatory { eEntries.append((i, k, v)); eSum += Double(v) } else { iEntries.append((i, k, v)); iSum += Double(v) }
            }
        }
        let scale = eSum > 0 ? Float(Double(j) * Double(size) / eSum) : 0
        wE = SparseMatrix(rows: size, cols: size, entries: eEntries.map { ($0.row, $0.col, $0.value * scale) })
        wI = SparseMatrix(rows: size, cols: size, entries: iEntries.map { ($0.row, $0.col, $0.value * scale) })
        meanExcitation = eSum > 0 ? j : 0
        betaBalance = iSum > 0 ? Float(eSum / iSum) : 0
        wIn = (0..<size).map { _ in rng.uniform(-inputScale, inputScale) }
        hE = [Float](repeating: 0, count: size)
        hI = hE
    }

    /// Rescales W_E and W_I together so the mean total excitatory input is `j` (β_bal is
    /// unchanged: it is a ratio).
    public mutating func setMeanExcitation(_ j: Float) {
        guard meanExcitation > 0, j > 0 else { return }
        let f = j / meanExcitation
        for k in wE.values.indices { wE.values[k] *= f }
        for k in wI.values.indices { wI.values[k] *= f }
        meanExcitation = j
    }

    /// One step of `x` with inhibitory gains `beta` and input `u`.
    public mutating func step(_ x: inout [Float], beta: [Float], input u: Float) {
        wE.multiply(x, into: &hE)
        wI.multiply(x, into: &hI)
        let a = leak
        for i in 0..<size {
            let v = hE[i] - beta[i] * hI[i] + wIn[i] * u + bias
            x[i] = (1 - a) * x[i] + a / (1 + expf(-v))
        }
    }
}
