/// Oja (1982): Delta w_ij = eta y_i (x_j - y_i w_ij), y = W x. Hebbian growth plus a decay that
/// normalises: each unit converges to the unit-norm leading eigenvector of the input
/// second-moment matrix (all units to the same one).
public struct Oja: HebbianLearningRule {
    public static let name = "oja"
    public static let summary = "Oja's rule, Δw = η y (x − y w) (Oja 1982): unit-norm first principal component"
    public static let eta = hebbianEta(default: 0.005)
    public static let parameters = [eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var equation: String { "Δw_ij = η · y_i · (x_j − y_i · w_ij)        (y = W x)" }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        layer.rowUpdate(x: x, decay: layer.output, eta: eta)
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        reconstructionProbe(layer, input: j, x: x, delta: delta)
    }
}
