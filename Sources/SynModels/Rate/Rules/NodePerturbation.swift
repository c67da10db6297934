import SynCore

/// Node perturbation (Williams 1992; Fiete & Seung 2006): Gaussian noise ξ ~ N(0, σ²) is added
/// to every net input z_l; the loss change against the clean pass (the baseline) reinforces the
/// perturbation that lowered it:
///
///     ΔL = L(z + ξ) − L(z),   g_W_l = (ΔL / σ²) ξ_{l+1} a_lᵀ,   g_b_l = (ΔL / σ²) ξ_{l+1},   θ ← θ − η ḡ
///
/// (symbols: `MLPLearningRule`; a_l from the perturbed pass). Unbiased (E[g] = ∂L/∂θ to first order
/// in σ) but noisy: the variance grows with the number of units, so it needs a much smaller η
/// than backprop (0.002 here learns the digits, 0.005 lets the weights grow and the loss climb).
public struct NodePerturbation: MLPLearningRule {
    public static let name = "node_perturbation"
    public static let summary = "node perturbation: loss change under noise on the net inputs (Williams 1992; Fiete & Seung 2006)"
    public static let eta = MLPParameter.eta(default: 0.002)
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

    public var equation: String { equationLine(estimate: "g = (L(z+xi) - L(z)) / sigma^2 * xi * a_pre, xi ~ N(0, \(sigma)^2)") }

    public func estimate(_ net: inout MLP, x: UnsafePointer<Float>, t: UnsafePointer<Float>, into g: inout [Float], scale: Float,
                         noise: inout [Float], rng: inout RNG) -> Float {
        let sigma = sigma
        let lay = net.layout
        let zCount = lay.sizes.dropFirst().reduce(0, +)
        for i in 0..<zCount { noise[i] = sigma * rng.normal() }
        return noise.withUnsafeBufferPointer { nb in
            g.withUnsafeMutableBufferPointer { gb in
                net.withCore { c in
                    guard let np = nb.baseAddress, let gp = gb.baseAddress else { return 0 }
                    c.forward(x)
                    let clean = c.outputDelta(t)
                    c.forward(x, nodeNoise: np)
                    let noisy = c.outputDelta(t)
                    let k = (noisy - clean) / (sigma * sigma)
                    var o = 0
                    for l in 0..<lay.layers {
                        let d = c.w + lay.dOffset[l]
                        for i in 0..<lay.sizes[l + 1] { d[i] = k * np[o + i] }
                        o += lay.sizes[l + 1]
                    }
                    c.accumulateGradient(into: gp, scale: scale, useSigns: false)
                    return clean
                }
            }
        }
    }
}
