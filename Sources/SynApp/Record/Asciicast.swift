import Foundation

/// An asciicast v2 recording (the format `asciinema play` plays): a JSON header line, then one
/// JSON array per event, `[seconds, "o", text]` for terminal output and `[seconds, "r", "WxH"]`
/// for a resize. See https://docs.asciinema.org/manual/asciicast/v2/.
public enum Asciicast {
    /// The header: terminal size, start time, and what was recorded.
    public struct Header: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// Unix time of the start, in seconds.
        public var timestamp: Int
        public var title: String?
        /// `TERM` of the recording terminal.
        public var term: String?

        public init(width: Int, height: Int, timestamp: Int, title: String? = nil, term: String? = nil) {
            self.width = width
            self.height = height
            self.timestamp = timestamp
            self.title = title
            self.term = term
        }

        /// The header line (without the newline).
        public var line: String {
            var s = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(timestamp)"
            if let title { s += ", \"title\": " + Asciicast.quoted(title) }
            if let term { s += ", \"env\": {\"TERM\": " + Asciicast.quoted(term) + "}" }
            return s + "}"
        }
    }

    /// One event: what happened `time` seconds after the start.
    public struct Event: Sendable, Equatable {
        public enum Kind: String, Sendable { case output = "o", input = "i", resize = "r", marker = "m" }
        public var time: Double
        public var kind: Kind
        public var data: String

        public init(time: Double, kind: Kind, data: String) {
            self.time = time
            self.kind = kind
            self.data = data
        }

        /// The event line (without the newline); time with microsecond resolution.
        public var line: String {
            let micros = Int((max(0, time) * 1_000_000).rounded())
            let frac = String(micros % 1_000_000)
            let t = "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
            return "[\(t), \"\(kind.rawValue)\", " + Asciicast.quoted(data) + "]"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (ESC is
    /// `\u001b`); everything else, including non-ASCII, as UTF-8.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 16)
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A recording that cannot be read: the file, the line and what is wrong, on one line.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Parses a whole recording. Refuses anything that is not asciicast v2: a header without
    /// `version` 2 or a positive `width`/`height`, an event that is not `[number, "o"|"i"|"r"|"m",
    /// string]`, or times that go backwards.
    public static func parse(_ bytes: [UInt8], path: String) throws(ParseError) -> (header: Header, events: [Event]) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
            lines.removeLast()
        }
        guard let first = lines.first else { throw ParseError(description: "\(path): empty file (expected an asciicast v2 header line)") }
        guard let h = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any] else {
            throw ParseError(description: "\(path):1: the header is not a JSON object (expected an asciicast v2 header)")
        }
        guard (h["version"] as? NSNumber)?.intValue == 2 else {
            throw ParseError(description: "\(path):1: version: expected 2 (asciicast v2), got \(h["version"].map { "\($0)" } ?? "none")")
        }
        guard let w = (h["width"] as? NSNumber)?.intValue, let ht = (h["height"] as? NSNumber)?.intValue,
              (1...10_000).contains(w), (1...10_000).contains(ht) else {
            throw ParseError(description: "\(path):1: width/height: expected integers in [1, 10000]")
        }
        let env = h["env"] as? [String: Any]
        let header = Header(width: w, height: ht, timestamp: (h["timestamp"] as? NSNumber)?.intValue ?? 0,
                            title: h["title"] as? String, term: env?["TERM"] as? String)
        var events: [Event] = []
        events.reserveCapacity(lines.count - 1)
        var last = 0.0
        for (i, raw) in lines.dropFirst().enumerated() {
            let n = i + 2
            guard let a = try? JSONSerialization.jsonObject(with: Data(raw)) as? [Any], a.count == 3,
                  let t = (a[0] as? NSNumber)?.doubleValue, t.isFinite, t >= 0,
                  let code = a[1] as? String, let kind = Event.Kind(rawValue: code), let data = a[2] as? String else {
                throw ParseError(description: "\(path):\(n): expected an event [seconds, \"o\"|\"i\"|\"r\"|\"m\", text]")
            }
            guard t >= last else {
                throw ParseError(description: "\(path):\(n): time \(t) goes back (previous event at \(last))")
            }
            last = t
            events.append(Event(time: t, kind: kind, data: data))
        }
        return (header, events)
    }
}
