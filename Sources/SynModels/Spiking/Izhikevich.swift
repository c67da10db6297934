import SynCore

/// Izhikevich (2003) simple model neurons (IEEE Trans. Neural Netw. 14:1569):
///
///     dv/dt = 0.04 v^2 + 5 v + 140 - u + I        (v in mV, t in ms, I in mV/ms)
///     du/dt = a (b v - u)
///     if v >= 30 mV: v <- c, u <- u + d
///
/// a (1/ms) sets the recovery speed, b the sensitivity of u to v, c (mV) the reset, d (mV/ms)
/// the after-spike recovery jump. As in the paper's code, v is advanced in two half steps of
/// dt/2 and u in one step of dt (dt in ms = 1000 * step seconds).
///
/// The paper's inputs live on a 1 ms grid; they are scaled so any dt gives the same effect:
/// - synaptic input is a current pulse of charge w * 1 ms: a spike through weight w (mV/ms)
///   adds w * (1 ms / dt) to I of the next step only, so it moves v by about w mV;
/// - noise is white with SD sigma (mV/ms) per 1 ms: each step draws sigma sqrt(1 ms / dt) N(0, 1),
///   so the variance of v's noise increments per ms does not depend on dt.
public struct IzhikevichParameters: Sendable, Equatable {
    public var a: Float
    public var b: Float
    public var c: Float
    public var d: Float

    public init(a: Float, b: Float, c: Float, d: Float) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    /// Regular spiking (cortical excitatory; adapting).
    public static let regularSpiking = IzhikevichParameters(a: 0.02, b: 0.2, c: -65, d: 8)
    /// Intrinsically bursting (initial burst, then tonic spikes).
    public static let intrinsicallyBursting = IzhikevichParameters(a: 0.02, b: 0.2, c: -55, d: 4)
    /// Chattering (repeated high-frequency bursts).
    public static let chattering = IzhikevichParameters(a: 0.02, b: 0.2, c: -50, d: 2)
    /// Fast spiking (inhibitory interneurons; no adaptation).
    public static let fastSpiking = IzhikevichParameters(a: 0.1, b: 0.2, c: -65, d: 2)
    /// Low-threshold spiking (inhibitory; adapting, rebound).
    public static let lowThresholdSpiking = IzhikevichParameters(a: 0.02, b: 0.25, c: -65, d: 2)

    /// The named sets by their usual abbreviations.
    public static let named: [(String, IzhikevichParameters)] = [
        ("RS", regularSpiking), ("IB", intrinsicallyBursting), ("CH", chattering),
        ("FS", fastSpiking), ("LTS", lowThresholdSpiking),
    ]
}

/// A group of Izhikevich neurons (SoA Float32). `input` holds the synaptic current for the next
/// update (filled by propagation, cleared by `update`).
public struct IzhikevichGroup: Sendable {
    public let count: Int
    /// Step in ms.
    public let dtMs: Float
    public var v: [Float]
    public var u: [Float]
    public var a: [Float]
    public var b: [Float]
    public var c: [Float]
    public var d: [Float]
    /// Synaptic input for the next update, in mV/ms of a 1 ms pulse (scaled by 1 ms / dt when
    /// applied, see the type's doc).
    public var input: [Float]
    /// Constant bias current (mV/ms).
    public var bias: [Float]
    /// SD of the Gaussian noise current per 1 ms (mV/ms), e.g. thalamic input.
    public var noiseSD: [Float]
    /// 1 ms / dt: the current of a 1 ms pulse delivered in one step.
    let pulseGain: Float
    /// sqrt(1 ms / dt): the per-step SD of noise with SD 1 per 1 ms.
    let noiseGain: Float

    public init(parameters: [IzhikevichParameters], dt: Double) {
        count = parameters.count
        dtMs = Float(dt * 1000)
        pulseGain = Float(1 / (dt * 1000))
        noiseGain = Float((1 / (dt * 1000)).squareRoot())
        a = parameters.map(\.a)
        b = parameters.map(\.b)
        c = parameters.map(\.c)
        d = parameters.map(\.d)
        v = [Float](repeating: -65, count: count)
        u = (0..<count).map { parameters[$0].b * -65 }
        input = [Float](repeating: 0, count: count)
        bias = [Float](repeating: 0, count: count)
        noiseSD = [Float](repeating: 0, count: count)
    }

    /// State update with I = bias + noise + synaptic input; clears the synaptic input.
    @inline(__always)
    public mutating func update(noise: inout RNG) {
        let h = dtMs * 0.5
        let dtm = dtMs
        let pg = pulseGain, ng = noiseGain
        for i in 0..<count {
            var current = bias[i] + input[i] * pg
            input[i] = 0
            let sd = noiseSD[i]
            if sd != 0 { current += sd * ng * noise.normal() }
            var vv = v[i]
            let uu = u[i]
            vv += h * ((0.04 * vv + 5) * vv + 140 - uu + current)
            vv += h * ((0.04 * vv + 5) * vv + 140 - uu + current)
            v[i] = vv
            u[i] = uu + dtm * a[i] * (b[i] * vv - uu)
        }
    }

    /// Threshold v >= 30 mV: appends indices (+ offset).
    @inline(__always)
    public func threshold(into spikes: inout SpikeBuffer, offset: Int32 = 0) {
        for i in 0..<count where v[i] >= 30 { spikes.append(Int32(i) + offset) }
    }

    /// Reset v <- c, u <- u + d for `spikes[k] - offset`.
    @inline(__always)
    public mutating func reset(_ spikes: SpikeBuffer, offset: Int32 = 0) {
        for k in 0..<spikes.count {
            let i = Int(spikes[k] - offset)
            guard i >= 0 && i < count else { continue }
            v[i] = c[i]
            u[i] += d[i]
        }
    }
}
