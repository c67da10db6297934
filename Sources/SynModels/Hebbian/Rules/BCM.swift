import SynCore

/// Bienenstock, Cooper & Munro (1982): Delta w_ij = eta x_j y_i (y_i - theta_i), y = W x, with a
/// sliding threshold theta_i <- theta_i + (y_i^2 - theta_i) / tau that tracks E[y_i^2] over
/// about tau samples (theta starts at 0, in units of y^2). Activity above theta potentiates,
/// below depresses: units become selective to one input pattern.
public struct BCM: HebbianLearningRule {
    public static let name = "bcm"
    public static let summary = "BCM with a sliding threshold (Bienenstock, Cooper & Munro 1982): selectivity"
    public static let eta = hebbianEta(default: 0.002)  // 0.005 diverges on the bars within 100 images
    public static let tau = RuleParameter("tau", "threshold averaging time", unit: "samples",
                                          range: .closed(1, 1_000_000), default: 100)
    public static let parameters = [eta, tau]

    public let eta: Float
    public let tau: Float
    /// theta_i, one per unit (units of y^2).
    public private(set) var thresholds: [Float] = []

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        tau = values.float(Self.tau)
    }

    public var equation: String { "Δw_ij = η · x_j · y_i · (y_i − θ_i),  θ_i += (y_i² − θ_i) / \(NumberFormat.shortest(tau))        (y = W x)" }

    public mutating func bind(inputs: Int, outputs: Int) {
        thresholds = [Float](repeating: 0, count: outputs)
    }

    public mutating func learn(_ layer: inout HebbianLayer, x: [Float]) {
        if thresholds.count != layer.outputs { bind(inputs: layer.inputs, outputs: layer.outputs) }
        // Delta W = eta phi x^T with phi_i = y_i (y_i - theta_i), then the threshold update.
        let y = layer.output
        for i in 0..<layer.outputs { layer.unitScratch[i] = y[i] * (y[i] - thresholds[i]) }
        Kernels.ger(eta, layer.unitScratch, x, &layer.weights)
        for i in 0..<layer.outputs { thresholds[i] += (y[i] * y[i] - thresholds[i]) / tau }
    }

    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        [Factor("θ_0", Double(thresholds.first ?? 0))]
    }
}
