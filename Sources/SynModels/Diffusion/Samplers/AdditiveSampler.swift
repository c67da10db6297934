#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// The contrast of Dale meets Langevin: additive Euler–Maruyama of the same reverse SDE written
/// in x (diffusion √β x), which agrees with the multiplicative step to first order in Δ:
///
///     x ← x (1 + β(t) Δ (1 + s_y(log x, t)) + √(β(t) Δ) ξ)
///
/// The bracket can go negative: such a particle has crossed zero (a sign violation); it is
/// counted and leaves the cloud for the rest of the episode (y = −∞, no score exists there).
public struct AdditiveSampler: LogDiffusionSampler {
    public static let name = "additive"
    public static let summary = "additive Euler–Maruyama in x: x ← x (1 + βΔ(1 + s_y) + √(βΔ) ξ); particles can cross zero (counted)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "x <- x (1 + beta dt (1 + s_y(log x, t)) + sqrt(beta dt) xi)" }

    public func step(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        let pt = s.marginal, bd = s.betaDelta, sd = bd.squareRoot()
        for i in cloud.y.indices where cloud.y[i].isFinite {
            let y = cloud.y[i]
            let factor = 1 + bd * (1 + pt.score(y)) + sd * Double(rng.normal())
            if factor > 0 {
                cloud.y[i] = y + log(factor)
            } else {
                cloud.y[i] = -.infinity
                cloud.violations += 1
            }
        }
    }
}
