import SynCore

/// Oja's subspace rule (Oja 1989): Delta W = eta (y x^T - y y^T W), y = W x, i.e.
/// Delta w_ij = eta y_i (x_j - sum_k y_k w_kj). The rows converge to an orthonormal basis of
/// the top-k principal subspace, in no particular rotation.
public struct OjaSubspace: HebbianLearningRule {
    public static let name = "subspace"
    public static let summary = "Oja's subspace rule, ΔW = η (y xᵀ − y yᵀ W) (Oja 1989): top-k principal subspace"
    public static let eta = hebbianEta(default: 0.005)
    public static let parameters = [eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var equation: String { "ΔW = η · (y xᵀ − y yᵀ W)        (y = W x)" }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        // e = x - W^T y (the residual of the reconstruction from all outputs, before any row
        // changes), then Delta W = eta y e^T.
        Kernels.gemvT(layer.weights, layer.output, into: &layer.inputScratch)
        for j in 0..<layer.inputs { layer.inputScratch[j] = x[j] - layer.inputScratch[j] }
        Kernels.ger(eta, layer.output, layer.inputScratch, &layer.weights)
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        reconstructionProbe(layer, input: j, x: x, delta: delta)
    }
}
