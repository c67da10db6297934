/// Sanger's generalized Hebbian algorithm (Sanger 1989):
/// Delta w_ij = eta y_i (x_j - sum_{k<=i} y_k w_kj), y = W x. Row i converges to the i-th
/// principal component, in order.
public struct Sanger: HebbianLearningRule {
    public static let name = "sanger"
    public static let summary = "Sanger's generalized Hebbian algorithm (Sanger 1989): ordered principal components"
    public static let eta = hebbianEta(default: 0.005)
    public static let parameters = [eta]

    public let eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var equation: String { "Δw_ij = η · y_i · (x_j − Σ_{k≤i} y_k · w_kj)        (y = W x)" }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        // Running reconstruction r_j = sum_{k<=i} y_k w_kj from the rows before their own
        // update (row i's old value enters r before row i changes; later rows are unchanged).
        let y = layer.output, n = layer.inputs, eta = eta
        x.withUnsafeBufferPointer { x in
            layer.inputScratch.withUnsafeMutableBufferPointer { r in
                for j in 0..<n { r[j] = 0 }
                layer.weights.storage.withUnsafeMutableBufferPointer { w in
                    for i in 0..<y.count {
                        let yi = y[i], a = eta * y[i]
                        for j in 0..<n { r[j] += yi * w[i * n + j] }
                        for j in 0..<n { w[i * n + j] += a * (x[j] - r[j]) }
                    }
                }
            }
        }
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        reconstructionProbe(layer, input: j, x: x, delta: delta)
    }
}
