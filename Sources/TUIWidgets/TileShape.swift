/// The shape of one tile when a heatmap shows each matrix row as a small image.
public struct TileShape: Sendable, Hashable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }
}
