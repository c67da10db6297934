import SynCore

/// Hebbian storage (Hopfield 1982):
///
///     W_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ   (i ≠ j),   W_ii = 0
///
/// N units, patterns ξ^μ ∈ {−1, +1}^N (μ = 1 … P), dimensionless. Random patterns are recalled
/// up to a load P/N of about 0.138 (Amit, Gutfreund & Sompolinsky 1985).
public struct HopfieldHebb: HopfieldLearningRule {
    public static let name = "hebb"
    public static let summary = "Hebbian storage, W = (1/N) Σ ξ ξᵀ with zero diagonal (Hopfield 1982): capacity ~0.14 N"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "W_ij = (1/N) sum_mu xi_i^mu xi_j^mu" }

    public func store(_ patterns: Matrix, count: Int, into net: inout Hopfield) {
        let n = net.n
        precondition(patterns.cols == n)
        let p = min(count, patterns.rows)
        let scale = 1 / Float(n)
        net.weights.withUnsafeMutableBufferPointer { wb in
            patterns.storage.withUnsafeBufferPointer { pb in
                guard let w = wb.baseAddress, let x = pb.baseAddress else { return }
                w.update(repeating: 0, count: n * n)
                for mu in 0..<p {
                    RateKernels.ger(scale, x + mu * n, x + mu * n, w, rows: n, cols: n)
                }
                for i in 0..<n { w[i * n + i] = 0 }
            }
        }
    }
}
