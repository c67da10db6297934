import CSQLite

/// A failed SQLite call, as one line: what was being done, SQLite's message and the file.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// SQLite's primary result code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, ...).
    public var code: Int32
    public init(message: String, code: Int32) {
        self.message = message
        self.code = code
    }
    public var description: String { message }

    /// True when the file is not a usable database (damaged or not SQLite at all): rebuild it.
    public var isCorruption: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
}

/// A value in or out of SQLite. Non-finite reals are stored as NULL (SQLite has no NaN).
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var double: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .real(let d): d
        case .null, .text: nil
        }
    }

    public var int: Int64? {
        switch self {
        case .integer(let i): i
        case .real(let d): d.isFinite ? Int64(exactly: d.rounded()) : nil
        case .null, .text: nil
        }
    }

    public var string: String? {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .null: nil
        }
    }

    /// `.real`, or `.null` for NaN and infinities.
    public static func number(_ x: Double) -> SQLiteValue { x.isFinite ? .real(x) : .null }
}

/// One open SQLite database (a file or `:memory:`), closed when released. Not shared between
/// threads: each command opens its own.
public final class SQLiteDatabase {
    private let handle: OpaquePointer
    public let path: String

    /// Opens (creating) the database at `path`; `busyMilliseconds` is how long a statement
    /// waits for another process's lock before failing with "database is locked".
    public init(path: String, busyMilliseconds: Int32 = 10_000) throws(SQLiteError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let text = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close(db) }
            throw SQLiteError(message: "\(path): cannot open the SQLite database: \(text)", code: rc & 0xff)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, busyMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The error of the last failed call on this connection, as one line.
    func error(_ what: String, _ rc: Int32) -> SQLiteError {
        let text = String(cString: sqlite3_errmsg(handle)).replacingNewlines()
        return SQLiteError(message: "\(path): \(what): \(text)", code: rc & 0xff)
    }

    /// Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(Self.shorten(sql), rc) }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(Self.shorten(sql), rc) }
        return SQLiteStatement(stmt, database: self, sql: sql)
    }

    /// Every row of `sql` with `bindings`, each as its column values.
    public func rows(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let s = try prepare(sql)
        try s.bind(bindings)
        var out: [[SQLiteValue]] = []
        while try s.step() { out.append(s.row) }
        return out
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`: takes the write lock at once, so
    /// two processes updating the same index queue up instead of deadlocking); rolls back on error.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA user_version`, the schema version this program stores.
    public var userVersion: Int64 {
        (try? rows("PRAGMA user_version"))?.first?.first?.int ?? 0
    }

    static func shorten(_ sql: String) -> String {
        let flat = sql.replacingNewlines().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return flat.count <= 60 ? flat : String(flat.prefix(57)) + "..."
    }
}

/// A compiled statement: bind, step, read the row, reset and step again.
public final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase
    private let sql: String

    init(_ handle: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to its parameters 1...n.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw SQLiteError(message: "\(database.path): \(SQLiteDatabase.shorten(sql)): \(values.count) values for \(expected) parameters",
                              code: SQLITE_RANGE)
        }
        for (i, v) in values.enumerated() {
            let n = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, n)
            case .integer(let x): rc = sqlite3_bind_int64(handle, n, x)
            case .real(let x): rc = x.isFinite ? sqlite3_bind_double(handle, n, x) : sqlite3_bind_null(handle, n)
            case .text(let s):
                let bytes = Array(s.utf8)
                rc = bytes.withUnsafeBufferPointer { buf in
                    buf.baseAddress.map { base in
                        base.withMemoryRebound(to: CChar.self, capacity: buf.count) { syn_sqlite3_bind_text(handle, n, $0, Int32(buf.count)) }
                    } ?? syn_sqlite3_bind_text(handle, n, "", 0)
                }
            }
            guard rc == SQLITE_OK else { throw database.error("binding parameter \(n) of \(SQLiteDatabase.shorten(sql))", rc) }
        }
    }

    /// Advances to the next row: true when there is one, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(SQLiteDatabase.shorten(sql), rc)
        }
    }

    /// Binds `values` and runs the statement to its end (INSERT, UPDATE, DELETE).
    public func run(_ values: [SQLiteValue]) throws(SQLiteError) {
        try bind(values)
        while try step() {}
    }

    /// The current row's values.
    public var row: [SQLiteValue] {
        (0..<sqlite3_column_count(handle)).map(column)
    }

    public func column(_ i: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            guard let p = sqlite3_column_text(handle, i) else { return .text("") }
            let n = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        default: return .null
        }
    }
}

extension String {
    /// Newlines and tabs as spaces (error messages are one line).
    func replacingNewlines() -> String {
        String(map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
