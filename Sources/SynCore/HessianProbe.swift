/// Curvature of a loss seen only through its gradient: Hessian-vector products by central
/// differences, the top eigenvalue by power iteration (the "sharpness" of edge-of-stability
/// studies, Cohen et al. 2021) and the trace by Hutchinson's estimator (Hutchinson 1990).
///
/// The gradient is a closure θ ↦ ∇L(θ) on flat Float32 parameters, so any model (an MLP, a
/// quadratic in a test) can be probed without writing its second derivatives.
public enum HessianProbe {
    /// H v ≈ (∇L(θ + h v̂) − ∇L(θ − h v̂)) ‖v‖ / (2h), v̂ = v / ‖v‖: a central difference of the
    /// gradient along v (error O(h²) for smooth L, exact for a quadratic up to rounding). `h` is
    /// the length of the step in parameter space. Returns zeros for v = 0.
    public static func hessianVector(at theta: [Float], _ v: [Float], step h: Float,
                                     gradient: ([Float]) -> [Float]) -> [Float] {
        precondition(theta.count == v.count && h > 0)
        let norm = Float(norm2(v))
        guard norm > 0 else { return [Float](repeating: 0, count: v.count) }
        let s = h / norm
        var plus = theta, minus = theta
        for i in 0..<theta.count {
            plus[i] += s * v[i]
            minus[i] -= s * v[i]
        }
        return centralDifference(gradient(plus), gradient(minus), step: h, norm: norm)
    }

    /// H v from the gradients g± = ∇L(θ ± h v̂) at the two sides of a central difference of
    /// length h along v̂ = v / ‖v‖ (`norm` = ‖v‖): (g₊ − g₋) ‖v‖ / (2h).
    public static func centralDifference(_ gPlus: [Float], _ gMinus: [Float], step h: Float, norm: Float) -> [Float] {
        precondition(gPlus.count == gMinus.count && h > 0)
        let c = norm / (2 * h)
        var out = [Float](repeating: 0, count: gPlus.count)
        for i in 0..<out.count { out[i] = (gPlus[i] - gMinus[i]) * c }
        return out
    }

    /// The eigenvalue of largest magnitude of a symmetric operator `apply` and its unit
    /// eigenvector, by `iterations` steps of power iteration from `start` (warm-start with the
    /// previous vector to track a slowly changing operator). The value is the Rayleigh quotient
    /// vᵀ A v of the last unit iterate. `start` must be nonzero; NaN when A v vanishes.
    public static func topEigen(start: [Float], iterations: Int,
                                apply: ([Float]) -> [Float]) -> (value: Double, vector: [Float]) {
        precondition(iterations >= 1)
        var v = normalised(start)
        var value = Double.nan
        for _ in 0..<iterations {
            let step = powerStep(v, apply(v))
            value = step.value
            guard let next = step.next else { return (value, v) }
            v = next
        }
        return (value, v)
    }

    /// One step of power iteration from the unit vector v given A v: the Rayleigh quotient
    /// vᵀ A v and the next unit iterate A v / ‖A v‖ (nil when A v is zero or not finite).
    public static func powerStep(_ v: [Float], _ av: [Float]) -> (value: Double, next: [Float]?) {
        let value = dot(v, av)
        let n = norm2(av)
        guard n > 0, n.isFinite else { return (n == 0 ? 0 : .nan, nil) }
        let inv = Float(1 / n)
        return (value, av.map { $0 * inv })
    }

    /// Hutchinson's estimate of tr(A) = E[zᵀ A z] over `samples` Rademacher vectors z (entries
    /// ±1 with probability ½) drawn from `rng`. Unbiased; its variance is 2 Σ_{i≠j} A_ij².
    public static func hutchinsonTrace(dimension n: Int, samples: Int, rng: inout RNG,
                                       apply: ([Float]) -> [Float]) -> Double {
        precondition(n >= 1 && samples >= 1)
        var sum = 0.0
        var z = [Float](repeating: 0, count: n)
        for _ in 0..<samples {
            for i in 0..<n { z[i] = rng.next() & 1 == 0 ? 1 : -1 }
            sum += dot(z, apply(z))
        }
        return sum / Double(samples)
    }

    /// Σ a_i b_i in Double.
    public static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var s = 0.0
        for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    /// ‖a‖₂ in Double.
    public static func norm2(_ a: [Float]) -> Double { dot(a, a).squareRoot() }

    /// a / ‖a‖ (a itself when it is zero).
    public static func normalised(_ a: [Float]) -> [Float] {
        let n = norm2(a)
        guard n > 0 else { return a }
        let inv = Float(1 / n)
        return a.map { $0 * inv }
    }
}
