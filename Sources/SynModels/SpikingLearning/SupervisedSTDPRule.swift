/// A plasticity rule of the supervised symmetric-STDP digit network (`model = "sym_stdp"`, Hao
/// et al. 2020): the trace update of the hidden → output synapses E → C. Both layers keep
/// all-to-all traces, x ← x + a at each spike, τ dx/dt = −x; ν is the rule's `eta`:
///
///     at a presynaptic spike of j:   w_kj ← w_kj + s ν x_post,k      (s = +1 or −1)
///     at a postsynaptic spike of k:  w_kj ← w_kj + ν x_pre,j
///
/// The hidden layer P → E always learns with the symmetric window (s = +1, its own ν).
public protocol SupervisedSTDPRule: LearningRule {
    /// ν of the E → C synapses (weight units per unit trace).
    var eta: Float { get }
    /// Sign s of the presynaptic-spike term: +1 symmetric (both orders potentiate), −1 the
    /// classical asymmetric window (post-before-pre depresses).
    var preSign: Float { get }
    /// Trace increment a (a⁺ = a⁻).
    var traceIncrement: Float { get }
    /// Trace time constant τ (s).
    var tau: Double { get }
}

/// Parameters every supervised-STDP rule shares (authors' code values, N_E = 100/400).
public enum SupervisedSTDPParameter {
    public static let eta = RuleParameter("eta", "learning rate ν of the E → C synapses per unit trace", range: .openClosed(0, 1), default: 0.04)
    public static let a = RuleParameter("a_trace", "trace increment a at each spike (a⁺ = a⁻)", range: .openClosed(0, 10), default: 0.1)
    public static let tau = RuleParameter("tau_trace_ms", "trace time constant τ", unit: "ms", range: .closed(1, 1000), default: 20)
    public static let all = [eta, a, tau]
}

/// The rules of the supervised symmetric-STDP network, found by name.
public enum SupervisedSTDPRules {
    public static let registry = RuleRegistry<any SupervisedSTDPRule>(
        family: "sym_stdp", summary: "the E → C window of the supervised symmetric-STDP digit network (model = \"sym_stdp\")", [
            .init(SymmetricTraceSTDP.self) { $0 },
            .init(AsymmetricTraceSTDP.self) { $0 },
        ])
}

/// Symmetric STDP (Hao et al. 2020): both spike orders potentiate,
/// Δw ≈ ν a e^{−|Δt|/τ} per pair, so an E neuron's weight onto the teacher-driven output of a
/// class grows with how often they fire together, whatever the order.
///
///     pre spike j:  w_kj += ν x_post,k;   post spike k:  w_kj += ν x_pre,j   (w ∈ [0, w_max])
public struct SymmetricTraceSTDP: SupervisedSTDPRule {
    public static let name = "symmetric"
    public static let summary = "symmetric trace STDP on E → C: both spike orders potentiate (Hao et al. 2020)"
    public static let parameters = SupervisedSTDPParameter.all
    public let eta: Float
    public let traceIncrement: Float
    public let tau: Double
    public var preSign: Float { 1 }

    public init(_ values: RuleParameterValues) {
        eta = values.float(SupervisedSTDPParameter.eta)
        traceIncrement = values.float(SupervisedSTDPParameter.a)
        tau = values[SupervisedSTDPParameter.tau] / 1000
    }

    public var equation: String {
        "E → C: pre spike j: w_kj += ν x_post,k; post spike k: w_kj += ν x_pre,j; ν = \(eta), x += \(traceIncrement) per spike, τ = \(tau * 1000) ms"
    }
}

/// The classical asymmetric window on the same traces (the page's comparison arm):
/// pre-before-post potentiates, post-before-pre depresses, Δw ≈ ± ν a e^{−|Δt|/τ}.
///
///     pre spike j:  w_kj −= ν x_post,k;   post spike k:  w_kj += ν x_pre,j   (w ∈ [0, w_max])
///
/// Against a teacher that fires independently of E, the two terms cancel on average.
public struct AsymmetricTraceSTDP: SupervisedSTDPRule {
    public static let name = "asymmetric"
    public static let summary = "classical asymmetric trace STDP on E → C: post-before-pre depresses"
    public static let parameters = SupervisedSTDPParameter.all
    public let eta: Float
    public let traceIncrement: Float
    public let tau: Double
    public var preSign: Float { -1 }

    public init(_ values: RuleParameterValues) {
        eta = values.float(SupervisedSTDPParameter.eta)
        traceIncrement = values.float(SupervisedSTDPParameter.a)
        tau = values[SupervisedSTDPParameter.tau] / 1000
    }

    public var equation: String {
        "E → C: pre spike j: w_kj −= ν x_post,k; post spike k: w_kj += ν x_pre,j; ν = \(eta), x += \(traceIncrement) per spike, τ = \(tau * 1000) ms"
    }
}
