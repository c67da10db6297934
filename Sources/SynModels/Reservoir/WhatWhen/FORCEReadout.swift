/// FORCE learning of the readouts by recursive least squares (Sussillo & Abbott 2009, Neuron
/// 63:544), the comparison arm of science page 8:
///
///     k = P r / (1 + rᵀ P r),   w_k ← w_k + (target_k − z_k) k,   P ← P − k (P r)ᵀ,   P(0) = I / α
///
/// at every 1 ms step, with no gate and no forgetting (r: presynaptic traces, dimensionless;
/// α: dimensionless). P tracks the inverse correlation of all traces seen so far, so it shrinks
/// as trials accumulate and later changes of the targets are learned ever more slowly unless P
/// is reset. Uses `RLSReadout` (one P shared by the readouts).
public struct FORCEReadout: WhatWhenReadoutRule {
    public static let name = "force"
    public static let summary = "FORCE: recursive least squares on the readouts, P(0) = I/α, no gate, no reset (Sussillo & Abbott 2009)"
    public static let alpha = RuleParameter("alpha", "regulariser: P(0) = I / α", range: .closed(1e-3, 1e3), default: 1)
    public static let parameters = [alpha]

    public let alpha: Double
    var rls: RLSReadout
    var targetBuffer: [Double] = []

    public init(_ values: RuleParameterValues) {
        alpha = values[Self.alpha]
        rls = RLSReadout(size: 1, delta: alpha, forgetting: 1)
    }

    public var gateMs: Double? { nil }
    public var learningRate: Double? { nil }
    public mutating func setLearningRate(_ value: Double) {}

    public var equation: String {
        "w_k += (target_k − z_k) P r / (1 + rᵀ P r), P −= P r rᵀ P / (1 + rᵀ P r) every ms, P(0) = I/\(alpha) (FORCE, no reset)"
    }

    public mutating func bind(inputs: Int, outputs: Int) {
        rls = RLSReadout(size: inputs, delta: alpha, forgetting: 1, outputs: outputs)
        targetBuffer = [Double](repeating: 0, count: outputs)
    }

    public func readout(_ r: [Float], into z: inout [Float]) {
        for k in 0..<rls.outputs { z[k] = Float(rls.predict(r, output: k)) }
    }

    public mutating func learn(traces r: [Float], targets: [Float], readouts z: [Float], gate: Bool) {
        for k in 0..<targetBuffer.count { targetBuffer[k] = Double(targets[k]) }
        rls.train(r, targets: targetBuffer)
    }

    public func weights(of k: Int) -> [Float] {
        let n = rls.size
        return rls.weights[k * n ..< (k + 1) * n].map { Float($0) }
    }
}
