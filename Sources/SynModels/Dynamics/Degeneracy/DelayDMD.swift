import SynCore

/// Dynamic mode decomposition of delay-embedded states for science page 35's dynamics level:
/// the spectrum of the fitted operator (a cheap proxy) and the operators compared up to an
/// orthogonal change of coordinates (Dynamical Similarity Analysis, Ostrow et al. 2023).
///
/// States x_t (rows time-major, `sequences` streams side by side) are projected on their top-r
/// principal components p_t, delay-embedded as y_t = [p_t; p_{t−1}; …; p_{t−d+1}] (r·d
/// dimensions), and an affine operator is fitted by least squares over every stream:
///
///     y_{t+1} ≈ A y_t + a,   A = (Y₊ᵀ X̃)(X̃ᵀ X̃)⁺ restricted to its first r·d columns, X̃ = [Y | 1]
///
/// The spectrum of A (complex, r·d values) is returned. The pseudo-inverse drops directions with
/// eigenvalue below 1e-10 of the largest, so a rank-deficient embedding stays finite.
public enum DelayDMD {
    /// Eigenvalues of the fitted operator A of `states` ((T·C) × N, time-major), or NaN values
    /// when the fit is undefined (non-finite or constant states, too few steps); fewer values
    /// when the states span fewer than r directions.
    public static func spectrum(_ states: Matrix, sequences c: Int, rank r: Int, delays d: Int) -> [ComplexValue] {
        guard let fit = fit(states, sequences: c, rank: r, delays: d) else {
            return [ComplexValue](repeating: ComplexValue(.nan, .nan), count: max(0, min(r, states.cols) * d))
        }
        return RealEigen.eigenvalues(fit.operator, n: fit.dim)
    }

    /// The fitted operator A (dim × dim row-major, dim = r·d, in the coordinates of the states'
    /// own top-r principal components), or nil when the fit is undefined.
    public static func fit(_ states: Matrix, sequences c: Int, rank r: Int, delays d: Int) -> (operator: [Double], dim: Int)? {
        let steps = states.rows / max(1, c)
        guard r > 0, d > 0, steps > d, steps * c == states.rows,
              let p = PopulationCCA.scores(states, components: r) else { return nil }
        // Top-r principal-component scores (fewer if the states have fewer directions).
        let r = p.cols, dim = r * d
        // Normal equations over all (y_t, y_{t+1}) pairs: G = X̃ᵀX̃, H = Y₊ᵀX̃ (in Double).
        let m = dim + 1
        var g = [Double](repeating: 0, count: m * m), h = [Double](repeating: 0, count: dim * m)
        var x = [Double](repeating: 1, count: m), y = [Double](repeating: 0, count: dim)
        for s in 0..<c {
            for t in (d - 1)..<(steps - 1) {
                for lag in 0..<d {
                    for k in 0..<r {
                        x[lag * r + k] = Double(p[(t - lag) * c + s, k])
                        y[lag * r + k] = Double(p[(t + 1 - lag) * c + s, k])
                    }
                }
                for i in 0..<m { for j in 0..<m { g[i * m + j] += x[i] * x[j] } }
                for i in 0..<dim { for j in 0..<m { h[i * m + j] += y[i] * x[j] } }
            }
        }
        let ginv = pseudoInverse(g, n: m)
        var a = [Double](repeating: 0, count: dim * dim)
        for i in 0..<dim {
            for j in 0..<dim {
                var s = 0.0
                for k in 0..<m { s += h[i * m + k] * ginv[k * m + j] }
                a[i * dim + j] = s
            }
        }
        return a.allSatisfy(\.isFinite) ? (a, dim) : nil
    }

    /// Dynamical Similarity Analysis's distance (Ostrow et al. 2023) between two fitted
    /// operators: min over orthogonal C of ‖A − C B Cᵀ‖_F (`OrthogonalConjugacy`, a fixed
    /// random stream for its starts); NaN when the dimensions differ or a fit is missing.
    public static func dsaDistance(_ a: (operator: [Double], dim: Int)?, _ b: (operator: [Double], dim: Int)?) -> Double {
        guard let a, let b, a.dim == b.dim else { return .nan }
        var rng = RNG(seed: 35).stream("dsa")
        return OrthogonalConjugacy.distance(a.operator, b.operator, n: a.dim, rng: &rng).distance
    }

    /// Moore-Penrose pseudo-inverse of a symmetric positive semi-definite n × n matrix.
    static func pseudoInverse(_ g: [Double], n: Int) -> [Double] {
        let (values, v) = SymmetricEigen.decompose(g, n: n)
        let cut = (values.first ?? 0) * 1e-10
        var out = [Double](repeating: 0, count: n * n)
        for k in 0..<n where values[k] > cut && values[k] > 0 {
            let inv = 1 / values[k]
            for i in 0..<n { for j in 0..<n { out[i * n + j] += v[i * n + k] * inv * v[j * n + k] } }
        }
        return out
    }

    /// Distance between two spectra of equal size (NaN otherwise): the eigenvalues are paired by a minimum-cost
    /// assignment on |λ_i − μ_j|² (`Hungarian`), d = √(mean |λ_i − μ_π(i)|²). NaN if either
    /// spectrum has a non-finite value.
    public static func spectrumDistance(_ a: [ComplexValue], _ b: [ComplexValue]) -> Double {
        let n = a.count
        guard n > 0, b.count == n, (a + b).allSatisfy({ $0.re.isFinite && $0.im.isFinite }) else { return .nan }
        var cost = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let dr = a[i].re - b[j].re, di = a[i].im - b[j].im
                cost[i * n + j] = dr * dr + di * di
            }
        }
        let pi = Hungarian.assign(cost, n: n)
        return (Hungarian.total(cost, n: n, pi) / Double(n)).squareRoot()
    }
}
