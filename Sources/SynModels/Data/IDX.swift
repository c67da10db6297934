import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Reads an IDX file: the header first, `check`ed before any of the body is read, then only
    /// the first `limit` entries along the first dimension. Refuses non-regular files (a FIFO
    /// would block, `/dev/zero` would fill memory) and files whose size disagrees with the header.
    public static func read(_ path: String, limit: Int? = nil, check: ([Int]) throws(DataError) -> Void) throws(DataError) -> Tensor {
        let (fd, size) = try io { () throws(FileIOError) in try FileIO.openRegular(path) }
        defer { close(fd) }
        func bytes(_ count: Int) throws(DataError) -> [UInt8] {
            try io { () throws(FileIOError) in try FileIO.read(fd, count: count, path: path) }
        }
        let magic = try bytes(min(4, size))
        guard magic.count == 4, (1...4).contains(Int(magic[3])), size >= 4 + 4 * Int(magic[3]) else {
            // Too short for its header or an unsupported one: let `parse` name what is wrong.
            _ = try parse(magic + (try bytes(min(size, 64) - magic.count)), file: path)
            throw DataError("\(path): truncated IDX header")
        }
        let head = magic + (try bytes(4 * Int(magic[3])))
        guard magic[0] == 0, magic[1] == 0, magic[2] == 0x08 else {
            _ = try parse(head, file: path)
            throw DataError("\(path): not an IDX file")
        }
        var shape: [Int] = []
        var total = 1
        for k in 0..<Int(magic[3]) {
            let o = 4 + 4 * k
            let s = Int(head[o]) << 24 | Int(head[o + 1]) << 16 | Int(head[o + 2]) << 8 | Int(head[o + 3])
            shape.append(s)
            total = total.multipliedReportingOverflow(by: s).overflow ? Int.max : total * s
        }
        guard size - head.count == total else {
            throw DataError("\(path): IDX header says \(shape.map(String.init).joined(separator: "x")) = \(total) bytes, file has \(size - head.count)")
        }
        try check(shape)
        let n = min(shape[0], max(0, limit ?? Int.max))
        let body = n * shape.dropFirst().reduce(1, *)
        guard body <= maxBytes else { throw DataError("\(path): \(body) bytes of IDX data, more than the limit of \(maxBytes)") }
        return Tensor(shape: [n] + shape.dropFirst(), bytes: try bytes(body))
    }

    private static func io<T>(_ f: () throws(FileIOError) -> T) throws(DataError) -> T {
        do throws(FileIOError) { return try f() } catch { throw DataError(error.message) }
    }

    /// Loads an image file (3-D: count x rows x cols) and optional label file (1-D) as a data
    /// set with pixels scaled to [0, 1]. `limit` keeps only the first samples (and only those
    /// are read); images of more than `maxPixels` pixels are refused from the header.
    public static func loadDataset(images: String, labels: String?, limit: Int? = nil, maxPixels: Int = 1 << 20) throws(DataError) -> Dataset {
        let img = try loadImages(images, limit: limit, maxPixels: maxPixels)
        let n = img.shape[0], rows = img.shape[1], cols = img.shape[2]
        var lab = [Int](repeating: 0, count: n)
        var classes = 1
        if let labels {
            lab = try loadLabels(labels, count: n)
            classes = (lab.max() ?? 0) + 1
        }
        let d = rows * cols
        let x = Matrix(rows: n, cols: d, storage: img.bytes.prefix(n * d).map { Float($0) / 255 })
        return Dataset(x: x, labels: lab, classes: classes, imageShape: (rows, cols))
    }

    /// The first `limit` images of a 3-D IDX file (count x rows x cols), at least one, each of at
    /// most `maxPixels` pixels.
    public static func loadImages(_ images: String, limit: Int? = nil, maxPixels: Int = 1 << 20) throws(DataError) -> Tensor {
        try read(images, limit: limit) { (shape: [Int]) throws(DataError) in
            guard shape.count == 3 else { throw DataError("\(images): expected 3-D image data (count x rows x cols), got \(shape.count)-D") }
            guard shape[0] >= 1 else { throw DataError("\(images): expected at least one image, the IDX header says 0") }
            guard shape[1] >= 1, shape[2] >= 1 else { throw DataError("\(images): expected images of at least 1 x 1 pixels, got \(shape[1]) x \(shape[2])") }
            guard shape[1] * shape[2] <= maxPixels else {
                throw DataError("\(images): expected images of at most \(maxPixels) pixels (e.g. 64 x 64), got \(shape[1]) x \(shape[2]) = \(shape[1] * shape[2])")
            }
        }
    }

    /// The first `count` labels of a 1-D IDX file.
    public static func loadLabels(_ labels: String, count n: Int) throws(DataError) -> [Int] {
        let l = try read(labels, limit: n) { (shape: [Int]) throws(DataError) in
            guard shape.count == 1, shape[0] >= n else {
                throw DataError("\(labels): expected 1-D labels with at least \(n) entries, got shape \(shape)")
            }
        }
        return l.bytes.map(Int.init)
    }
}
