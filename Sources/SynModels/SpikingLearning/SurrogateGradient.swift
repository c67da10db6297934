#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A training rule of the surrogate-gradient spiking network (`model = "surrogate_snn"`): BPTT
/// through the LIF dynamics with the spike's derivative ∂S/∂V replaced by a pseudo-derivative
/// of x = V − V_th (the forward pass keeps the Heaviside S = 1[x ≥ 0]), and Adam with rate η.
public protocol SurrogateGradient: LearningRule {
    /// Adam learning rate (dimensionless).
    var eta: Float { get }
    /// The pseudo-derivative at x = V − V_th.
    func derivative(_ x: Float) -> Float
    /// The smooth spike whose exact derivative `derivative` is (a sigmoid for the sigmoid
    /// surrogate): the relaxation that makes BPTT checkable against finite differences.
    func smoothSpike(_ x: Float) -> Float
}

/// Parameters every surrogate rule shares.
public enum SurrogateParameter {
    public static let eta = RuleParameter("eta", "Adam learning rate η", range: .openClosed(0, 1), default: 0.001)
}

/// The rules of the surrogate-gradient spiking network, found by name.
public enum SurrogateRules {
    public static let registry = RuleRegistry<any SurrogateGradient>(
        family: "surrogate_snn", summary: "pseudo-derivatives of the spike for BPTT in a LIF network (model = \"surrogate_snn\")", [
            .init(SigmoidSurrogate.self) { $0 },
            .init(BoxSurrogate.self) { $0 },
        ])
}

/// The sigmoid surrogate (Zenke & Ganguli 2018 style; the review's form): with σ the logistic
/// function and slope α (per unit of V − V_th),
///
///     ∂S/∂V ≈ α σ(α x) (1 − σ(α x)),   x = V − V_th
///
/// the exact derivative of σ(α x); the weights move by Adam on the BPTT gradient (rate η).
public struct SigmoidSurrogate: SurrogateGradient {
    public static let name = "sigmoid"
    public static let summary = "BPTT with the sigmoid pseudo-derivative α σ(αx)(1 − σ(αx)) of the spike, Adam"
    public static let alpha = RuleParameter("alpha", "slope α of the sigmoid (per unit of V − V_th)", range: .closed(0.1, 100), default: 4)
    public static let parameters = [SurrogateParameter.eta, alpha]
    public let eta: Float
    public let alpha: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(SurrogateParameter.eta)
        alpha = values.float(Self.alpha)
    }

    @inline(__always) public func smoothSpike(_ x: Float) -> Float { 1 / (1 + expf(-alpha * x)) }
    @inline(__always) public func derivative(_ x: Float) -> Float {
        let s = smoothSpike(x)
        return alpha * s * (1 - s)
    }

    public var equation: String {
        "BPTT, S = 1[V ≥ V_th] forward, ∂S/∂V ≈ α σ(α(V − V_th))(1 − σ(α(V − V_th))) backward; α = \(alpha); Adam η = \(eta)"
    }
}

/// The rectangular pseudo-derivative of STBP (Wu et al. 2018), width a (units of V):
///
///     ∂S/∂V ≈ (1/a) 1[|x| < a/2],   x = V − V_th
///
/// the derivative of the ramp clamp(x/a + 1/2, 0, 1); Adam with rate η.
public struct BoxSurrogate: SurrogateGradient {
    public static let name = "box"
    public static let summary = "BPTT with the rectangular pseudo-derivative (1/a) 1[|V − V_th| < a/2] (STBP, Wu et al. 2018), Adam"
    public static let width = RuleParameter("width", "width a of the window around threshold (units of V)", range: .closed(0.01, 10), default: 1)
    public static let parameters = [SurrogateParameter.eta, width]
    public let eta: Float
    public let width: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(SurrogateParameter.eta)
        width = values.float(Self.width)
    }

    @inline(__always) public func smoothSpike(_ x: Float) -> Float { min(1, max(0, x / width + 0.5)) }
    @inline(__always) public func derivative(_ x: Float) -> Float { abs(x) < width / 2 ? 1 / width : 0 }

    public var equation: String {
        "BPTT, S = 1[V ≥ V_th] forward, ∂S/∂V ≈ (1/a) 1[|V − V_th| < a/2] backward; a = \(width); Adam η = \(eta)"
    }
}
