import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear recurrent population of orientation-tuned units with per-unit gains (the circuit
/// of science page 33, reconstructed after Duong, Bredenberg, Heeger & Simoncelli 2023):
///
///     τ dr/dt = −r + G (F s + W r),   steady state r* = (I − G W)⁻¹ G F s,   G = diag(g)
///
/// Preferred orientations φ_i are evenly spaced over 180°. Drive (F s)_i = exp(2 (cos 2(θ − φ_i)
/// − 1)) for a stimulus at θ. W_ij = 0.6 exp(3 (cos 2(φ_i − φ_j) − 1)) − 0.25 with a zero
/// diagonal, scaled to spectral radius `radius` (a Mexican hat: near neighbours excite, the
/// rest inhibit). Responses are relative to baseline and go negative on the flanks; nothing is
/// rectified. Double precision: the repulsion of preferred orientations is well under a degree.
public struct OrientationCircuit: Sendable {
    public let size: Int
    /// Preferred orientations φ_i in degrees.
    public let preferred: [Double]
    /// Recurrent weights, row-major (all zero for a feed-forward circuit).
    public let w: [Double]

    public init(size: Int, radius: Double, recurrent: Bool = true) {
        precondition(size >= 2 && radius >= 0)
        self.size = size
        preferred = (0..<size).map { 180 * Double($0) / Double(size) }
        var w = [Double](repeating: 0, count: size * size)
        if recurrent {
            for i in 0..<size {
                for j in 0..<size where i != j {
                    let d = 2 * (preferred[i] - preferred[j]) * Double.pi / 180
                    w[i * size + j] = 0.6 * exp(3 * (cos(d) - 1)) - 0.25
                }
            }
            let rho = SymmetricEigen.eigenvalues(w, n: size).map(abs).max() ?? 0
            if rho > 0 { for k in w.indices { w[k] *= radius / rho } }
        }
        self.w = w
    }

    /// Feed-forward drive of unit i to a stimulus at `theta` degrees.
    public func drive(_ i: Int, theta: Double) -> Double {
        exp(2 * (cos(2 * (theta - preferred[i]) * Double.pi / 180) - 1))
    }

    /// Spectral radius of G W, from the symmetric matrix G^½ W G^½ it is similar to (W is
    /// symmetric and the gains positive).
    public func spectralRadius(gains g: [Double]) -> Double {
        let n = size
        var s = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { s[i * n + j] = (max(g[i], 0) * max(g[j], 0)).squareRoot() * w[i * n + j] } }
        return SymmetricEigen.eigenvalues(s, n: n).map(abs).max() ?? 0
    }

    /// Steady-state responses r*(θ) for each stimulus in `thetas` (result: units × stimuli,
    /// row-major), or nil when I − G W is singular.
    public func responses(gains g: [Double], thetas: [Double]) -> [Double]? {
        let n = size, m = thetas.count
        // Solve (I − G W) R = G F for all stimuli at once by Gaussian elimination with pivoting.
        var a = [Double](repeating: 0, count: n * n)
        var b = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<n { a[i * n + j] = (i == j ? 1 : 0) - g[i] * w[i * n + j] }
            for s in 0..<m { b[i * m + s] = g[i] * drive(i, theta: thetas[s]) }
        }
        for c in 0..<n {
            var p = c
            for r in (c + 1)..<n where abs(a[r * n + c]) > abs(a[p * n + c]) { p = r }
            guard abs(a[p * n + c]) > 1e-12 else { return nil }
            if p != c {
                for j in 0..<n { a.swapAt(c * n + j, p * n + j) }
                for s in 0..<m { b.swapAt(c * m + s, p * m + s) }
            }
            let inv = 1 / a[c * n + c]
            for r in 0..<n where r != c {
                let f = a[r * n + c] * inv
                guard f != 0 else { continue }
                for j in c..<n { a[r * n + j] -= f * a[c * n + j] }
                for s in 0..<m { b[r * m + s] -= f * b[c * m + s] }
            }
        }
        for i in 0..<n {
            let inv = 1 / a[i * n + i]
            for s in 0..<m { b[i * m + s] *= inv }
        }
        return b
    }

    /// The preferred orientation (degrees in [0, 180)) of a tuning curve sampled on the
    /// circular grid `step` degrees apart: the peak sample refined by a parabola through it
    /// and its two neighbours.
    public static func peak(_ curve: [Double], step: Double) -> Double {
        let m = curve.count
        guard m >= 3, let k = curve.indices.max(by: { curve[$0] < curve[$1] }) else { return .nan }
        let l = curve[(k + m - 1) % m], c = curve[k], r = curve[(k + 1) % m]
        let den = l - 2 * c + r
        let off = den < 0 ? 0.5 * (l - r) / den : 0
        let deg = (Double(k) + off) * step
        return (deg.truncatingRemainder(dividingBy: 180) + 180).truncatingRemainder(dividingBy: 180)
    }

    /// Signed circular difference a − b of two orientations, in (−90, 90] degrees.
    public static func orientationDifference(_ a: Double, _ b: Double) -> Double {
        var d = (a - b).truncatingRemainder(dividingBy: 180)
        if d > 90 { d -= 180 } else if d <= -90 { d += 180 }
        return d
    }
}
