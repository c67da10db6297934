/// Source only (science page 2): the trained network predicts the stream unchanged, with the
/// source domain's normalisation statistics in build B. The reference every arm is read against.
public struct SourceOnlyAdaptation: TestTimeAdaptationRule {
    public static let name = "source"
    public static let summary = "no adaptation: the source network as trained (reference arm)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public var reestimatesStatistics: Bool { false }
}
