import TUICore
import Testing
@testable import TUIWidgets

@Suite struct RasterTests {
    @Test func moreNeuronsThanRowsShowsAnEvenlySpacedSubset() {
        // 10 neurons on 4 dot rows: neurons floor(r * 10 / 4) = 0, 2, 5, 7, on rows 0...3.
        let shown = (0..<10).compactMap { n in Raster.dotRow(neuron: n, neuronCount: 10, rows: 4).map { (n, $0) } }
        #expect(shown.map(\.0) == [0, 2, 5, 7])
        #expect(shown.map(\.1) == [0, 1, 2, 3])
    }

    @Test func subsetHasOneNeuronPerRowForAnySize() {
        for (n, rows) in [(4000, 37), (101, 100), (7, 7), (1000, 1)] {
            let shownRows = (0..<n).compactMap { Raster.dotRow(neuron: $0, neuronCount: n, rows: rows) }
            #expect(shownRows == Array(0..<rows), "\(n) neurons, \(rows) rows")
        }
    }

    @Test func fewerNeuronsThanRowsAreAllShownAndSpread() {
        let rows = (0..<4).map { Raster.dotRow(neuron: $0, neuronCount: 4, rows: 8) }
        #expect(rows == [0, 2, 4, 6])
        #expect(Raster.dotRow(neuron: 4, neuronCount: 4, rows: 8) == nil)
        #expect(Raster.dotRow(neuron: -1, neuronCount: 4, rows: 8) == nil)
    }

    @Test func spikesLandAtTheirStepAndNeuronDots() {
        // 10 neurons on 8 dot rows, 4 steps on 8 dot columns: step s is dot column 2s.
        // Neuron 9 is not in the shown subset {0, 1, 2, 3, 5, 6, 7, 8}.
        let raster = Raster(neuronCount: 10, from: 0, to: 4, dt: 0.01, steps: [0, 1, 2, 3, 3], neurons: [0, 2, 5, 7, 9])
        #expect(snapshot(raster, 4, 2) == "⠁⠄\n  ⠁⠄")
    }

    @Test func rateStripIsInHertz() {
        // Every neuron spikes every step: the rate is 1/dt everywhere, so the strip is full (the
        // 4 steps are spread over the 23 strip columns).
        let n = 3, steps = 4, dt = 0.002
        let spikeSteps = (0..<steps).flatMap { s in [Int32](repeating: Int32(100 + s), count: n) }
        let spikeNeurons = (0..<steps).flatMap { _ in (0..<n).map(Int32.init) }
        let raster = Raster(neuronCount: n, from: 100, to: 100 + steps, dt: dt, steps: spikeSteps, neurons: spikeNeurons)
        let b = rendered(raster, 30, 3)
        // Gutter of 7 columns: "500Hz" (= 1 / 0.002 s) right-aligned in 6, then the strip.
        #expect(b.lines[2] == " 500Hz " + String(repeating: "█", count: 23))
    }

    @Test func rateCountsAllSpikesInEachColumnsSteps() {
        // 4 steps over 2 rate columns (no gutter below 24 columns): column 0 = steps 0-1 with 2
        // spikes of 1 neuron -> 2 / (1 * 2 * 0.5 s) = 2 Hz; column 1 = 1 spike -> 1 Hz (half height).
        let raster = Raster(neuronCount: 1, from: 0, to: 4, dt: 0.5, steps: [0, 1, 3], neurons: [0, 0, 0])
        #expect(rendered(raster, 2, 3).lines[2] == "█▄")
    }

    @Test func scrollingMovesSpikesLeftAndDropsThoseOutsideTheWindow() {
        let early = Raster(neuronCount: 1, from: 0, to: 4, dt: 1, steps: [2], neurons: [0], showRate: false)
        var later = early
        later.from = 2
        later.to = 6
        #expect(snapshot(early, 2, 1) == " ⠁")
        #expect(snapshot(later, 2, 1) == "⠁")
        later.from = 3
        later.to = 7
        #expect(snapshot(later, 2, 1) == "")
    }

    @Test func groupsColourTheirNeuronsAndAreLabelled() {
        let raster = Raster(neuronCount: 8, from: 0, to: 2, dt: 0.001, steps: [0, 1], neurons: [0, 7],
                            groups: [RasterGroup(name: "E", range: 0..<4), RasterGroup(name: "I", range: 4..<8)],
                            showRate: false)
        let b = rendered(raster, 24, 2)
        // Gutter of 7: "E" on the row of neuron 1 (the middle of 0..<4), "I" on that of neuron 5.
        // Step 1 of 2 is dot column 17 of 34: the right half of cell 8 (x = 15).
        #expect(b.plainText == "E      ⠁\nI              ⢀")
        #expect(b[7, 0].fg == Theme.default.groupColor(0))
        #expect(b[15, 1].fg == Theme.default.groupColor(1))
    }

    @Test func emptyWindowOrNoNeuronsIsAPlaceholder() {
        #expect(snapshot(Raster(neuronCount: 0, from: 0, to: 4, dt: 1, steps: [], neurons: []), 5, 3) == "\n  …\n")
        #expect(snapshot(Raster(neuronCount: 3, from: 4, to: 4, dt: 1, steps: [], neurons: []), 1, 1) == "…")
    }
}
