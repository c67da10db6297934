/// Structured knowledge accumulation (Bouarfa Mahi, arXiv 2504.03214; the authors' code
/// `quantiota/Structured-Knowledge-Accumulation`): each layer descends its own "entropy"
/// H = −(1/ln 2) Σ z ⊙ ΔD with the signal
///
///     G = −(1/ln 2) (z ⊙ D (1 − D) + ΔD),   W ← W − η D_prevᵀ G / B,   b ← b − η mean_batch G
///
/// z the layer's pre-activations, D = sigmoid(z) its decisions, ΔD their change since the
/// previous forward step (all dimensionless), η the step (the learning rate is a time step:
/// t = η k). No labels: positive feedback that pushes decisions further the way they moved.
public struct SKARule: ForwardOnlyRule {
    public static let name = "ska"
    public static let summary = "entropy-reducing forward-only update (Bouarfa Mahi 2025, authors' code)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "G = -(1/ln2)(z D(1-D) + dD);  W <- W - eta D_prev^T G / B;  b <- b - eta mean(G)" }

    /// 1 / ln 2.
    static let invLn2: Float = 1.442_695_04

    public func signal(z: [Float], d: [Float], deltaD: [Float], into g: inout [Float]) {
        let c = -Self.invLn2
        for k in z.indices { g[k] = c * (z[k] * d[k] * (1 - d[k]) + deltaD[k]) }
    }
}
