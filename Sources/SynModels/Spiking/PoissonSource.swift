import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Independent Poisson spike trains on the step grid: in each step each source fires with
/// probability p = rate * dt (Brian2's `PoissonGroup`), optionally rate-modulated,
///
///     rate(t) = rate0 (1 + m sin(2 pi f t))       (Hz; 0 <= m <= 1, f in Hz)
///
/// Instead of one Bernoulli draw per source per step, each source draws its geometric gap to
/// the next candidate spike (identical in distribution) and waits in a calendar of step slots
/// (an intrusive linked list per slot, no allocation per step); with modulation, candidates at
/// the peak rate are thinned with probability rate(t) / peak, which again gives Bernoulli(p(t))
/// per step exactly.
public struct PoissonSource: Sendable {
    public let count: Int
    public let dt: Double
    public var rateHz: Double
    public var modulationDepth: Double
    public var modulationHz: Double
    var rng: RNG
    var nextStep: [Int]
    var nextInSlot: [Int32]
    var slotHead: [Int32]
    let slotMask: Int
    var logQ: Double
    var peakP: Double

    /// `count` sources at `rateHz`, drawing from `rng` (a stream of the simulation seed).
    public init(count: Int, rateHz: Double, dt: Double, rng: RNG, modulationDepth: Double = 0, modulationHz: Double = 0) {
        precondition(count >= 0 && rateHz >= 0 && dt > 0)
        self.count = count
        self.dt = dt
        self.rateHz = rateHz
        self.modulationDepth = modulationDepth
        self.modulationHz = modulationHz
        self.rng = rng
        slotMask = (1 << 13) - 1
        slotHead = [Int32](repeating: -1, count: slotMask + 1)
        nextInSlot = [Int32](repeating: -1, count: count)
        nextStep = [Int](repeating: 0, count: count)
        logQ = 0
        peakP = 0
        configure()
        for i in 0..<count { schedule(i, after: -1) }
    }

    mutating func configure() {
        peakP = min(1, rateHz * (1 + modulationDepth) * dt)
        logQ = peakP < 1 ? log1p(-peakP) : -.infinity
    }

    @inline(__always) mutating func schedule(_ i: Int, after step: Int) {
        guard peakP > 0 else { nextStep[i] = Int.max; return }
        var gap = 1
        if peakP < 1 {
            let u = max(rng.uniformDouble(), 1e-300)
            let g = (log(u) / logQ).rounded(.down)
            gap = 1 + (g < 1e15 ? Int(g) : 1 << 50)
        }
        let s = step + gap
        nextStep[i] = s
        let slot = s & slotMask
        nextInSlot[i] = slotHead[slot]
        slotHead[slot] = Int32(i)
    }

    /// Changes the rate from the next step on (redraws every pending gap from `step`).
    public mutating func setRate(_ hz: Double, modulationDepth m: Double? = nil, at step: Int) {
        rateHz = hz
        if let m { modulationDepth = m }
        configure()
        for s in 0..<slotHead.count { slotHead[s] = -1 }
        for i in 0..<count { schedule(i, after: step - 1) }
    }

    /// Appends the sources firing at `step` (plus `offset`) to `spikes`. Must be called for
    /// every step in order.
    @inline(__always)
    public mutating func emit(step: Int, into spikes: inout SpikeBuffer, offset: Int32 = 0) {
        let slot = step & slotMask
        var i = slotHead[slot]
        slotHead[slot] = -1
        let modulated = modulationDepth > 0
        let peak = 1 + modulationDepth
        let phase = modulated ? 1 + modulationDepth * sin(2 * Double.pi * modulationHz * Double(step) * dt) : 1
        while i >= 0 {
            let ii = Int(i)
            let next = nextInSlot[ii]
            if nextStep[ii] == step {
                if !modulated || rng.uniformDouble() * peak < phase { spikes.append(i + offset) }
                schedule(ii, after: step)
            } else {
                // A gap longer than the calendar: park it again in the same slot.
                nextInSlot[ii] = slotHead[slot]
                slotHead[slot] = i
            }
            i = next
        }
    }
}
