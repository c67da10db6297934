import SynCore

/// The covariance rule (Sejnowski 1977): Delta w_ij = eta (y_i - ybar_i)(x_j - xbar_j), y = W x,
/// with running means that average over about tau samples, updated after each weight change:
/// xbar_j <- xbar_j + (x_j - xbar_j) / tau, ybar_i <- ybar_i + (y_i - ybar_i) / tau (both start
/// at 0; tau in samples, >= 1). Unlike plain Hebb it learns from co-variation only, so a
/// constant offset in the input (a non-zero mean) does not drive the weights; like Hebb, nothing
/// bounds |w|. The means are the rule's state.
public struct CovarianceRule: HebbianLearningRule {
    public static let name = "covariance"
    public static let summary = "covariance rule, Δw = η (y − ȳ)(x − x̄) with running means (Sejnowski 1977)"
    public static let eta = hebbianEta(default: 0.005)
    public static let tau = RuleParameter("tau_mean", "averaging time of the running means x̄, ȳ", unit: "samples",
                                          range: .closed(1, 1_000_000), default: 100)
    public static let parameters = [eta, tau]

    public let eta: Float
    public let tau: Float
    /// Running means x̄ (count inputs) and ȳ (count outputs).
    public private(set) var inputMean: [Float] = []
    public private(set) var outputMean: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        tau = values.float(Self.tau)
    }

    public var equation: String { "Δw_ij = η · (y_i − ȳ_i) · (x_j − x̄_j),  x̄ += (x − x̄)/\(NumberFormat.shortest(tau)),  ȳ += (y − ȳ)/\(NumberFormat.shortest(tau))        (y = W x)" }

    public mutating func bind(inputs: Int, outputs: Int) {
        inputMean = [Float](repeating: 0, count: inputs)
        outputMean = [Float](repeating: 0, count: outputs)
    }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        if inputMean.count != layer.inputs || outputMean.count != layer.outputs {
            bind(inputs: layer.inputs, outputs: layer.outputs)
        }
        let y = layer.output
        for j in 0..<layer.inputs { layer.inputScratch[j] = x[j] - inputMean[j] }
        for i in 0..<layer.outputs { layer.unitScratch[i] = y[i] - outputMean[i] }
        Kernels.ger(eta, layer.unitScratch, layer.inputScratch, &layer.weights)
        let r = 1 / tau
        for j in 0..<layer.inputs { inputMean[j] += (x[j] - inputMean[j]) * r }
        for i in 0..<layer.outputs { outputMean[i] += (y[i] - outputMean[i]) * r }
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        [Factor("x̄_\(j)", Double(inputMean.indices.contains(j) ? inputMean[j] : 0)),
         Factor("ȳ_0", Double(outputMean.first ?? 0))]
    }
}
