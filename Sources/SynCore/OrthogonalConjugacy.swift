/// The distance between two linear operators up to an orthogonal change of coordinates, the
/// core of Dynamical Similarity Analysis (Ostrow et al. 2023):
///
///     d(A, B) = min over C ∈ O(n) of ‖A − C B Cᵀ‖_F
///
/// found by Riemannian gradient descent on the orthogonal group (Cayley retraction, Armijo
/// backtracking) from `starts` starting points: the identity, then random orthogonal matrices
/// drawn from `rng`, each also with its first column negated so that both components of O(n)
/// are searched; the best local minimum is returned. d(A, A) = 0 exactly (the identity start), and
/// d ≤ ‖A − B‖_F always. The problem is not convex: more starts make a global minimum likelier.
public enum OrthogonalConjugacy {
    /// The distance and the minimising C (n × n row-major), for n × n matrices in Double.
    public static func distance(_ a: [Double], _ b: [Double], n: Int, starts: Int = 16, iterations: Int = 500,
                                rng: inout RNG) -> (distance: Double, c: [Double]) {
        precondition(n >= 1 && a.count == n * n && b.count == n * n && starts >= 1)
        guard (a + b).allSatisfy(\.isFinite) else { return (.nan, identity(n)) }
        var best = (distance: Double.infinity, c: identity(n))
        var base = identity(n)
        for s in 0..<starts {
            // Starts come in pairs, Q and Q·diag(−1, 1, …, 1), one in each component of O(n)
            // (det +1 and −1), which gradient steps cannot cross: the identity first, then
            // random orthogonal matrices.
            if s > 0 && s % 2 == 0 { base = randomOrthogonal(n, rng: &rng) }
            var start = base
            if s % 2 == 1 { for i in 0..<n { start[i * n] = -start[i * n] } }
            let (f, c) = descend(a, b, n: n, from: start, iterations: iterations)
            if f < best.distance * best.distance { best = (f.squareRoot(), c) }
            if best.distance == 0 { break }
        }
        return best
    }

    /// f(C) = ‖A − C B Cᵀ‖²_F.
    static func objective(_ a: [Double], _ b: [Double], _ c: [Double], n: Int) -> (f: Double, e: [Double]) {
        let cbct = multiply(multiply(c, b, n), transpose(c, n), n)
        var e = [Double](repeating: 0, count: n * n)
        var f = 0.0
        for k in 0..<(n * n) { e[k] = a[k] - cbct[k]; f += e[k] * e[k] }
        return (f, e)
    }

    /// Gradient descent from `c`: the Euclidean gradient G = −2 (E C Bᵀ + Eᵀ C B), its Riemannian
    /// part W = (CᵀG − GᵀC) / 2 (skew), and the step C ← C (I + τW/2)⁻¹ (I − τW/2), which stays
    /// orthogonal; τ halves until f decreases enough and grows again after a success.
    static func descend(_ a: [Double], _ b: [Double], n: Int, from start: [Double], iterations: Int) -> (Double, [Double]) {
        var c = start
        var (f, e) = objective(a, b, c, n: n)
        var tau = 1.0 / max(1e-12, frobenius(b) * frobenius(b))
        for _ in 0..<iterations where f > 0 {
            let ecbt = multiply(multiply(e, c, n), transpose(b, n), n)
            let etcb = multiply(multiply(transpose(e, n), c, n), b, n)
            var g = [Double](repeating: 0, count: n * n)
            for k in 0..<(n * n) { g[k] = -2 * (ecbt[k] + etcb[k]) }
            let ctg = multiply(transpose(c, n), g, n)
            var w = [Double](repeating: 0, count: n * n)
            var norm2 = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    w[i * n + j] = 0.5 * (ctg[i * n + j] - ctg[j * n + i])
                    norm2 += w[i * n + j] * w[i * n + j]
                }
            }
            // Along the Cayley curve df/dτ = −‖W‖²_F at τ = 0: the Armijo test below uses it.
            guard norm2 > 1e-24 * max(1, f) else { break }
            var accepted = false
            for _ in 0..<40 {
                guard let step = cayley(w, tau: tau, n: n) else { tau *= 0.5; continue }
                let trial = multiply(c, step, n)
                let (ft, et) = objective(a, b, trial, n: n)
                if ft <= f - 1e-4 * tau * norm2 {
                    (c, f, e) = (trial, ft, et)
                    accepted = true
                    tau *= 2
                    break
                }
                tau *= 0.5
            }
            if !accepted { break }
        }
        return (f, c)
    }

    /// (I + τW/2)⁻¹ (I − τW/2) for skew W: orthogonal; nil if the solve is singular.
    static func cayley(_ w: [Double], tau: Double, n: Int) -> [Double]? {
        var lhs = identity(n), rhs = identity(n)
        for k in 0..<(n * n) {
            lhs[k] += 0.5 * tau * w[k]
            rhs[k] -= 0.5 * tau * w[k]
        }
        return solve(lhs, rhs, n: n)
    }

    /// X with L X = R (n × n each) by Gaussian elimination with partial pivoting; nil if singular.
    static func solve(_ l: [Double], _ r: [Double], n: Int) -> [Double]? {
        var m = l, x = r
        for col in 0..<n {
            var pivot = col
            for row in (col + 1)..<n where abs(m[row * n + col]) > abs(m[pivot * n + col]) { pivot = row }
            guard abs(m[pivot * n + col]) > 1e-300 else { return nil }
            if pivot != col {
                for k in 0..<n {
                    m.swapAt(col * n + k, pivot * n + k)
                    x.swapAt(col * n + k, pivot * n + k)
                }
            }
            let inv = 1 / m[col * n + col]
            for row in 0..<n where row != col {
                let factor = m[row * n + col] * inv
                guard factor != 0 else { continue }
                for k in 0..<n {
                    m[row * n + k] -= factor * m[col * n + k]
                    x[row * n + k] -= factor * x[col * n + k]
                }
            }
        }
        for row in 0..<n {
            let inv = 1 / m[row * n + row]
            for k in 0..<n { x[row * n + k] *= inv }
        }
        return x
    }

    /// A random orthogonal matrix: Gram-Schmidt on Gaussian columns (Haar up to column signs).
    public static func randomOrthogonal(_ n: Int, rng: inout RNG) -> [Double] {
        var q = [Double](repeating: 0, count: n * n)
        var j = 0
        while j < n {
            var v = (0..<n).map { _ in Double(rng.normal()) }
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<n { dot += v[i] * q[i * n + k] }
                for i in 0..<n { v[i] -= dot * q[i * n + k] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-8 else { continue }
            for i in 0..<n { q[i * n + j] = v[i] / norm }
            j += 1
        }
        return q
    }

    static func identity(_ n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = 1 }
        return m
    }

    static func transpose(_ a: [Double], _ n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { t[j * n + i] = a[i * n + j] } }
        return t
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                guard aik != 0 else { continue }
                for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
            }
        }
        return c
    }

    static func frobenius(_ a: [Double]) -> Double { a.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
