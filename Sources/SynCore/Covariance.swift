/// Covariance and second-moment matrices of data stored one sample per row.
///
/// Used by PCA alignment and spectral metrics (eigenspectra of weight or activity covariances).
public enum Covariance {
    /// The `cols x cols` covariance of `rows` (one sample per row, one feature per column).
    ///
    /// - `center: true`: sample covariance C = (X - mu)^T (X - mu) / (n - 1), with mu the column
    ///   means (the convention of `numpy.cov`); for n < 2 the result is all zeros.
    /// - `center: false`: second-moment matrix M = X^T X / n (for data assumed zero-mean, as Oja
    ///   and Sanger rules see it); for n = 0 the result is all zeros.
    ///
    /// Means are accumulated in Double; the product runs through `Kernels.gemm` in Float on the
    /// centred data (centring first avoids the cancellation of the E[x x^T] - mu mu^T form).
    public static func covariance(of rows: Matrix, center: Bool) -> Matrix {
        let n = rows.rows, d = rows.cols
        let divisor = center ? n - 1 : n
        guard divisor > 0, d > 0 else { return Matrix(rows: d, cols: d) }
        var x = rows
        if center {
            let mu = columnMeans(rows)
            x.storage.withUnsafeMutableBufferPointer { p in
                for i in 0..<n {
                    for j in 0..<d { p[i * d + j] -= Float(mu[j]) }
                }
            }
        }
        var c = Matrix(rows: d, cols: d)
        Kernels.gemm(x, x, into: &c, alpha: 1 / Float(divisor), transA: true)
        // Exact symmetry (the two triangles come from different summation orders).
        for i in 0..<d {
            for j in (i + 1)..<max(d, i + 1) {
                let s = 0.5 * (c[i, j] + c[j, i])
                c[i, j] = s
                c[j, i] = s
            }
        }
        return c
    }

    /// Column means of `rows`, accumulated in Double (empty input gives zeros).
    public static func columnMeans(_ rows: Matrix) -> [Double] {
        var mu = [Double](repeating: 0, count: rows.cols)
        guard rows.rows > 0 else { return mu }
        for i in 0..<rows.rows {
            for j in 0..<rows.cols { mu[j] += Double(rows.storage[i * rows.cols + j]) }
        }
        for j in 0..<rows.cols { mu[j] /= Double(rows.rows) }
        return mu
    }
}
