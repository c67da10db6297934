import SynCore

/// The one low-rank Gaussian generator: x = U diag(sqrt(lambda)) z + sigma e, with z ~ N(0, I_r)
/// the latents, e ~ N(0, I_d) isotropic noise and U a random d x r matrix with orthonormal
/// columns (r <= d). Its covariance C = U diag(lambda) U^T + sigma^2 I is known exactly, so
/// learned components can be checked against C's eigenvectors. Samples are drawn one at a time
/// (streaming, for the Hebbian layer) or as a finite train/test set (`Tasks.lowRank`).
public struct LowRankGaussian: Sendable {
    /// Input dimension d.
    public let dimension: Int
    /// Variances lambda_k along the principal axes (data units squared), descending; count r.
    public let variances: [Float]
    /// Standard deviation sigma of the isotropic noise (data units).
    public let noise: Float
    /// Orthonormal axes U (d x r), column k = axis of `variances[k]`.
    public let axes: Matrix
    private let scales: [Float]

    /// - Parameters:
    ///   - dimension: d (defaults to the number of variances: a full-rank spectrum).
    ///   - variances: the spectrum lambda_1 >= lambda_2 >= ... of the signal (count r <= d).
    ///   - noise: sigma, added to every input dimension.
    ///   - rng: draws the random axes U (d normals per axis, Gram-Schmidt in Double).
    public init(dimension: Int? = nil, variances: [Float], noise: Float = 0, rng: inout RNG) {
        let d = dimension ?? variances.count
        precondition(variances.count <= d && !variances.isEmpty)
        self.dimension = d
        self.variances = variances.sorted(by: >)
        self.noise = noise
        scales = self.variances.map { $0.squareRoot() }
        axes = Tasks.randomOrthonormalColumns(rows: d, cols: variances.count, rng: &rng)
    }

    /// The latent rank r.
    public var rank: Int { variances.count }

    /// The exact covariance C = U diag(lambda) U^T + sigma^2 I.
    public var covariance: Matrix {
        Matrix(rows: dimension, cols: dimension) { r, c in
            var s: Float = r == c ? noise * noise : 0
            for k in 0..<rank { s += axes[r, k] * variances[k] * axes[c, k] }
            return s
        }
    }

    /// Draws one sample into `x` (count d); latent k is passed to `latent(k, z_k)`. Draw order:
    /// the r latents, then (when sigma > 0) the d noise values. No allocation.
    public func sample(into x: inout [Float], rng: inout RNG, latent: (Int, Float) -> Void = { _, _ in }) {
        for j in 0..<dimension { x[j] = 0 }
        for k in 0..<rank {
            let z = rng.normal()
            latent(k, z)
            let a = scales[k] * z
            for j in 0..<dimension { x[j] += a * axes[j, k] }
        }
        if noise > 0 { for j in 0..<dimension { x[j] += noise * rng.normal() } }
    }
}
