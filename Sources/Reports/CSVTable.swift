import CSV
import Foundation

/// A CSV file being built: header, then rows of already-formatted fields. Quoting is left
/// to CSV.swift, so a group name with a comma or a quote stays one field.
public struct CSVTable: Sendable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "row has \(row.count) fields, header \(header.count)")
        rows.append(row)
    }

    /// The same table with columns added at the end, each row getting `values`.
    public func appendingColumns(_ names: [String], values: [String]) -> CSVTable {
        var t = CSVTable(header: header + names)
        t.rows = rows.map { $0 + values }
        return t
    }

    /// The same table followed by `other`'s rows (same header).
    public func appendingRows(of other: CSVTable) -> CSVTable {
        precondition(other.header == header, "tables with different headers")
        var t = self
        t.rows += other.rows
        return t
    }

    /// Rows sorted by the integer columns `keys` (stable: rows with equal keys keep their
    /// order).
    public func sortedRows(byIntegerColumns keys: [Int]) -> CSVTable {
        var t = self
        t.rows = rows.enumerated().sorted { a, b in
            for k in keys {
                let x = Int(a.element[k]) ?? 0
                let y = Int(b.element[k]) ?? 0
                if x != y { return x < y }
            }
            return a.offset < b.offset
        }.map(\.element)
        return t
    }

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The cell of `row` in the column called `name`; empty when there is no such column.
    public func cell(_ row: [String], _ name: String) -> String {
        column(name).map { $0 < row.count ? row[$0] : "" } ?? ""
    }

    /// Reads a file written by `encoded()` (or any CSV with a header row).
    public static func read(path: String) throws -> CSVTable {
        guard let stream = InputStream(fileAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        var table = CSVTable(header: reader.headerRow ?? [])
        while let row = reader.next() {
            guard row.count == table.header.count else { throw CSVReadError(path: path, line: table.rows.count + 2) }
            table.rows.append(row)
        }
        return table
    }

    /// The file's text, each line ending in a newline (LF). A field holding a quote, a
    /// comma, a CR or an LF is quoted, its quotes doubled (RFC 4180); `read` reverses it.
    /// Encoded byte by byte here: CSV.swift's writer makes one stream write per byte and
    /// a Foundation search per field, 6 to 8 % of a Speed run (docs/performance.md).
    public func encoded() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * 16 * header.count)
        Self.append(header, to: &out)
        for row in rows { Self.append(row, to: &out) }
        return Data(out)
    }

    private static func append(_ row: [String], to out: inout [UInt8]) {
        for (i, field) in row.enumerated() {
            if i > 0 { out.append(comma) }
            let bytes = field.utf8
            if bytes.contains(where: { $0 == quote || $0 == comma || $0 == 0x0A || $0 == 0x0D }) {
                out.append(quote)
                for b in bytes {
                    if b == quote { out.append(quote) }
                    out.append(b)
                }
                out.append(quote)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(0x0A)
    }

    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C
}

/// Fixed-point formatting, so the same value always prints the same text on every machine.
public enum CSVFormat {
    /// `value` with `decimals` digits after the point, as C's `%.*f` prints it (which is
    /// what `String(format:)` printed before: it hands `%f` to the C library too). Called
    /// straight, since Foundation's formatting took a quarter of a 10,000-torrent run
    /// writing its tables; a value too long for the buffer takes the slow way.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        let capacity = 64
        let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            let written = withVaList([Int32(clamping: decimals), value]) { vsnprintf(base, capacity, "%.*f", $0) }
            guard written >= 0, written < capacity else { return nil }
            return String(cString: base)
        }
        return text ?? String(format: "%.\(decimals)f", value)
    }

    /// Seconds with microsecond resolution; empty for a missing value.
    public static func seconds(_ value: Double?) -> String { value.map { fixed($0, 6) } ?? "" }

    public static func optional(_ value: Double?, _ decimals: Int) -> String { value.map { fixed($0, decimals) } ?? "" }
}

/// A CSV row whose field count does not match its header.
public struct CSVReadError: Error, CustomStringConvertible {
    public let path: String
    public let line: Int
    public var description: String { "\(path):\(line): wrong number of fields" }
}
