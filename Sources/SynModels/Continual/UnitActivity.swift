import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plasticity-loss readouts of one layer's features F (samples x units) on a probe batch
/// (Ma et al., ICLR 2024, and the ReDo / Plasticine definitions; science page 32):
///
/// - fraction of active units Φ = mean over samples and units of 1(unit active): ReLU a > 0,
///   tanh |a| < 0.99, sigmoid 0.01 < a < 0.99, other activations a ≠ 0;
/// - dormant fraction: unit i is dormant when s_i = E|a_i| / ((1/N) Σ_j E|a_j|) ≤ τ_d;
/// - effective rank exp(H(σ / ‖σ‖₁)) and srank_δ = min{k : Σ_{i≤k} σ_i ≥ (1 − δ) Σ σ} of the
///   singular values σ of F.
public enum UnitActivity {
    /// Whether activity `a` of a unit with activation `f` counts as active.
    public static func isActive(_ a: Float, _ f: Activation) -> Bool {
        switch f {
        case .relu: a > 0
        case .tanh: abs(a) < 0.99
        case .sigmoid: a > 0.01 && a < 0.99
        default: a != 0
        }
    }

    public static func activeFraction(_ f: Matrix, activation: Activation) -> Double {
        guard !f.storage.isEmpty else { return .nan }
        return Double(f.storage.reduce(0) { $0 + (isActive($1, activation) ? 1 : 0) }) / Double(f.storage.count)
    }

    public static func dormantFraction(_ f: Matrix, threshold tau: Double = 0.025) -> Double {
        guard f.rows > 0, f.cols > 0 else { return .nan }
        var mean = [Double](repeating: 0, count: f.cols)
        for s in 0..<f.rows { for i in 0..<f.cols { mean[i] += Double(abs(f[s, i])) } }
        let avg = mean.reduce(0, +) / Double(f.cols)
        guard avg > 0 else { return 1 }
        return Double(mean.filter { $0 / avg <= tau }.count) / Double(f.cols)
    }

    /// Singular values of F (samples x units), largest first, from the eigenvalues of FᵀF. Units
    /// that are zero on every sample (dead) add only zero singular values and are left out of
    /// the eigenproblem (they are appended as zeros).
    public static func singularValues(_ f: Matrix) -> [Double] {
        let live = (0..<f.cols).filter { i in (0..<f.rows).contains { f[$0, i] != 0 } }
        let n = live.count
        var c = [Double](repeating: 0, count: n * n)
        for s in 0..<f.rows {
            for (i, ui) in live.enumerated() {
                let a = Double(f[s, ui])
                if a == 0 { continue }
                for j in i..<n { c[i * n + j] += a * Double(f[s, live[j]]) }
            }
        }
        for i in 0..<n { for j in 0..<i { c[i * n + j] = c[j * n + i] } }
        let sigma = n > 0 ? SymmetricEigen.eigenvalues(c, n: n).map { max(0, $0).squareRoot() } : []
        return sigma.sorted(by: >) + [Double](repeating: 0, count: f.cols - n)
    }

    public static func effectiveRank(_ sigma: [Double]) -> Double {
        let total = sigma.reduce(0, +)
        guard total > 0 else { return .nan }
        var h = 0.0
        for s in sigma where s > 0 { let p = s / total; h -= p * log(p) }
        return exp(h)
    }

    public static func stableRank(_ sigma: [Double], delta: Double = 0.01) -> Double {
        let total = sigma.reduce(0, +)
        guard total > 0 else { return .nan }
        var sum = 0.0
        for (k, s) in sigma.enumerated() {
            sum += s
            if sum >= (1 - delta) * total { return Double(k + 1) }
        }
        return Double(sigma.count)
    }
}
