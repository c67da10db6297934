import SynScenes
import SynCore
/// How fast the simulation thread steps: a fixed rate (slow motion for teaching) or as fast as
/// the machine allows.
public enum Speed: Sendable, Equatable, CustomStringConvertible {
    /// At most this many steps per wall-clock second.
    case stepsPerSecond(Double)
    /// As fast as possible.
    case max

    /// The `+`/`-` ladder: slow motion below real time up to `max`.
    public static let ladder: [Speed] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
                                         20_000, 50_000, 100_000].map { .stepsPerSecond($0) } + [.max]

    public var description: String {
        switch self {
        case .max: "max"
        case .stepsPerSecond(let r): NumberFormat.compact(r) + "/s"
        }
    }
}

/// A request from the UI thread to the simulation thread (drained from a mailbox between chunks
/// of steps). Relative commands (`cycleRule`, `nudgeControl`) are resolved by the simulation
/// thread, so quick repeated keys never race a stale snapshot.
public enum SimCommand: Sendable, Equatable {
    case setPaused(Bool)
    /// Advances `n` steps (also while paused).
    case step(Int)
    /// Advances to the end of the current big step (trial, epoch or phase).
    case bigStep
    case setSpeed(Speed)
    /// Selects the rule `offset` places after the active one in the scene's switchable list
    /// (wrapping); weights are kept.
    case cycleRule(Int)
    /// Rebuilds the simulation with the same seed.
    case reset
    /// Rebuilds the simulation with the next seed (`seed + 1`), so any run can be reproduced
    /// with `--seed`.
    case reseed
    /// Rebuilds the simulation with this seed (`:seed N`).
    case setSeed(UInt64)
    /// Selects a rule of the scene's switchable list by name (`:rule NAME`); weights are kept.
    case selectRule(String)
    /// Sets a live control by name.
    case setControl(String, Double)
    /// Moves the control at `index` by `steps` of its step size, clamped to its range.
    case nudgeControl(index: Int, steps: Int)
    /// Goes back `n` steps (rewind: restore a saved state, re-simulate forward).
    case rewind(Int)
    /// Goes back to the start of the current big step (trial, epoch, phase), or one big step
    /// when at a boundary.
    case rewindBigStep
    /// Goes to this step: forward by stepping, back by rewinding (a tour's stops).
    case goTo(Int)
    /// Runs until a metrics row meets the condition, then pauses (a tour's `when` stop).
    case runUntil(TourStop.Condition)
    /// Ends the simulation thread.
    case quit
}

extension SimCommand {
    /// Commands that change the dynamics wait until steps queued before them are done, so
    /// their effect lands at a well-defined step.
    var waitsForQueuedSteps: Bool {
        switch self {
        case .cycleRule, .selectRule, .setControl, .nudgeControl, .rewind, .rewindBigStep, .goTo, .runUntil: true
        default: false
        }
    }
}
