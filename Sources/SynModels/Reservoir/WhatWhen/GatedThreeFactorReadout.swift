/// Error-modulated, gated three-factor readout learning (Yamada & Chao 2025, arXiv 2510.14382):
///
///     Δw_kj = η g(t) e_k(t) r_j(t),   e_k(t) = target_k(t) − z_k(t)   (one update per 1 ms step)
///
/// r_j is the presynaptic trace of neuron j (τ_r dr/dt = −r, +1 per spike; dimensionless),
/// z_k = Σ_j w_kj r_j, the targets are 0/1 boxes, so η is a dimensionless rate per step. The third
/// factor g(t) ∈ {0, 1} is an attention gate, open within ±`gate_ms` of the expected stimulus time
/// (the simulation keeps that estimate). Local: each synapse needs only its presynaptic trace,
/// the readout's error and the global gate.
public struct GatedThreeFactorReadout: WhatWhenReadoutRule {
    public static let name = "three_factor"
    public static let summary = "gated three-factor rule Δw = η g e r (prediction error × presynaptic trace × attention gate; Yamada & Chao 2025)"
    public static let eta = RuleParameter("eta", "learning rate per 1 ms step", range: .openClosed(0, 0.01), default: 1e-3)
    public static let gateHalfWidth = RuleParameter("gate_ms", "half-width of the attention window around the expected stimulus time",
                                                    unit: "ms", range: .closed(10, 1000), default: 100)
    public static let parameters = [eta, gateHalfWidth]

    public var eta: Float
    /// Half-width of the gate window (ms).
    public let gateHalfWidthMs: Double
    var w: [Float] = []
    var inputs = 0
    var outputs = 0

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        gateHalfWidthMs = values[Self.gateHalfWidth]
    }

    public var gateMs: Double? { gateHalfWidthMs }
    public var learningRate: Double? { Double(eta) }
    public mutating func setLearningRate(_ value: Double) { eta = Float(value) }

    public var equation: String {
        "Δw_kj = η g(t) (target_k − z_k) r_j, η = \(eta) per ms, g = 1 within ±\(Int(gateHalfWidthMs)) ms of the expected stimulus"
    }

    public mutating func bind(inputs: Int, outputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
        w = [Float](repeating: 0, count: inputs * outputs)
    }

    public func readout(_ r: [Float], into z: inout [Float]) {
        let n = inputs
        for k in 0..<outputs {
            var s: Float = 0
            let o = k * n
            for j in 0..<n { s += w[o + j] * r[j] }
            z[k] = s
        }
    }

    public mutating func learn(traces r: [Float], targets: [Float], readouts z: [Float], gate: Bool) {
        guard gate else { return }
        let n = inputs
        for k in 0..<outputs {
            let e = eta * (targets[k] - z[k])
            if e == 0 { continue }
            let o = k * n
            for j in 0..<n { w[o + j] += e * r[j] }
        }
    }

    public func weights(of k: Int) -> [Float] { Array(w[k * inputs ..< (k + 1) * inputs]) }
}
