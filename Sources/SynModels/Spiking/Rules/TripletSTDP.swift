import SynCore
/// Triplet STDP (Pfister & Gerstner 2006, all-to-all, visual-cortex fit): two traces per side,
/// each +1 per spike (dimensionless counts),
///
///     tau+ dr1/dt = -r1,  tau_x dr2/dt = -r2      (pre, input i)
///     tau- do1/dt = -o1,  tau_y do2/dt = -o2      (post, neuron j)
///     pre spike of i:   w_ij <- clip(w_ij - o1_j (A2- + A3- r2_i))
///     post spike of j:  w_ij <- clip(w_ij + r1_i (A2+ + A3+ o2_j))
///
/// with r2 and o2 read just before their own increment. The triplet terms make the rule
/// rate-dependent (BCM-like: potentiation above a threshold rate). Amplitudes A2+, A3+, A2-,
/// A3- [weight units] = `a2_plus`... times w_max (dimensionless, the paper's values for weights
/// normalised to [0, 1]); tau+ = `tau_pre_ms`, tau- = `tau_post_ms`, tau_x = `tau_x_ms`, tau_y =
/// `tau_y_ms` [ms in the scene, s inside].
public struct TripletSTDP: SpikeTimingRule {
    public static let name = "triplet"
    public static let summary = "triplet STDP, pair terms plus pre-post-post / post-pre-pre triplets: rate-dependent (Pfister & Gerstner 2006)"
    public static let tauPre = STDPParameter.tauPre(default: 16.8)
    public static let tauPost = STDPParameter.tauPost(default: 33.7)
    public static let tauX = RuleParameter("tau_x_ms", "time constant tau_x of the slow presynaptic trace r2", unit: "ms", range: .openClosed(0, 10_000), default: 101)
    public static let tauY = RuleParameter("tau_y_ms", "time constant tau_y of the slow postsynaptic trace o2", unit: "ms", range: .openClosed(0, 10_000), default: 125)
    public static let a2Plus = RuleParameter("a2_plus", "pair potentiation amplitude A2+ relative to w_max", range: .closed(0, 1), default: 5e-10)
    public static let a3Plus = RuleParameter("a3_plus", "triplet (post-pre-post) potentiation amplitude A3+ relative to w_max", range: .closed(0, 1), default: 6.2e-3)
    public static let a2Minus = RuleParameter("a2_minus", "pair depression amplitude A2- relative to w_max", range: .closed(0, 1), default: 7e-3)
    public static let a3Minus = RuleParameter("a3_minus", "triplet (pre-post-pre) depression amplitude A3- relative to w_max", range: .closed(0, 1), default: 2.3e-4)
    public static let parameters = [tauPre, tauPost, tauX, tauY, a2Plus, a3Plus, a2Minus, a3Minus]

    public let tauPre: Double
    public let tauPost: Double
    public let tauX: Double
    public let tauY: Double
    /// Relative amplitudes (dimensionless) and the bound ones (weight units).
    let relative: (a2p: Float, a3p: Float, a2m: Float, a3m: Float)
    public private(set) var a2Plus: Float
    public private(set) var a3Plus: Float
    public private(set) var a2Minus: Float
    public private(set) var a3Minus: Float

    public init(_ values: RuleParameterValues) {
        tauPre = values[Self.tauPre] / 1000
        tauPost = values[Self.tauPost] / 1000
        tauX = values[Self.tauX] / 1000
        tauY = values[Self.tauY] / 1000
        relative = (values.float(Self.a2Plus), values.float(Self.a3Plus), values.float(Self.a2Minus), values.float(Self.a3Minus))
        (a2Plus, a3Plus, a2Minus, a3Minus) = relative
    }

    public var slowTraceTaus: (pre: Double, post: Double)? { (tauX, tauY) }
    public var preIncrement: Float { 1 }
    public var postIncrement: Float { 1 }

    public mutating func bind(lo: Float, hi: Float) {
        a2Plus = relative.a2p * hi
        a3Plus = relative.a3p * hi
        a2Minus = relative.a2m * hi
        a3Minus = relative.a3m * hi
    }

    @inline(__always)
    public func atPre(w: Float, y: Float, r2: Float, lo: Float, hi: Float, span: Float) -> Float { -y * (a2Minus + a3Minus * r2) }
    @inline(__always)
    public func atPost(w: Float, x: Float, o2: Float, lo: Float, hi: Float, span: Float) -> Float { x * (a2Plus + a3Plus * o2) }

    public var equation: String {
        "triplet STDP (Pfister & Gerstner 2006): pre spike w −= o1 (A2− + A3− r2); post spike w += r1 (A2+ + A3+ o2); r1, r2, o1, o2 += 1 per spike (τ+ = \(NumberFormat.shortest(tauPre * 1000)), τx = \(NumberFormat.shortest(tauX * 1000)), τ− = \(NumberFormat.shortest(tauPost * 1000)), τy = \(NumberFormat.shortest(tauY * 1000)) ms)"
    }
}
