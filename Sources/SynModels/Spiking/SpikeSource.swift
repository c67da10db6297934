/// A simulation whose neurons spike: it exposes the recorders that hold its spike trains, so
/// tools (`synaptop run --spikes`) can read them without knowing the model.
///
/// Neuron ids in an export number the recorders' neurons one after another: the first
/// recorder's neurons are 0..<n0, the second's n0..<n0 + n1, and so on. Each recorder keeps the
/// last `capacity` spikes in a ring (`SpikeRecorder.spikes(after:)` reads them by sequence
/// number), so a reader that drains at least every `capacity` spikes misses none.
public protocol SpikeSource {
    /// The recorded populations, in export order, with a short name each (e.g. "network",
    /// "inputs", "output").
    var spikePopulations: [(name: String, recorder: SpikeRecorder)] { get }
}

extension LIFNetworkSimulation: SpikeSource {
    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("network", recorder)] }
}

extension IzhikevichNetworkSimulation: SpikeSource {
    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] { [("network", recorder)] }
}

extension STDPNeuronSimulation: SpikeSource {
    /// The output neuron(s) first, then the Poisson inputs.
    public var spikePopulations: [(name: String, recorder: SpikeRecorder)] {
        [("output", outputRecorder), ("inputs", inputRecorder)]
    }
}
