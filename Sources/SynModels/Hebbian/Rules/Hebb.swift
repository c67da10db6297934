import SynCore

/// Plain Hebb (Hebb 1949): Delta w_ij = eta y_i x_j, y = W x. Nothing bounds the weights: the
/// norm grows without bound while w turns towards the first principal component.
public struct Hebb: HebbianLearningRule {
    public static let name = "hebb"
    public static let summary = "plain Hebbian learning, Δw = η y x (Hebb 1949): |w| grows without bound"
    public static let eta = hebbianEta(default: 0.005)
    public static let parameters = [eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var equation: String { "Δw_ij = η · y_i · x_j        (y = W x; no decay: |w| grows)" }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        Kernels.ger(eta, layer.output, x, &layer.weights)
    }
}
