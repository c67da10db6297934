/// The three quantisation-aware training arms of the `ternary-qat` scene, stepped side by side
/// from the same pre-trained weights on the same minibatches.
public enum TernaryMethod: Int, CaseIterable, Sendable {
    /// Hard ternary rounding with a straight-through estimator from the first step (π = 1, T = 0).
    case ste
    /// HESTIA's soft quantiser, pressure ramp and cosine-annealed temperature, one T for all tensors.
    case soft
    /// As `soft`, each tensor's temperature scaled by its Hessian-trace factor τ_i.
    case hessian

    /// Metric-name suffix: `_ste`, `_soft`, and none for the Hessian-guided arm (the paper's method).
    public var suffix: String {
        switch self {
        case .ste: "_ste"
        case .soft: "_soft"
        case .hessian: ""
        }
    }

    /// Control label.
    public var label: String {
        switch self {
        case .ste: "ste"
        case .soft: "soft"
        case .hessian: "hessian"
        }
    }
}
