/// The hard-constraint layer of one expert (science page 42; Chalapathi, Du & Krishnapriyan,
/// ICLR 2024): the basis weights that best satisfy the expert's constraint rows A ω = c,
///
///     ω = (AᵀA + δ I)⁻¹ Aᵀ c,
///
/// (a Cholesky solve in Double), and its backward pass by implicit differentiation of the
/// normal equations: with λ = (AᵀA + δI)⁻¹ ∂L/∂ω and r = c − A ω,
///
///     ∂L/∂A = r λᵀ − (A λ) ωᵀ.
///
/// With at most m rows (and δ → 0) the rows hold exactly; with more it is a least-squares fit.
public struct ConstrainedSolve: Sendable {
    public let rows: Int
    public let unknowns: Int
    /// A (rows × unknowns, row-major), c, the Cholesky factor L of AᵀA + δI, and ω.
    public let a: [Double]
    public let c: [Double]
    private var factor: [Double]
    public private(set) var omega: [Double]

    public init(a: [Double], c: [Double], unknowns m: Int, delta: Double) {
        let n = c.count
        precondition(a.count == n * m && m >= 1)
        rows = n
        unknowns = m
        self.a = a
        self.c = c
        var g = [Double](repeating: 0, count: m * m)
        var rhs = [Double](repeating: 0, count: m)
        for i in 0..<n {
            let row = i * m
            for p in 0..<m {
                let ap = a[row + p]
                guard ap != 0 else { continue }
                rhs[p] += ap * c[i]
                for q in 0...p { g[p * m + q] += ap * a[row + q] }
            }
        }
        for p in 0..<m { g[p * m + p] += delta }
        factor = Self.cholesky(g, m)
        omega = []
        omega = solve(rhs)
    }

    /// L with L Lᵀ = G (lower triangle of G read); a non-positive pivot is floored at 1e-300.
    static func cholesky(_ g: [Double], _ m: Int) -> [Double] {
        var l = [Double](repeating: 0, count: m * m)
        for j in 0..<m {
            var d = g[j * m + j]
            for k in 0..<j { d -= l[j * m + k] * l[j * m + k] }
            let ljj = max(d, 1e-300).squareRoot()
            l[j * m + j] = ljj
            for i in (j + 1)..<max(j + 1, m) {
                var s = g[i * m + j]
                for k in 0..<j { s -= l[i * m + k] * l[j * m + k] }
                l[i * m + j] = s / ljj
            }
        }
        return l
    }

    /// x = (AᵀA + δI)⁻¹ b by forward and back substitution.
    public func solve(_ b: [Double]) -> [Double] {
        let m = unknowns
        var y = b
        for i in 0..<m {
            var s = y[i]
            for k in 0..<i { s -= factor[i * m + k] * y[k] }
            y[i] = s / factor[i * m + i]
        }
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, m) { s -= factor[k * m + i] * y[k] }
            y[i] = s / factor[i * m + i]
        }
        return y
    }

    /// Residuals A ω − c of the rows.
    public var residuals: [Double] {
        (0..<rows).map { i in (0..<unknowns).reduce(0.0) { $0 + a[i * unknowns + $1] * omega[$1] } - c[i] }
    }

    /// ∂L/∂A (rows × unknowns) from ∂L/∂ω.
    public func backward(_ gOmega: [Double]) -> [Double] {
        let m = unknowns
        let lambda = solve(gOmega)
        let r = residuals
        var g = [Double](repeating: 0, count: rows * m)
        for i in 0..<rows {
            var al = 0.0
            for p in 0..<m { al += a[i * m + p] * lambda[p] }
            for p in 0..<m { g[i * m + p] = -r[i] * lambda[p] - al * omega[p] }
        }
        return g
    }

    /// Operations of one forward solve and its backward pass with n rows and m unknowns:
    /// AᵀA (n m²), Cholesky (m³/3), two triangular solves per system (2 m² each), residuals and
    /// ∂L/∂A (4 n m).
    public static func operations(rows n: Int, unknowns m: Int) -> Double {
        let (n, m) = (Double(n), Double(m))
        return n * m * m + m * m * m / 3 + 8 * m * m + 6 * n * m
    }
}
