#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLASSP (Ludwig 2024, arXiv 2405.09637): adjustment suppression and sparsity promotion. Each
/// weight's step is divided by a power of its accumulated past gradient magnitudes, so weights
/// that earlier tasks needed change less. Two forms:
///
/// - code schedule (`paper_form = 0`, the authors' `CLASSP.py`): A_i ← A_i + |g_i| at every step;
///   during task 1 θ_i ← θ_i − η g_i (plain SGD); from task 2 on θ_i ← θ_i − η g_i / (A_i + ε)^{1/p}.
/// - paper equation (`paper_form = 1`): A_i ← A_i + |g_i|^p (the current gradient included, so
///   the first step is bounded), and only if g_i² > threshold: θ_i ← θ_i − η g_i / (ε + A_i)^{1/p}.
public struct CLASSP: ContinualLearningRule {
    public static let name = "classp"
    public static let summary = "CLASSP: steps divided by accumulated |g| (adjustment suppression), gated by g² > threshold (Ludwig 2024)"
    public static let eta = ContinualParameter.eta(default: 0.05)
    public static let p = RuleParameter("p", "norm power p of the accumulator", range: .closed(0.5, 8), default: 1)
    public static let epsilon = RuleParameter("epsilon", "stabiliser ε", range: .open(0, 1), default: 1e-5)
    public static let threshold = RuleParameter("threshold", "per-weight gate: update only if g² > threshold (paper form)",
                                                range: .closed(0, 100), default: 0)
    public static let paperForm = RuleParameter("paper_form", "0: the authors' code schedule (SGD on task 1), 1: the paper's equation with a per-weight gate",
                                                range: .closed(0, 1), default: 0, kind: .integer)
    public static let parameters = [eta, p, epsilon, threshold, paperForm]

    public var eta: Float
    public let power: Float
    public let epsilon: Float
    public let gate: Float
    public let paper: Bool
    private var sum: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        power = values.float(Self.p)
        epsilon = values.float(Self.epsilon)
        gate = values.float(Self.threshold)
        paper = values.integer(Self.paperForm) == 1
    }

    public var equation: String {
        paper ? "A += |g|^\(power); if g^2 > \(gate): theta <- theta - eta g / (eps + A)^(1/\(power));  eta = \(eta)"
              : "A += |g|; task 1: theta <- theta - eta g; later: theta <- theta - eta g / (A + eps)^(1/\(power));  eta = \(eta)"
    }
    public var accumulator: [Float]? { sum }

    public mutating func bind(parameterCount count: Int) { sum = [Float](repeating: 0, count: count) }

    public mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int {
        if sum.count != count { bind(parameterCount: count) }
        let inv = 1 / power
        var changed = 0
        for i in 0..<count where g[i] != 0 {
            let a = abs(g[i])
            if paper {
                sum[i] += power == 1 ? a : powf(a, power)
                guard g[i] * g[i] > gate else { continue }
                theta[i] -= eta * g[i] / (power == 1 ? epsilon + sum[i] : powf(epsilon + sum[i], inv))
            } else {
                sum[i] += a
                theta[i] -= task == 0 ? eta * g[i] : eta * g[i] / (power == 1 ? sum[i] + epsilon : powf(sum[i] + epsilon, inv))
            }
            changed += 1
        }
        return changed
    }
}
