import SynCore

/// Canonical correlations between two populations' activity over the same n samples, each first
/// reduced to its top-q principal components (SVCCA-style, as on science page 28):
///
///     X (n × p), Y (n × p') centred;  S_X = X V_X[:, 1..q] (PCA scores, `Covariance` +
///     `SymmetricEigen`);  Q_X = S_X with unit-norm columns (PCA scores are already orthogonal,
///     so this orthonormalises them);  ρ_1 ≥ … ≥ ρ_q = singular values of Q_Xᵀ Q_Y.
///
/// ρ_j ∈ [0, 1]; all 1 when Y's top-q subspace equals X's (Y = X, or Y = X R for an orthogonal
/// R), near √(q/n) for independent populations. Components with no variance (relative to the
/// largest, < 1e-6) are dropped, so q may shrink; nil when a population is constant.
public enum PopulationCCA {
    /// Orthonormal basis (n × q') of X's top-q principal-component scores, q' ≤ q the components
    /// with variance; nil when X is constant over samples or has non-finite entries.
    public static func basis(_ x: Matrix, components q: Int) -> Matrix? {
        guard var s = scores(x, components: q) else { return nil }
        normaliseColumns(&s)
        return s
    }

    /// X's top-q principal-component scores (n × q', centred X times its top eigenvectors of the
    /// covariance), q' ≤ q the components with variance above 1e-6 of the largest; nil as `basis`.
    public static func scores(_ x: Matrix, components q: Int) -> Matrix? {
        guard x.rows >= 2, x.cols >= 1, q >= 1 else { return nil }
        let cx = CKA.centred(x)
        let (values, vectors) = SymmetricEigen.decompose(Covariance.covariance(of: cx, center: false))
        guard let top = values.first, top.isFinite, top > 0 else { return nil }
        let keep = values.prefix(min(q, x.cols)).prefix { $0 > 1e-6 * top }.count
        guard keep > 0 else { return nil }
        let v = Matrix(rows: x.cols, cols: keep) { i, j in vectors[i, j] }
        var s = Matrix(rows: x.rows, cols: keep)
        Kernels.gemm(cx, v, into: &s)
        return s
    }

    /// Scales every column of `s` to unit norm (a zero column stays zero).
    public static func normaliseColumns(_ s: inout Matrix) {
        for j in 0..<s.cols {
            var ss = 0.0
            for i in 0..<s.rows { ss += Double(s[i, j]) * Double(s[i, j]) }
            let inv = ss > 0 ? Float(1 / ss.squareRoot()) : 0
            for i in 0..<s.rows { s[i, j] *= inv }
        }
    }

    /// Canonical correlations (descending) between two orthonormal bases of `basis`; as many as
    /// the smaller basis has columns.
    public static func correlations(_ qa: Matrix, _ qb: Matrix) -> [Double] {
        precondition(qa.rows == qb.rows, "CCA: \(qa.rows) vs \(qb.rows) samples")
        var m = Matrix(rows: qa.cols, cols: qb.cols)
        Kernels.gemm(qa, qb, into: &m, transA: true)
        // Singular values of M: square roots of the eigenvalues of the smaller Gram matrix.
        let small = qa.cols <= qb.cols
        var g = Matrix(rows: small ? qa.cols : qb.cols, cols: small ? qa.cols : qb.cols)
        Kernels.gemm(m, m, into: &g, transA: !small, transB: small)
        return SymmetricEigen.eigenvalues(g).map { min(1, max(0, $0).squareRoot()) }
    }

    /// Mean of the canonical correlations of X's and Y's top-q PC scores; NaN when either is constant.
    public static func mean(_ x: Matrix, _ y: Matrix, components q: Int) -> Double {
        guard let qa = basis(x, components: q), let qb = basis(y, components: q) else { return .nan }
        let rho = correlations(qa, qb)
        return rho.isEmpty ? .nan : rho.reduce(0, +) / Double(rho.count)
    }
}
