import SynCore

/// LoRA (Hu et al. 2021), the paper's comparison: the weights into each hidden layer become
/// W_l + B_l A_l with rank r, B_l = 0 at the start, and only A, B train:
///
///     B_l ← B_l − η (∂L/∂W_l) A_lᵀ,   A_l ← A_l − η B_lᵀ (∂L/∂W_l)
///
/// (∂L/∂W_l the gradient with respect to the effective weights; η dimensionless, per minibatch).
public struct LoRAMode: ModeTuningRule {
    public static let name = "lora"
    public static let summary = "rank-r adapters W + B A on the weights into each hidden layer (the paper's comparison)"
    static let rank = RuleParameter("rank", "rank r of each adapter B A", range: .closed(1, 16), default: 2, kind: .integer)
    public static let parameters = [ModeTuningParameter.eta, rank]

    public let eta: Float
    public let rank: Int
    public init(_ values: RuleParameterValues) {
        eta = values.float(ModeTuningParameter.eta)
        rank = values.integer(Self.rank)
    }

    public var equation: String { "W_l + B_l A_l (rank \(rank));  B <- B - \(eta) dL/dW A^T;  A <- A - \(eta) B^T dL/dW" }
    public func bind(_ net: inout GatedMLP, rng: inout RNG) { net.attachLoRA(rank: rank, rng: &rng) }
    public func trainableCount(_ net: GatedMLP) -> Int {
        (0..<net.hiddenLayers).reduce(0) { $0 + rank * (net.sizes[$1] + net.sizes[$1 + 1]) }
    }
    public func apply(_ g: GatedMLP.Gradients, to net: inout GatedMLP) {
        guard var adapters = net.lora else { return }
        for l in adapters.indices {
            let old = adapters[l]
            Kernels.gemm(g.w[l], old.a, into: &adapters[l].b, alpha: -eta, beta: 1, transB: true)
            Kernels.gemm(old.b, g.w[l], into: &adapters[l].a, alpha: -eta, beta: 1, transA: true)
        }
        net.lora = adapters
    }
}
