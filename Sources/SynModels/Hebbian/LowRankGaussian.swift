import SynCore

/// Zero-mean Gaussian data with a chosen covariance spectrum: x = Q diag(sqrt(lambda)) z,
/// z ~ N(0, I), Q a random orthogonal basis. Its covariance C = Q diag(lambda) Q^T is known
/// exactly, so learned components can be checked against C's eigenvectors.
public struct LowRankGaussian: Sendable {
    public let dimension: Int
    /// Variances along the principal axes (data units squared), descending.
    public let variances: [Float]
    /// Orthonormal axes, row k = axis of `variances[k]`.
    public let axes: Matrix
    private let scales: [Float]

    /// - Parameters:
    ///   - variances: the spectrum lambda_1 >= lambda_2 >= ... (count = dimension).
    ///   - rng: draws the random rotation Q.
    public init(variances: [Float], rng: inout RNG) {
        let d = variances.count
        dimension = d
        self.variances = variances.sorted(by: >)
        scales = self.variances.map { $0.squareRoot() }
        // Gram-Schmidt on Gaussian vectors gives a Haar-random orthonormal basis.
        var q = Matrix(rows: d, cols: d)
        for k in 0..<d {
            var v = (0..<d).map { _ in rng.normal() }
            for _ in 0..<2 {
                for p in 0..<k {
                    var dot: Float = 0
                    for j in 0..<d { dot += v[j] * q[p, j] }
                    for j in 0..<d { v[j] -= dot * q[p, j] }
                }
            }
            var norm: Float = 0
            for j in 0..<d { norm += v[j] * v[j] }
            norm = max(norm.squareRoot(), 1e-12)
            for j in 0..<d { q[k, j] = v[j] / norm }
        }
        axes = q
    }

    /// The exact covariance C = Q^T-rows diag(lambda) Q.
    public var covariance: Matrix {
        Matrix(rows: dimension, cols: dimension) { r, c in
            var s: Float = 0
            for k in 0..<dimension { s += axes[k, r] * variances[k] * axes[k, c] }
            return s
        }
    }

    /// Draws one sample into `x` (count = dimension).
    public func sample(into x: inout [Float], rng: inout RNG) {
        for j in 0..<dimension { x[j] = 0 }
        for k in 0..<dimension {
            let a = scales[k] * rng.normal()
            for j in 0..<dimension { x[j] += a * axes[k, j] }
        }
    }
}
