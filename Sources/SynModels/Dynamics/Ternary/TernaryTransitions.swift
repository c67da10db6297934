/// Counts ternary state changes of a set of weights during quantisation-aware training: the
/// fraction whose hard state clamp(round(z)) changed at each step ("transitions") and the
/// fraction that never changed since counting began ("dead zone", HESTIA's frozen weights).
public struct TernaryTransitions: Sendable, Equatable {
    /// States after the last recorded step.
    public private(set) var previous: [Int8]
    /// Whether each weight has changed state at least once.
    private var moved: [Bool]
    private var movedCount = 0
    /// Steps recorded and state changes summed over all weights and steps.
    public private(set) var steps = 0
    public private(set) var changes = 0
    /// Fractions changed at each of the last `window` steps (a ring), for a smoothed rate.
    private var recent: [Double]
    private var recentNext = 0
    /// Steps averaged in `rate`.
    public let window: Int

    public init(states: [Int8], window: Int = 10) {
        precondition(window >= 1)
        previous = states
        moved = [Bool](repeating: false, count: states.count)
        recent = []
        recent.reserveCapacity(window)
        self.window = window
    }

    /// Records the states after one step; returns the fraction of weights that changed.
    @discardableResult
    public mutating func record(_ states: [Int8]) -> Double {
        precondition(states.count == previous.count)
        var c = 0
        for i in 0..<states.count where states[i] != previous[i] {
            c += 1
            if !moved[i] { moved[i] = true; movedCount += 1 }
        }
        previous = states
        steps += 1
        changes += c
        let f = states.isEmpty ? 0 : Double(c) / Double(states.count)
        if recent.count < window { recent.append(f) } else { recent[recentNext] = f }
        recentNext = (recentNext + 1) % window
        return f
    }

    /// Mean fraction changed per step over the last `window` steps (NaN before any step).
    public var rate: Double { recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count) }

    /// Fraction of weights that never changed state (NaN before any step).
    public var deadZoneFraction: Double {
        steps == 0 || previous.isEmpty ? .nan : 1 - Double(movedCount) / Double(previous.count)
    }

    /// State changes per weight so far.
    public var changesPerWeight: Double { previous.isEmpty ? .nan : Double(changes) / Double(previous.count) }
}
