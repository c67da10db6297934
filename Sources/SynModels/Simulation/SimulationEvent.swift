/// A labelled moment of a run that every chart marks with a vertical line (e.g. "task 2" where
/// a continual-learning schedule switches task). Events come from the simulation itself, so
/// they are part of its deterministic state: the same seed gives the same events.
public struct SimulationEvent: Sendable, Equatable {
    /// The step at which the event happened.
    public var step: Int
    /// Short label drawn next to the marker.
    public var label: String

    public init(step: Int, label: String) {
        self.step = step
        self.label = label
    }
}
