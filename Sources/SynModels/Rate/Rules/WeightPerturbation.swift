import SynCore

/// Weight perturbation (Jabri & Flower 1992): Gaussian noise ξ ~ N(0, σ²) is added to every
/// parameter; the loss change against the clean parameters (the baseline) gives
///
///     ΔL = L(θ + ξ) − L(θ),   g = (ΔL / σ²) ξ,   θ ← θ − η ḡ
///
/// (symbols: `MLPLearningRule`). Unbiased to first order in σ, but its expected cosine with the
/// true gradient is only about √(2 / (π n)) for n parameters, so learning crawls.
public struct WeightPerturbation: MLPLearningRule {
    public static let name = "weight_perturbation"
    public static let summary = "weight perturbation: loss change under noise on every parameter (Jabri & Flower 1992)"
    public static let eta = MLPParameter.eta(default: 0.0005)
    public static let sigma = MLPParameter.sigma(default: 0.01)
    public static let parameters = [eta, sigma, MLPParameter.batch]

    public var eta: Float
    public let sigma: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        sigma = values.float(Self.sigma)
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, sigma: Float = 0.01, batch: Int = 1) {
        self.eta = eta
        self.sigma = sigma
        self.batch = batch
    }

    public var equation: String { equationLine(estimate: "g = (L(w+xi) - L(w)) / sigma^2 * xi, xi ~ N(0, \(sigma)^2)") }

    public func estimate(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>, into g: inout [Float], scale: Float,
                         noise: inout [Float], rng: inout RNG) -> Float {
        // The perturbed parameters are built in `noise` and swapped in (O(1)), so the network's
        // own parameters are restored exactly; ξ is then the perturbation actually applied,
        // (θ + ξ) − θ.
        let sigma = sigma
        let n = net.layout.paramCount
        precondition(noise.count == net.params.count, "noise buffer must match the parameter buffer")
        let clean = net.loss(x, t)
        for i in 0..<n { noise[i] = net.params[i] + sigma * rng.normal() }
        swap(&net.params, &noise)
        let noisy = net.loss(x, t)
        swap(&net.params, &noise)
        let k = scale * (noisy - clean) / (sigma * sigma)
        for i in 0..<n {
            noise[i] -= net.params[i]
            g[i] += k * noise[i]
        }
        return clean
    }
}
