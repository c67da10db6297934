import SynCore

/// Reader for the MNIST IDX format (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, ...).
///
/// Layout: magic `00 00 08 nd` (0x08 = unsigned bytes, nd = number of dimensions), then nd
/// big-endian UInt32 sizes, then the bytes in row-major order.
public enum IDX {
    /// Largest file read (the full MNIST training images are 47 MB).
    public static let maxBytes = 512 << 20

    /// Parsed unsigned-byte tensor.
    public struct Tensor: Sendable, Equatable {
        public var shape: [Int]
        public var bytes: [UInt8]
    }

    /// Parses IDX bytes; `file` names the source in errors.
    public static func parse(_ data: [UInt8], file: String) throws(DataError) -> Tensor {
        guard data.count >= 4 else { throw DataError("\(file): not an IDX file (\(data.count) bytes, expected a 4-byte magic number)") }
        guard data[0] == 0, data[1] == 0 else { throw DataError("\(file): not an IDX file (magic must start with two zero bytes)") }
        guard data[2] == 0x08 else { throw DataError("\(file): IDX element type 0x\(String(data[2], radix: 16)) unsupported (expected 0x08, unsigned bytes)") }
        let nd = Int(data[3])
        guard (1...4).contains(nd) else { throw DataError("\(file): IDX with \(nd) dimensions unsupported (expected 1...4)") }
        guard data.count >= 4 + 4 * nd else { throw DataError("\(file): truncated IDX header") }
        var shape: [Int] = []
        var total = 1
        for k in 0..<nd {
            let o = 4 + 4 * k
            let s = Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
            shape.append(s)
            total = total.multipliedReportingOverflow(by: s).overflow ? Int.max : total * s
        }
        let header = 4 + 4 * nd
        guard total <= maxBytes, data.count - header == total else {
            throw DataError("\(file): IDX header says \(shape.map(String.init).joined(separator: "x")) = \(total) bytes, file has \(data.count - header)")
        }
        return Tensor(shape: shape, bytes: Array(data[header...]))
    }

    /// Loads an image file (3-D: count x rows x cols) and optional label file (1-D) as a data
    /// set with pixels scaled to [0, 1]. `limit` keeps only the first samples.
    public static func loadDataset(images: String, labels: String?, limit: Int? = nil) throws(DataError) -> Dataset {
        let imgBytes: [UInt8]
        do throws(FileIOError) { imgBytes = try FileIO.read(images, limit: maxBytes) } catch { throw DataError(error.message) }
        let img = try parse(imgBytes, file: images)
        guard img.shape.count == 3 else { throw DataError("\(images): expected 3-D image data (count x rows x cols), got \(img.shape.count)-D") }
        let n = min(img.shape[0], limit ?? Int.max)
        let rows = img.shape[1], cols = img.shape[2]
        var lab = [Int](repeating: 0, count: n)
        var classes = 1
        if let labels {
            let labBytes: [UInt8]
            do throws(FileIOError) { labBytes = try FileIO.read(labels, limit: maxBytes) } catch { throw DataError(error.message) }
            let l = try parse(labBytes, file: labels)
            guard l.shape.count == 1, l.shape[0] >= n else {
                throw DataError("\(labels): expected 1-D labels with at least \(n) entries, got shape \(l.shape)")
            }
            lab = l.bytes.prefix(n).map(Int.init)
            classes = (lab.max() ?? 0) + 1
        }
        let d = rows * cols
        let x = Matrix(rows: n, cols: d, storage: img.bytes.prefix(n * d).map { Float($0) / 255 })
        return Dataset(x: x, labels: lab, classes: classes, imageShape: (rows, cols))
    }
}
