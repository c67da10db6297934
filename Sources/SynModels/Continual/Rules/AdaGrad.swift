/// AdaGrad (Duchi, Hazan & Singer 2011): each parameter's step shrinks with the root of its
/// accumulated squared gradients, which never decays across tasks:
///
///     A_i ← A_i + g_i²,   θ_i ← θ_i − η g_i / (√A_i + ε)
///
/// (CLASSP's paper form with p = 2 and no threshold.)
public struct AdaGrad: ContinualLearningRule {
    public static let name = "adagrad"
    public static let summary = "AdaGrad, θ ← θ − η g / (√Σg² + ε) (Duchi et al. 2011)"
    public static let eta = ContinualParameter.eta(default: 0.05)
    public static let epsilon = RuleParameter("epsilon", "stabiliser ε", range: .open(0, 1), default: 1e-5)
    public static let parameters = [eta, epsilon]

    public var eta: Float
    public let epsilon: Float
    private var sum: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        epsilon = values.float(Self.epsilon)
    }

    public var equation: String { "A += g^2; theta <- theta - eta g / (sqrt(A) + eps);  eta = \(eta)" }
    public var accumulator: [Float]? { sum }

    public mutating func bind(parameterCount count: Int) { sum = [Float](repeating: 0, count: count) }

    public mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int {
        if sum.count != count { bind(parameterCount: count) }
        var changed = 0
        for i in 0..<count where g[i] != 0 {
            sum[i] += g[i] * g[i]
            theta[i] -= eta * g[i] / (sum[i].squareRoot() + epsilon)
            changed += 1
        }
        return changed
    }
}
