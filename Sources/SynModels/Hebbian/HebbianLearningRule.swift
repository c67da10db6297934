import SynCore

/// A local (unsupervised) learning rule of a `HebbianLayer`: each update uses only the
/// presynaptic input x, the layer's drive u = W x and output y, and the rule's own per-unit
/// state (thresholds, lateral weights, running means), which a live rule switch resets.
///
/// Symbols shared by the rules' equations: x_j input j (data units), W (outputs x inputs)
/// feedforward weights with row w_i, u_i = sum_j w_ij x_j, y_i the output, eta the learning
/// rate per sample (dimensionless, every rule's `eta` parameter).
public protocol HebbianLearningRule: LearningRule {
    /// Learning rate eta per sample (dimensionless).
    var eta: Float { get }
    /// Allocates the rule's state for a layer of this size, zeroed. Called when the rule
    /// becomes active (at the start and on every live switch).
    mutating func bind(inputs: Int, outputs: Int)
    /// Sets `layer.output` from `layer.drive` (u = W x is already computed). Default: y = u.
    func respond(_ layer: inout HebbianLayer)
    /// One update of W (and of the rule's state) from x and the layer's u and y.
    mutating func learn(_ layer: inout HebbianLayer, x: [Float])
    /// Lateral weights M (outputs x outputs) when the rule has them, for the `lateral` view.
    var lateral: Matrix? { get }
    /// The rule's own factors at synapse (unit 0, input j) for the teaching probe, given the
    /// last change `delta` of w_0j and the layer after that update.
    func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor]
}

extension HebbianLearningRule {
    public mutating func bind(inputs: Int, outputs: Int) {}
    public func respond(_ layer: inout HebbianLayer) {
        for i in 0..<layer.outputs { layer.output[i] = layer.drive[i] }
    }
    public var lateral: Matrix? { nil }
    public func probe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] { [] }

    /// The probe factor of rules whose update is eta y_i (x_j - r_j): the reconstruction r_j
    /// recovered from the last change.
    func reconstructionProbe(_ layer: HebbianLayer, input j: Int, x: [Float], delta: Float) -> [Factor] {
        let y0 = Double(layer.output.first ?? 0)
        guard y0 != 0 else { return [] }
        return [Factor("recon. r_\(j)", Double(x[j]) - Double(delta) / (Double(eta) * y0))]
    }
}

/// The learning rate every Hebbian rule declares (`eta`), with the rule's own default.
func hebbianEta(default value: Double) -> RuleParameter {
    RuleParameter("eta", "feedforward learning rate per sample", range: .openClosed(0, 10), default: value)
}
