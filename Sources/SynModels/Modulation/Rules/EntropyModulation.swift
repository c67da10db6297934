/// Entropy-only adaptation (science page 2; Tent, Wang et al. ICLR 2021): only the modulator
/// learns, by descending the batch-mean prediction entropy H = −(1/B) Σ_i Σ_c p_ic ln p_ic (nats):
///
///     γ_j ← γ_j − η_m ∂H/∂γ_j,   β_j ← β_j − η_m ∂H/∂β_j   (η_m dimensionless, per batch),
///
/// after the statistics are re-estimated (build B). A large η_m collapses the predictions onto
/// few classes (entropy → 0, accuracy toward chance): the known failure mode of Tent.
public struct EntropyModulation: TestTimeAdaptationRule {
    public static let name = "entropy"
    public static let summary = "entropy minimisation on the modulator gamma, beta only (Tent-style)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public var entropyModulator: Bool { true }
}
