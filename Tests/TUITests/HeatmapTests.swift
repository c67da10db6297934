import TUICore
import Testing
@testable import TUIWidgets

@Suite struct HeatmapTests {
    /// One matrix row reshaped into a single tile (hopfield's 1x900 state as 30x30): every
    /// tile row is drawn, indexed by the tile's width, not the full row's.
    @Test func aSingleTiledRowDrawsEveryTileRow() {
        // 4x4 image whose rows are 0, 1/3, 2/3, 1.
        let values: [Float] = (0..<16).map { Float($0 / 4) / 3 }
        let map = Heatmap(rows: 1, cols: 16, values: values, tile: TileShape(rows: 4, cols: 4), scale: .fixed(0, 1),
                          showColorBar: false)
        #expect(snapshot(map, 8, 4, theme: .ascii) == "\n--------\n********\n@@@@@@@@")
    }

    @Test func asciiRampFollowsTheFixedLimits() {
        // 0 -> " ", 0.5 -> ramp[round(4.5)] = "+", 1 -> "@"; each pixel is two columns wide.
        let map = Heatmap(rows: 2, cols: 3, values: [0, 0.5, 1, 1, 0.5, 0], scale: .fixed(0, 1))
        #expect(snapshot(map, 6, 3, theme: .ascii) == "  ++@@\n@@++\n0  @ 1")
    }

    @Test func halfBlocksCarryUpperPixelInForegroundAndLowerInBackground() {
        let map = Heatmap(rows: 2, cols: 1, values: [0, 1], scale: .fixed(0, 1), showColorBar: false)
        let cell = rendered(map, 2, 1)[0, 0]
        #expect(cell.symbol == "▀")
        #expect(cell.fg == Theme.default.sequential.color(at: 0))
        #expect(cell.bg == Theme.default.sequential.color(at: 1))
    }

    @Test func symmetricScaleUsesTheDivergingMapWithZeroInTheMiddle() {
        let map = Heatmap(rows: 2, cols: 3, values: [-2, 0, 2, -1, 1, 0], scale: .symmetric(2), showColorBar: false)
        let b = rendered(map, 3, 1)
        let d = Theme.default.diverging
        #expect(b[0, 0].fg == d.color(at: 0) && b[0, 0].bg == d.color(at: 0.25))
        #expect(b[1, 0].fg == d.color(at: 0.5) && b[1, 0].bg == d.color(at: 0.75))
        #expect(b[2, 0].fg == d.color(at: 1) && b[2, 0].bg == d.color(at: 0.5))
    }

    @Test func valuesOutsideTheLimitsClampAndNaNIsBlank() {
        let map = Heatmap(rows: 1, cols: 3, values: [-5, 9, .nan], scale: .fixed(0, 1), showColorBar: false)
        #expect(snapshot(map, 6, 1, theme: .ascii) == "  @@")
        let b = rendered(Heatmap(rows: 1, cols: 1, values: [.nan], scale: .fixed(0, 1), showColorBar: false), 2, 1)
        #expect(b[0, 0] == Theme.default.blank)
    }

    @Test func largerMatricesAreDownsampledByNearestNeighbour() {
        // 4x4 values 0...15 into 2x2 pixels: pixel i samples source floor((i + 0.5) * 4 / 2) = 1, 3,
        // i.e. values 5, 7, 13, 15 -> ramp indices round(9v/15) = 3, 4, 8, 9.
        let map = Heatmap(rows: 4, cols: 4, values: (0..<16).map(Float.init), scale: .fixed(0, 15),
                          showColorBar: false)
        #expect(snapshot(map, 4, 2, theme: .ascii) == "--==\n%%@@")
    }

    @Test func smallMatricesAreEnlargedByAWholeFactor() {
        let map = Heatmap(rows: 1, cols: 2, values: [0, 1], scale: .fixed(0, 1), showColorBar: false)
        // 8x3 ASCII area = 4x3 pixels: factor min(4/2, 3/1) = 2 -> a 4x2-pixel image.
        #expect(snapshot(map, 8, 3, theme: .ascii) == "    @@@@\n    @@@@\n")
    }

    @Test func tilesAreLaidOutInAGridWithGaps() {
        // Five 2x2 tiles (tile k holds 4k...4k+3) in 12x4 ASCII pixels: every grid shape allows
        // at most half size, the first such is 3 columns; each 1x1 tile samples its pixel (1, 1).
        let map = Heatmap(rows: 5, cols: 4, values: (0..<20).map(Float.init), tile: TileShape(rows: 2, cols: 2),
                          scale: .fixed(0, 19))
        #expect(snapshot(map, 24, 5, theme: .ascii) == """
            ..  --  ++

            ##  @@

            0  ..::--==++**##%%@@ 19
            """)
    }

    @Test func digitSizedTilesFitAtFullSize() throws {
        // 16 tiles of 8x8 in 40x35 half-block pixels: a 4x4 grid of 8x8 images with 1-pixel gaps
        // fits at factor 1 (4*8+3 = 35); one pixel row less and they must shrink.
        let map = Heatmap(rows: 16, cols: 64, values: [Float](repeating: 1, count: 1024),
                          tile: TileShape(rows: 8, cols: 8), scale: .fixed(0, 1))
        let grid = try #require(map.layout(pixelWidth: 40, pixelHeight: 35))
        #expect(grid.gridCols == 4 && grid.pixelRows == 8 && grid.pixelCols == 8 && grid.shown == 16)
        let smaller = try #require(map.layout(pixelWidth: 40, pixelHeight: 34))
        #expect(smaller.pixelRows < 8 && smaller.shown == 16)
    }

    @Test func tilesThatCannotAllFitAreCountedInTheColourBar() {
        let map = Heatmap(rows: 50, cols: 4, values: (0..<200).map(Float.init), tile: TileShape(rows: 2, cols: 2),
                          scale: .fixed(0, 19))
        #expect(snapshot(map, 24, 5, theme: .ascii).hasSuffix("19 12/50"))
    }

    @Test func tileShapeNotMatchingColumnsFallsBackToTheMatrix() throws {
        let map = Heatmap(rows: 2, cols: 6, values: [Float](repeating: 0, count: 12), tile: TileShape(rows: 2, cols: 2),
                          scale: .fixed(0, 1))
        let grid = try #require(map.layout(pixelWidth: 12, pixelHeight: 4))
        #expect(grid.tileCount == 1 && grid.tileRows == 2 && grid.tileCols == 6)
    }

    @Test func missingValuesAndTinyAreasDoNotCrash() {
        let map = Heatmap(rows: 3, cols: 3, values: [1], scale: .fixed(0, 1))
        #expect(snapshot(map, 1, 1) == "…")
        #expect(!snapshot(map, 10, 4).isEmpty)
        #expect(snapshot(Heatmap(rows: 0, cols: 3, values: [], scale: .symmetric(1)), 4, 3) == "\n …\n")
    }
}
