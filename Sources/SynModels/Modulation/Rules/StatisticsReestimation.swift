/// Statistics re-estimation (science page 2; "BN adapt", Schneider et al. 2020): build B's
/// per-unit normalisation μ, σ² of z = W1 x + b1 are re-estimated on the stream's batches
/// (running average, `NormalisationStatistics`); no weight changes. Undefined in build A, which
/// has no normalisation (its accuracy is reported as NaN there).
public struct StatisticsReestimation: TestTimeAdaptationRule {
    public static let name = "stats"
    public static let summary = "re-estimate the normalisation mean and variance on the stream (build B), no weight changes"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
}
