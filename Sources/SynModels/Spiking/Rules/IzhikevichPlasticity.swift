import SynCore
/// A plasticity rule of `model = "izhikevich_network"`: STDP on the E synapses, applied to the
/// weights directly or tagged into eligibilities that a dopamine signal turns into weight
/// changes (Izhikevich 2007).
public protocol IzhikevichPlasticity: LearningRule {
    /// The spike-timing rule on the E synapses; nil: no plasticity.
    var timing: (any SpikeTimingRule)? { get }
    /// The three-factor modulation on a grid of `dt` [s] (STDP then writes eligibilities); nil:
    /// STDP changes the weights directly.
    func rewardModulation(dt: Double) -> RewardModulation?
}

extension NoPlasticity: IzhikevichPlasticity {
    public var timing: (any SpikeTimingRule)? { nil }
    public func rewardModulation(dt: Double) -> RewardModulation? { nil }
}

/// The STDP parameters of the Izhikevich (2007) network: A+ = 0.1 and A- = 0.15 mV/ms at the
/// weight bound w_max = 4 mV/ms, i.e. `a_plus` = 0.025 (relative to w_max, as in every spiking
/// family) and `a_minus_ratio` = 1.5; tau+ = tau- = 20 ms.
enum IzhikevichSTDP {
    static let parameters = [AdditiveSTDP.tauPre, AdditiveSTDP.tauPost,
                             STDPParameter.aPlus(default: 0.025), STDPParameter.aMinusRatio(default: 1.5)]
}

/// Additive STDP on the E synapses of the Izhikevich network (the rule of `AdditiveSTDP`,
/// Izhikevich 2007's amplitudes as defaults):
///
///     x_i += A+ per pre spike, y_j += A- per post spike (tau+, tau-; all-to-all)
///     pre spike of i: w_ij <- clip(w_ij - y_j);  post spike of j: w_ij <- clip(w_ij + x_i)
///
/// A+ = a_plus w_max, A- = a_minus_ratio A+ tau+/tau- [mV/ms, the weight unit]; tau+ =
/// `tau_pre_ms`, tau- = `tau_post_ms` [ms]; clip to [0, w_max] (w_max = `network.w_exc_max`).
public struct ExcitatorySTDP: IzhikevichPlasticity {
    public static let name = "stdp"
    public static let summary = "additive STDP on the E synapses (Song et al. 2000 window, Izhikevich 2007 amplitudes)"
    public static let parameters = IzhikevichSTDP.parameters

    public let pair: AdditiveSTDP
    public init(_ values: RuleParameterValues) { pair = AdditiveSTDP(values) }

    public var timing: (any SpikeTimingRule)? { pair }
    public func rewardModulation(dt: Double) -> RewardModulation? { nil }
    public var equation: String { "additive STDP on E synapses: pre spike w −= y_post, post spike w += x_pre; x += A+, y += A− (A+ = \(pair.aPlus) w_max, A− = \(pair.aMinusRatio) A+), τ = \(NumberFormat.shortest(pair.tauPre * 1000)) ms; w in [0, w_max]" }
}

/// Dopamine-modulated STDP (Izhikevich 2007, "distal reward"): additive STDP (as
/// `ExcitatorySTDP`) tags a per-synapse eligibility c instead of changing w, and a global
/// dopamine level d turns tags into weight changes:
///
///     tau_c dc_ij/dt = -c_ij + STDP_ij(t)             (c in weight units, mV/ms)
///     tau_d dd/dt = -d + R sum_k delta(t - t_k)       (t_k: reward times; d dimensionless)
///     dw_ij/dt = eta (d + d0) c_ij                    (clipped to [0, w_max])
///
/// tau_c = `tau_c_ms`, tau_d = `tau_d_ms` [ms in the scene, s inside], R = `reward` (dopamine per
/// reward), d0 = `dopamine_baseline` (dimensionless), eta = `eta` [1/s]; the STDP keys as
/// `ExcitatorySTDP`.
public struct DopamineModulatedSTDP: IzhikevichPlasticity {
    public static let name = "da_stdp"
    public static let summary = "three-factor STDP: eligibility traces gated by dopamine, dw/dt = η (d + d0) c (Izhikevich 2007)"
    public static let tauC = RuleParameter("tau_c_ms", "decay time constant tau_c of the eligibility c", unit: "ms", range: .openClosed(0, 1_000_000), default: 1000)
    public static let tauD = RuleParameter("tau_d_ms", "decay time constant tau_d of the dopamine d", unit: "ms", range: .openClosed(0, 1_000_000), default: 200)
    public static let reward = RuleParameter("reward", "dopamine jump R per reward", range: .closed(0, 100), default: 0.5)
    public static let baseline = RuleParameter("dopamine_baseline", "tonic dopamine d0", range: .closed(0, 10), default: 0.002)
    public static let eta = RuleParameter("eta", "weight change per unit of (d + d0) c per second", unit: "1/s", range: .closed(0, 100_000), default: 100)
    public static let parameters = IzhikevichSTDP.parameters + [tauC, tauD, reward, baseline, eta]

    public let pair: AdditiveSTDP
    /// tau_c, tau_d [s], R, d0, eta [1/s].
    public let tauC: Double
    public let tauD: Double
    public let reward: Double
    public let baseline: Double
    public let eta: Double

    public init(_ values: RuleParameterValues) {
        pair = AdditiveSTDP(values)
        tauC = values[Self.tauC] / 1000
        tauD = values[Self.tauD] / 1000
        reward = values[Self.reward]
        baseline = values[Self.baseline]
        eta = values[Self.eta]
    }

    public var timing: (any SpikeTimingRule)? { pair }
    public func rewardModulation(dt: Double) -> RewardModulation? { modulation(dt: dt) }

    /// The modulator with this rule's parameters on a grid of `dt` [s].
    public func modulation(dt: Double) -> RewardModulation {
        RewardModulation(tauC: tauC, tauD: tauD, reward: reward, baseline: baseline, eta: eta, dt: dt)
    }
    public var equation: String {
        "three-factor (Izhikevich 2007): STDP tags eligibility c (pre spike c −= y, post spike c += x), τc dc/dt = −c (τc = \(NumberFormat.shortest(tauC)) s); dopamine τd dd/dt = −d + \(NumberFormat.shortest(reward)) per reward (τd = \(NumberFormat.shortest(tauD)) s); dw/dt = η (d + \(NumberFormat.shortest(baseline))) c, η = \(NumberFormat.shortest(eta))/s"
    }
}

/// The rules of `model = "izhikevich_network"`.
public enum IzhikevichRules {
    public static let registry = RuleRegistry<any IzhikevichPlasticity>(
        family: "izhikevich_network", summary: "plasticity of the E synapses of an Izhikevich network (model = \"izhikevich_network\")", [
            .init(NoPlasticity.self) { $0 },
            .init(ExcitatorySTDP.self) { $0 },
            .init(DopamineModulatedSTDP.self) { $0 },
        ])

    /// `none` (the library default of `IzhikevichNetworkConfig`).
    public static var none: ConfiguredRule<any IzhikevichPlasticity> {
        ConfiguredRule(name: NoPlasticity.name, values: RuleParameterValues([]), rule: NoPlasticity())
    }
}
