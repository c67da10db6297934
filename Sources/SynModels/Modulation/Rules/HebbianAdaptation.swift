/// Hebbian-only adaptation (science page 2): the first layer learns on the unlabeled stream with
/// SoftHebb (Moraitis et al. 2022), one update per sample,
///
///     u = W1 x,   y = softmax(u / τ),   Δw_k = η_H y_k (x − u_k w_k)   (η_H, τ dimensionless),
///
/// then the statistics are re-estimated for the changed layer (build B). γ, β stay at the source's.
public struct HebbianAdaptation: TestTimeAdaptationRule {
    public static let name = "hebb"
    public static let summary = "soft competitive Hebbian learning (SoftHebb) of the first layer only"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public var hebbianLayer: Bool { true }
}
